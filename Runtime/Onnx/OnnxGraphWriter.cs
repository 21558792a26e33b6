using System.Runtime.CompilerServices;
using Google.Protobuf;
using KerasBackend.Graph;
using Onnx;

namespace KerasBackend.Onnx;

/// <summary>Options of <see cref="KFunction.ExportOnnx(string, int, OnnxExportOptions?)"/>.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Variables become graph inputs (named like the variables, with their shapes) instead of initializers holding their current values.</summary>
    public bool VariablesAsInputs { get; init; }

    /// <summary>
    /// The function's updates become extra outputs, one per update, named <c>&lt;variable&gt;_new</c>: the variable's new value
    /// (the caller assigns it). Without this option a function with updates is refused (<see cref="OnnxExportException"/>).
    /// </summary>
    public bool UpdatesAsOutputs { get; init; }

    /// <summary>The learning phase baked into the model when the learning-phase placeholder is not among the inputs (default: the current phase, 0 unless set).</summary>
    public int? LearningPhase { get; init; }

    /// <summary>The graph outputs' names, one per output of the function (default: each output tensor's name, else <c>output</c>, <c>output_1</c>...).</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>The ONNX graph's name (default: the function's name).</summary>
    public string? GraphName { get; init; }
}

/// <summary>
/// Writes a symbolic graph as an ONNX model: placeholders become graph inputs (unknown dimensions symbolic), variables
/// and constants initializers (or inputs), each node is lowered by its op's lowering (the spec's <c>onnx</c> field),
/// outputs keep their names and dtypes.
/// </summary>
internal sealed class OnnxGraphWriter
{
    public const int MinOpset = 17;
    public const int MaxOpset = 21;

    private readonly Dictionary<Tensor, string> _names = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly OnnxExportOptions _options;
    private readonly HashSet<Tensor> _inputs = new(ReferenceEqualityComparer.Instance);

    public OnnxGraphWriter(int opset, OnnxExportOptions options)
    {
        if (opset < MinOpset || opset > MaxOpset)
            throw new KerasValueException("export_onnx", "opset", $"export_onnx: opset must be in [{MinOpset}, {MaxOpset}]. Received: opset={opset}");
        Opset = opset;
        _options = options;
    }

    public GraphProto Graph { get; } = new();
    public int Opset { get; }

    /// <summary>A name not used yet in the graph, made from <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        if (_used.Add(hint)) return hint;
        for (int i = 1; ; i++)
            if (_used.Add($"{hint}_{i}")) return $"{hint}_{i}";
    }

    /// <summary>A graph input for the placeholder <paramref name="p"/>, named like it; unknown dimensions get symbolic names.</summary>
    public void AddInput(Tensor p)
    {
        if (p.IsSparse) throw new OnnxExportException("placeholder", $"the placeholder {p.Describe()} is sparse; ONNX graph inputs are dense tensors.");
        var name = Fresh(p.Name ?? "input");
        Graph.Input.Add(ValueInfo(name, p.DType, p.Shape, name));
        _names[p] = name;
        _inputs.Add(p);
    }

    /// <summary>Declares <paramref name="t"/> as a graph output named <paramref name="name"/> (an Identity node when the value is an input, an initializer or another output).</summary>
    public void AddOutput(Tensor t, string name, string? value = null)
    {
        value ??= ValueOf(t);
        var outName = Fresh(name);
        Graph.Node.Add(new NodeProto { OpType = "Identity", Name = Fresh("output/" + outName), Input = { value }, Output = { outName } });
        Graph.Output.Add(ValueInfo(outName, t.DType, t.Shape, outName));
    }

    public static ValueInfoProto ValueInfo(string name, DType dtype, Shape shape, string dimPrefix)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = OnnxTypes.ElemType(dtype), Shape = new TensorShapeProto() };
        for (int i = 0; i < shape.Rank; i++)
            tensor.Shape.Dim.Add(shape[i] >= 0
                ? new TensorShapeProto.Types.Dimension { DimValue = shape[i] }
                : new TensorShapeProto.Types.Dimension { DimParam = i == 0 ? "batch" : $"{dimPrefix}_dim{i}" });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    /// <summary>The ONNX value holding <paramref name="t"/>: its node's result, its input, or an initializer for a concrete tensor.</summary>
    public string ValueOf(Tensor t)
    {
        if (_names.TryGetValue(t, out var n)) return n;
        if (t.IsSymbolic)
        {
            if (ReferenceEquals(t, LearningPhaseScope.Placeholder))
            {
                using var phase = Tensor.Uninitialized(DType.Int32, Shape.Scalar);
                phase.SetLong(0, _options.LearningPhase ?? LearningPhaseScope.Current);
                return _names[t] = Constant(phase, "keras_learning_phase");
            }
            Lower(t);
            return _names[t];
        }
        if (t.IsSparse) throw new OnnxExportException(null, $"the graph reads the sparse tensor {t.Describe()}; ONNX export takes dense tensors only.");
        if (t is Variable v)
        {
            var name = Fresh(v.Name ?? "variable");
            if (_options.VariablesAsInputs) Graph.Input.Add(ValueInfo(name, v.DType, v.Shape, name));
            else Graph.Initializer.Add(OnnxTypes.ToProto(v, name));
            return _names[t] = name;
        }
        return _names[t] = Constant(t, "const");
    }

    /// <summary>The value of <paramref name="t"/> when the export knows it: a concrete tensor, or the learning phase when it is baked in.</summary>
    public Tensor? KnownValue(Tensor t)
    {
        if (!t.IsSymbolic) return t;
        if (ReferenceEquals(t, LearningPhaseScope.Placeholder) && !_inputs.Contains(t))
        {
            var phase = Tensor.Uninitialized(DType.Int32, Shape.Scalar);
            phase.SetLong(0, _options.LearningPhase ?? LearningPhaseScope.Current);
            return phase;
        }
        return null;
    }

    /// <summary>An initializer holding <paramref name="t"/>'s values.</summary>
    public string Constant(Tensor t, string hint)
    {
        var name = Fresh(hint);
        Graph.Initializer.Add(OnnxTypes.ToProto(t, name));
        return name;
    }

    /// <summary>An initializer of the given dtype, shape and values.</summary>
    public string Initializer(string hint, DType dtype, int[] shape, long[] values)
    {
        using var t = Tensor.Uninitialized(dtype, new Shape(shape));
        for (int i = 0; i < values.Length; i++) t.SetLong(i, values[i]);
        return Constant(t, hint);
    }

    /// <summary>
    /// The symbolic tensors <paramref name="root"/> needs: a switch whose condition the export knows (the learning phase
    /// baked in) needs only its chosen branch, so the other one (a dropout mask in inference) is not written.
    /// </summary>
    private HashSet<Tensor> Live(Tensor root)
    {
        var live = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (!t.IsSymbolic || _names.ContainsKey(t) || !live.Add(t)) continue;
            var node = t.Node!;
            if (node.Op == "switch" && node.Inputs[0] is { } cond && KnownValue(cond) is { Size: 1 } known)
            {
                stack.Push(node.Inputs[known.GetDouble(0) != 0 ? 1 : 2]!);
                continue;
            }
            foreach (var i in node.Inputs) if (i is not null) stack.Push(i);
        }
        return live;
    }

    /// <summary>Lowers the nodes <paramref name="root"/> depends on, in order, then <paramref name="root"/>'s node.</summary>
    private void Lower(Tensor root)
    {
        var live = Live(root);
        foreach (var t in GraphBuilder.TopologicalOrder([root]))
        {
            if (_names.ContainsKey(t) || !live.Contains(t)) continue;
            var node = t.Node!;
            if (node.IsPlaceholder)
            {
                if (ReferenceEquals(t, LearningPhaseScope.Placeholder)) { ValueOf(t); continue; }
                throw new OnnxExportException("placeholder", $"the graph depends on the placeholder {t.Describe()}, which is not an input of the function.");
            }
            var lowering = OnnxLoweringTable.Get(node.Op) ?? Lowerings.Internal(node.Op)
                ?? throw new OnnxExportException(node.Op, $"the op '{node.Op}' has no ONNX lowering (see `kbackend ops`, column onnx); it cannot be exported yet.");
            var c = new LoweringContext(this, node, t);
            lowering.Lower(c);
            _names[t] = c.Result;
        }
    }

    public static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(x => (long)x)); break;
            case float[] fs: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(fs); break;
            case Tensor t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = OnnxTypes.ToProto(t, ""); break;
            case GraphProto g: a.Type = AttributeProto.Types.AttributeType.Graph; a.G = g; break;
            default: throw new ArgumentException($"ONNX attribute {name}: unsupported value {value}");
        }
        return a;
    }
}

