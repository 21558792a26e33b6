namespace KerasBackend.Onnx;

/// <summary>How an op lowers to ONNX (the spec's <c>onnx</c> field; Spec/README.md, "ONNX lowering").</summary>
public enum OnnxLoweringKind
{
    /// <summary>One ONNX node with an attribute mapping; the op's tensor inputs are cast as the spec says.</summary>
    Node,
    /// <summary>A small subgraph emitted by the C# method <c>KerasBackend.Onnx.Lowerings.&lt;CSharp&gt;</c>.</summary>
    Subgraph,
    /// <summary>A composite op: its definition records other ops, which lower themselves.</summary>
    Composite,
}

/// <summary>
/// One ONNX attribute of a <see cref="OnnxLoweringKind.Node"/> lowering: a literal, or a parameter of the op read from the
/// graph node's attributes (index among the op's non-tensor parameters) and converted by its spec type (axes made
/// absolute against the rank of tensor input <see cref="Of"/>, bools as 0/1, floats as float).
/// </summary>
internal sealed record OnnxAttrMap(string Name, int Index, string? ParamType, int Of, object? Value)
{
    public static OnnxAttrMap Literal(string name, long value) => new(name, -1, null, 0, value);
    public static OnnxAttrMap Literal(string name, double value) => new(name, -1, null, 0, (float)value);
    public static OnnxAttrMap FromParam(string name, int index, string paramType, int of) => new(name, index, paramType, of, null);
}

/// <summary>The lowering of one op, as the generated <c>OnnxLoweringTable</c> declares it.</summary>
internal sealed class OnnxLowering
{
    private OnnxLowering(string op, OnnxLoweringKind kind, string? onnxOp, string inputs, OnnxAttrMap[] attrs, Action<LoweringContext>? method, string? inexact)
    {
        Op = op; Kind = kind; OnnxOp = onnxOp; Inputs = inputs; Attrs = attrs; Method = method; Inexact = inexact;
    }

    public string Op { get; }
    public OnnxLoweringKind Kind { get; }
    /// <summary>The ONNX operator type of a <see cref="OnnxLoweringKind.Node"/> lowering.</summary>
    public string? OnnxOp { get; }
    /// <summary>How a node lowering casts the op's tensor inputs: <c>result</c> (to the result's dtype), <c>promote</c> (to their promoted dtype), <c>keep</c>.</summary>
    public string Inputs { get; }
    public OnnxAttrMap[] Attrs { get; }
    public Action<LoweringContext>? Method { get; }
    /// <summary>Why ONNX Runtime does not compute the op exactly as the reference does (null when it does): the onnx backend runs the op's definition instead.</summary>
    public string? Inexact { get; }

    public static OnnxLowering Node(string op, string onnxOp, string inputs, OnnxAttrMap[] attrs, string? inexact) =>
        new(op, OnnxLoweringKind.Node, onnxOp, inputs, attrs, null, inexact);

    public static OnnxLowering Subgraph(string op, Action<LoweringContext> method, string? inexact) =>
        new(op, OnnxLoweringKind.Subgraph, null, "result", [], method, inexact);

    public static OnnxLowering Composite(string op) => new(op, OnnxLoweringKind.Composite, null, "result", [], null, null);

    /// <summary>One word for tables: the ONNX op type, <c>subgraph</c> or <c>composite</c> (with <c>*</c> when inexact).</summary>
    public string Describe() => (Kind switch
    {
        OnnxLoweringKind.Node => OnnxOp!,
        OnnxLoweringKind.Subgraph => "subgraph",
        _ => "composite",
    }) + (Inexact is null ? "" : "*");

    /// <summary>Emits the op's ONNX nodes for one graph node.</summary>
    internal void Lower(LoweringContext c)
    {
        switch (Kind)
        {
            case OnnxLoweringKind.Subgraph:
                Method!(c);
                return;
            case OnnxLoweringKind.Node:
            {
                DType logical = Inputs == "promote" ? c.PromotedInputDType() : c.OutDType;
                DType compute = OnnxTypes.Compute(logical);
                var ins = new string[c.InputCount];
                for (int i = 0; i < ins.Length; i++)
                    ins[i] = Inputs == "keep" ? c.In(i) : c.InCompute(i, logical);
                var attrs = new List<(string, object)>();
                foreach (var a in Attrs)
                    if (c.AttrValue(a) is { } v) attrs.Add((a.Name, v));
                var y = c.Node(OnnxOp!, ins, attrs.ToArray());
                c.Return(y, Inputs == "result" ? compute : Inputs == "keep" ? c.OutDType : OnnxTypes.Compute(c.OutDType));
                return;
            }
            default:
                throw new OnnxExportException(Op, $"the composite op '{Op}' recorded its own node; it lowers only through the ops of its definition. This is a lowering bug: give it \"onnx\": \"subgraph\".");
        }
    }
}

/// <summary>The generated lowering table, by Keras name.</summary>
internal static partial class OnnxLoweringTable
{
    /// <summary>The lowering of a spec op, or null when it has none.</summary>
    public static OnnxLowering? Get(string op) => s_spec.GetValueOrDefault(op);

    /// <summary>The spec's ops without a lowering (KB0015 / KB0016 at build time).</summary>
    public static IReadOnlyList<string> Missing => s_missing;

    /// <summary>Every lowering of the spec.</summary>
    public static IEnumerable<OnnxLowering> All => s_spec.Values;
}

/// <summary>A graph cannot be exported to ONNX: an op without a lowering, an update the options do not export, a sparse input.</summary>
public sealed class OnnxExportException : KerasValueException
{
    /// <summary>An export error about <paramref name="op"/> (the Keras op concerned, or null).</summary>
    public OnnxExportException(string? op, string message) : base("export_onnx", null, "export_onnx: " + message) => GraphOp = op;

    /// <summary>The Keras op the error is about (null when it is about the function as a whole).</summary>
    public string? GraphOp { get; }
}
