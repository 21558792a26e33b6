using Google.Protobuf;
using KerasBackend.Graph;
using Onnx;

namespace KerasBackend.Onnx;

/// <summary>
/// What a lowering sees of one graph node — its inputs (ONNX value names, dtypes and static shapes), its attributes as the
/// user passed them, its result's shape and dtype — and how it emits ONNX nodes. A lowering ends with <see cref="Return"/>.
/// </summary>
public sealed class LoweringContext
{
    private readonly OnnxGraphWriter _w;
    private readonly Node _node;
    private string? _result;
    private GraphProto? _body;

    internal LoweringContext(OnnxGraphWriter w, Node node, Tensor output)
    {
        _w = w;
        _node = node;
        Output = output;
    }

    /// <summary>The op's Keras name.</summary>
    public string Op => _node.Op;
    /// <summary>The opset the model is written for.</summary>
    public int Opset => _w.Opset;
    public int InputCount => _node.Inputs.Length;
    /// <summary>Tensor input <paramref name="i"/> (symbolic or concrete; null for an absent optional tensor).</summary>
    public Tensor? Input(int i) => _node.Inputs[i];
    public DType InDType(int i) => _node.Inputs[i]!.DType;
    public Shape InShape(int i) => _node.Inputs[i]!.Shape;
    public int InRank(int i) => _node.Inputs[i]!.Rank;
    /// <summary>The ONNX value of input <paramref name="i"/> ("" for an absent optional input).</summary>
    public string In(int i) => _node.Inputs[i] is { } t ? _w.ValueOf(t) : "";
    /// <summary>Input <paramref name="i"/> cast to <paramref name="dtype"/>.</summary>
    public string InAs(int i, DType dtype) => _node.Inputs[i] is { } t ? Cast(_w.ValueOf(t), t.DType, dtype) : "";
    /// <summary>
    /// Input <paramref name="i"/> converted to <paramref name="dtype"/> (rounding as numpy does: an int32 input of a float16
    /// op becomes float16 first), in the dtype ONNX Runtime computes <paramref name="dtype"/> in (<see cref="ComputeOf"/>).
    /// </summary>
    public string InCompute(int i, DType dtype)
    {
        if (_node.Inputs[i] is not { } t) return "";
        var x = _w.ValueOf(t);
        var from = t.DType;
        if (from != dtype && OnnxTypes.Compute(dtype) != dtype)
        {
            x = Cast(x, from, dtype);
            from = dtype;
        }
        return Cast(x, from, OnnxTypes.Compute(dtype));
    }
    /// <summary>Attribute <paramref name="i"/>: the op's non-tensor arguments in spec order, as the user passed them.</summary>
    public object? Attr(int i) => _node.Attrs[i];
    public T Attr<T>(int i) => (T)_node.Attrs[i]!;
    public Tensor Output { get; }
    public Shape OutShape => Output.Shape;
    public DType OutDType => Output.DType;
    /// <summary>The dtype ONNX Runtime's CPU kernels compute <paramref name="d"/> in (float16 → float32, small ints and bool → int32).</summary>
    public static DType ComputeOf(DType d) => OnnxTypes.Compute(d);

    /// <summary>The promoted dtype of the tensor inputs (Keras 3 promotion; a weak C# scalar defers to the other operand).</summary>
    public DType PromotedInputDType()
    {
        var ts = _node.Inputs.OfType<Tensor>().ToList();
        if (ts.Count == 0) return OutDType;
        return ts.Count == 2 ? DTypeRules.Promote(ts[0], ts[1]) : DTypeRules.PromoteAll(ts);
    }

    /// <summary>Emits one ONNX node and returns the name of its (first) output.</summary>
    public string Node(string opType, string[] inputs, params (string Name, object Value)[] attrs) => Nodes(opType, inputs, 1, attrs)[0];

    /// <summary>Emits one ONNX node with <paramref name="outputs"/> outputs and returns their names.</summary>
    public string[] Nodes(string opType, string[] inputs, int outputs, params (string Name, object Value)[] attrs)
    {
        var n = new NodeProto { OpType = opType, Name = _w.Fresh(Op + "/" + opType) };
        n.Input.AddRange(inputs);
        var outs = new string[outputs];
        for (int i = 0; i < outputs; i++) outs[i] = _w.Fresh(Op);
        n.Output.AddRange(outs);
        foreach (var (name, value) in attrs) n.Attribute.Add(OnnxGraphWriter.Attribute(name, value));
        (_body ?? _w.Graph).Node.Add(n);
        return outs;
    }

    /// <summary>
    /// A graph attribute (the body of a Scan or Loop): <paramref name="build"/> receives the body's inputs (declared with
    /// <paramref name="inputs"/>' dtypes, in order) and returns its outputs with their dtypes. The nodes it emits go into the
    /// body; constants (<see cref="Scalar"/>, <see cref="Ints"/>...) stay initializers of the model, which a body reads by
    /// name like any value of the enclosing graph.
    /// </summary>
    internal GraphProto Body(string name, (string Name, DType DType)[] inputs, Func<string[], (string Value, DType DType)[]> build)
    {
        var enclosing = _body;
        var g = new GraphProto { Name = _w.Fresh(Op + "/" + name) };
        _body = g;
        try
        {
            var names = new string[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                names[i] = _w.Fresh(Op + "/" + inputs[i].Name);
                g.Input.Add(TypedValue(names[i], inputs[i].DType));
            }
            // Every output through an Identity, so that a body output is always a value the body computes.
            foreach (var (value, dtype) in build(names)) g.Output.Add(TypedValue(Node("Identity", [value]), dtype));
        }
        finally { _body = enclosing; }
        return g;
    }