/// <summary>ONNX export of K.Function graphs.</summary>
public static class OnnxExport
{
    /// <summary>The model for <paramref name="f"/>: see <see cref="KFunction.ExportOnnx(Stream, int, OnnxExportOptions?)"/>.</summary>
    internal static ModelProto Model(KFunction f, int opset, OnnxExportOptions? options)
    {
        options ??= new OnnxExportOptions();
        var updates = f.UpdateOperands;
        if (updates.Count > 0 && !options.UpdatesAsOutputs)
            throw new OnnxExportException(null,
                $"the function {f.Name} has {updates.Count} update(s) (assignments to variables after each call), which an ONNX model cannot make. Export a function without updates (the inference part), or pass new OnnxExportOptions {{ UpdatesAsOutputs = true }} to get each variable's new value as an extra output.");
        var w = new OnnxGraphWriter(opset, options);
        w.Graph.Name = options.GraphName ?? f.Name;
        foreach (var p in f.Inputs) w.AddInput(p);
        for (int i = 0; i < f.Outputs.Count; i++)
        {
            var o = f.Outputs[i];
            w.AddOutput(o, options.OutputNames is { } names && i < names.Count ? names[i] : o.Name ?? (f.Outputs.Count == 1 ? "output" : $"output_{i}"));
        }
        foreach (var (op, operands) in updates)
        {
            var v = (Variable)operands[0]!;
            w.AddOutput(v, (v.Name ?? "variable") + "_new", Lowerings.UpdateValue(w, op, operands));
        }
        var model = new ModelProto
        {
            IrVersion = opset <= 17 ? 8 : opset <= 19 ? 9 : 10,
            ProducerName = "KerasBackend",
            ProducerVersion = typeof(K).Assembly.GetName().Version?.ToString() ?? "",
            Graph = w.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    /// <summary>How <paramref name="op"/> lowers to ONNX: the ONNX op type, <c>subgraph</c>, <c>composite</c> (<c>*</c>: inexact on ONNX Runtime), or null when it has no lowering.</summary>
    public static string? LoweringOf(string op) => OnnxLoweringTable.Get(op)?.Describe();

    /// <summary>The ops of the spec without an ONNX lowering.</summary>
    public static IReadOnlyList<string> OpsWithoutLowering => OnnxLoweringTable.Missing;
}
