using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace KerasBackend.Bench;

/// <summary>
/// Builds ONNX models (one node, or a small graph of nodes) in memory (hand-written protobuf: ModelProto → GraphProto → NodeProto) so that the
/// baselines need no model files and no protobuf package. Float32 or float64 data, int64 where an op needs indices;
/// the output has the element type of the first input.
/// </summary>
internal static class OnnxModel
{
    public const int Float = 1, Int64 = 7, Double = 11;

    public sealed record Input(string Name, long[] Shape, int ElemType = Float);

    /// <summary>One node of a graph: an op, its input and output value names, optional int / ints / float / string attributes.</summary>
    public sealed record Node(string Op, string[] Inputs, string[] Outputs, params (string Name, object Value)[] Attributes);

    /// <summary>An InferenceSession running <paramref name="op"/> on the inputs, with optional int / ints / float / string attributes.</summary>
    public static InferenceSession Session(string op, Input[] inputs, long[] outShape, int opset, int threads,
        params (string Name, object Value)[] attributes) =>
        Graph([new Node(op, inputs.Select(i => i.Name).ToArray(), ["y"], attributes)], inputs, [new Input("y", outShape, inputs[0].ElemType)], opset, threads);

    /// <summary>An InferenceSession running a graph of <paramref name="nodes"/> (in order) from the inputs to the outputs.</summary>
    public static InferenceSession Graph(Node[] nodes, Input[] inputs, Input[] outputs, int opset, int threads)
    {
        var graph = new Proto();
        foreach (var n in nodes)
        {
            var node = new Proto();
            foreach (var i in n.Inputs) node.String(1, i);
            foreach (var o in n.Outputs) node.String(2, o);
            node.String(4, n.Op);
            foreach (var (name, value) in n.Attributes)
            {
                var a = new Proto().String(1, name);
                switch (value)
                {
                    case long v: a.Varint(3, (ulong)v).Varint(20, 2); break;
                    case int v: a.Varint(3, (ulong)(long)v).Varint(20, 2); break;
                    case long[] vs: foreach (var v in vs) a.Varint(8, (ulong)v); a.Varint(20, 7); break;
                    case float v: a.Fixed32(2, v).Varint(20, 1); break;
                    case double v: a.Fixed32(2, (float)v).Varint(20, 1); break;
                    case string v: a.String(4, v).Varint(20, 3); break;
                    default: throw new ArgumentException($"attribute {name}: unsupported value {value}");
                }
                node.Message(5, a);
            }
            graph.Message(1, node);
        }
        graph.String(2, "g");
        foreach (var i in inputs) graph.Message(11, ValueInfo(i.Name, i.Shape, i.ElemType));
        foreach (var o in outputs) graph.Message(12, ValueInfo(o.Name, o.Shape, o.ElemType));
        var model = new Proto().Varint(1, 8).String(2, "kerasbackend-bench")
            .Message(7, graph).Message(8, new Proto().String(1, "").Varint(2, (ulong)opset));
        var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        return new InferenceSession(model.ToArray(), options);
    }

    private static Proto ValueInfo(string name, long[] shape, int elemType)
    {
        var dims = new Proto();
        foreach (var d in shape) dims.Message(1, new Proto().Varint(1, (ulong)d));
        var tensor = new Proto().Varint(1, (ulong)elemType).Message(2, dims);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensor));
    }

    /// <summary>Minimal protobuf writer: varint and length-delimited fields.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _s = new();

        private void Key(int field, int wire) => Raw((ulong)(field << 3 | wire));

        private void Raw(ulong v)
        {
            while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; }
            _s.WriteByte((byte)v);
        }

        public Proto Varint(int field, ulong v) { Key(field, 0); Raw(v); return this; }

        /// <summary>A 32-bit field (wire type 5), as AttributeProto's float <c>f</c>.</summary>
        public Proto Fixed32(int field, float v)
        {
            Key(field, 5);
            Span<byte> b = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(b, v);
            _s.Write(b);
            return this;
        }

        public Proto Bytes(int field, byte[] b) { Key(field, 2); Raw((ulong)b.Length); _s.Write(b); return this; }

        public Proto String(int field, string s) => Bytes(field, Encoding.UTF8.GetBytes(s));

        public Proto Message(int field, Proto m) => Bytes(field, m.ToArray());

        public byte[] ToArray() => _s.ToArray();
    }
}

/// <summary>A session with preallocated input and output OrtValues: Run measures the kernel plus ORT's per-call cost.</summary>
internal sealed class OrtCall : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inNames;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;
    private readonly string[] _outNames;

    public OrtCall(InferenceSession session, (string Name, OrtValue Value)[] inputs, float[] output, long[] outShape)
        : this(session, inputs, OrtValue.CreateTensorValueFromMemory(output, outShape)) { }

    public OrtCall(InferenceSession session, (string Name, OrtValue Value)[] inputs, double[] output, long[] outShape)
        : this(session, inputs, OrtValue.CreateTensorValueFromMemory(output, outShape)) { }

    private OrtCall(InferenceSession session, (string Name, OrtValue Value)[] inputs, OrtValue output)
        : this(session, inputs, [("y", output)]) { }

    /// <summary>A graph with several (or differently named) outputs, each preallocated.</summary>
    public OrtCall(InferenceSession session, (string Name, OrtValue Value)[] inputs, (string Name, OrtValue Value)[] outputs)
    {
        _session = session;
        _inNames = inputs.Select(i => i.Name).ToArray();
        _inputs = inputs.Select(i => i.Value).ToArray();
        _outNames = outputs.Select(o => o.Name).ToArray();
        _outputs = outputs.Select(o => o.Value).ToArray();
    }

    public void Run() => _session.Run(_run, _inNames, _inputs, _outNames, _outputs);

    public void Dispose()
    {
        foreach (var v in _inputs) v.Dispose();
        foreach (var v in _outputs) v.Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}