    private static ValueInfoProto TypedValue(string name, DType dtype) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTypes.ElemType(dtype) } } };

    /// <summary><paramref name="value"/> cast from <paramref name="from"/> to <paramref name="to"/> (itself when they are equal).</summary>
    public string Cast(string value, DType from, DType to)
    {
        if (from == to || value.Length == 0) return value;
        // Float → bool is x != 0 in numpy and in ONNX; float → int truncates in both.
        return Node("Cast", [value], ("to", (long)OnnxTypes.ElemType(to)));
    }

    /// <summary>A 1-D int64 constant (shapes, axes, pads, starts...).</summary>
    public string Ints(params long[] values) => _w.Initializer(Op + "/ints", DType.Int64, [values.Length], values);

    /// <summary>A 0-d int64 constant.</summary>
    public string IntScalar(long value) => _w.Initializer(Op + "/int", DType.Int64, [], [value]);

    /// <summary>A 0-d constant of <paramref name="dtype"/>.</summary>
    public string Scalar(double value, DType dtype)
    {
        var t = Tensor.Uninitialized(dtype, Shape.Scalar);
        if (dtype.IsFloat()) t.SetDouble(0, value); else t.SetLong(0, (long)value);
        return _w.Constant(t, Op + "/scalar");
    }

    /// <summary>Zeros of <paramref name="dtype"/> in the shape held by the 1-D int64 value <paramref name="shape"/>.</summary>
    public string Zeros(string shape, DType dtype) => Node("Expand", [Scalar(0, dtype), shape]);

    /// <summary>A 1-D constant of <paramref name="dtype"/>.</summary>
    public string Vector(double[] values, DType dtype)
    {
        var t = Tensor.Uninitialized(dtype, new Shape(values.Length));
        for (int i = 0; i < values.Length; i++)
            if (dtype.IsFloat()) t.SetDouble(i, values[i]); else t.SetLong(i, (long)values[i]);
        return _w.Constant(t, Op + "/values");
    }

    /// <summary>
    /// Input <paramref name="i"/>'s value when it is known at export: a concrete input (constant, variable's current value) or
    /// the learning phase baked into the model; null for a value the graph computes.
    /// </summary>
    public Tensor? KnownValue(int i) => _node.Inputs[i] is { } t ? _w.KnownValue(t) : null;

    /// <summary>The node's value computed now (for ops whose value does not depend on the graph: no tensor inputs).</summary>
    public Tensor Evaluate() => _node.Replay is { } replay
        ? Session.Eager(() => replay(_node.Inputs))
        : throw new OnnxExportException(Op, $"the lowering of '{Op}' evaluates the op at export, which a call on the onnx backend cannot do; lower it with ONNX nodes.");

    /// <summary>A constant tensor (written as an initializer).</summary>
    public string Constant(Tensor value) => _w.Constant(value, Op + "/const");

    /// <summary>
    /// A reduction over <paramref name="axes"/> (absolute) of <paramref name="x"/>, axes as the opset wants them (an
    /// input from opset 18 on, and for ReduceSum from 13); empty axes reduce nothing.
    /// </summary>
    public string Reduce(string opType, string x, int[] axes, bool keepdims)
    {
        if (axes.Length == 0) return Node("Identity", [x]);
        var ax = Array.ConvertAll(axes, a => (long)a);
        if (opType == "ReduceSum" || Opset >= 18)
            return Node(opType, [x, Ints(ax)], ("keepdims", keepdims ? 1L : 0L));
        return Node(opType, [x], ("axes", ax), ("keepdims", keepdims ? 1L : 0L));
    }

    /// <summary>The shape of <paramref name="x"/> as a 1-D int64 value (static when every dimension is known).</summary>
    public string ShapeOf(string x, Shape known) =>
        known.IsFullyDefined ? Ints(known.Dims.ToArray().Select(d => (long)d).ToArray()) : Node("Shape", [x]);

    /// <summary>Ends the lowering: <paramref name="value"/> (of dtype <paramref name="dtype"/>) cast to the result's dtype is the node's result.</summary>
    public void Return(string value, DType dtype)
    {
        if (_result is not null) throw new InvalidOperationException($"lowering of {Op}: Return called twice");
        _result = Cast(value, dtype, OutDType);
    }

    internal string Result => _result ?? throw new OnnxExportException(Op, $"the lowering of '{Op}' returned no value (a lowering bug).");

    /// <summary>An attribute of a node lowering, converted by its parameter type; null to leave the ONNX attribute out.</summary>
    internal object? AttrValue(OnnxAttrMap a)
    {
        if (a.ParamType is null) return a.Value;
        var v = _node.Attrs[a.Index];
        int rank = _node.Inputs.Length > a.Of && _node.Inputs[a.Of] is { } t ? t.Rank : 0;
        return (a.ParamType, v) switch
        {
            (_, null) when a.ParamType != "axes" => null,
            ("axis", int ax) => (long)Normalize.Axis(ax, rank),
            ("axes", _) => Array.ConvertAll(Normalize.Axes(v as int[], rank), x => (long)x),
            ("bool", bool b) => b ? 1L : 0L,
            (_, int i) => (long)i,
            (_, long l) => l,
            (_, double d) => (float)d,
            (_, int[] ints) => Array.ConvertAll(ints, x => (long)x),
            (_, string s) => s,
            (_, DType d) => (long)OnnxTypes.ElemType(d),
            _ => throw new OnnxExportException(Op, $"attribute {a.Name} of '{Op}': cannot convert {v.GetType().Name} ({a.ParamType})"),
        };
    }
}
