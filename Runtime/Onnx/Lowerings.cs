using KerasBackend.Graph;

namespace KerasBackend.Onnx;

/// <summary>
/// The subgraph lowerings: for an op whose spec says <c>"onnx": "subgraph"</c>, a method named like its C# name emits
/// its ONNX nodes (<c>Lowerings.&lt;Family&gt;.cs</c>; the generator binds it into the lowering table, KB0016 when missing).
/// Also the lowerings of the graph's internal nodes (gradient plumbing such as <c>_sum_like</c>), which are not spec ops.
/// </summary>
internal static partial class Lowerings
{
    private static readonly Dictionary<string, OnnxLowering> s_internal = new(StringComparer.Ordinal);

    private static void AddInternal(string op, Action<LoweringContext> method) => s_internal[op] = OnnxLowering.Subgraph(op, method, null);

    /// <summary>The lowering of an internal (non-spec) node, or null.</summary>
    public static OnnxLowering? Internal(string op)
    {
        if (s_internal.Count == 0) RegisterInternal();
        return s_internal.GetValueOrDefault(op);
    }

    static partial void RegisterInternal();

    /// <summary>The new value of a variable that an update assigns (for <see cref="OnnxExportOptions.UpdatesAsOutputs"/>).</summary>
    public static string UpdateValue(OnnxGraphWriter w, string op, Tensor?[] operands)
    {
        var v = operands[0]!;
        var value = operands[1]!;
        var node = new Node(op, operands, [], null);
        var c = new LoweringContext(w, node, Tensor.Uninitialized(v.DType, v.Shape));
        var compute = OnnxTypes.Compute(v.DType);
        string x = c.InAs(0, compute), y = c.InAs(1, compute);
        switch (op)
        {
            case "update": c.Return(y, compute); break;
            case "update_add": c.Return(c.Node("Add", [x, y]), compute); break;
            case "update_sub": c.Return(c.Node("Sub", [x, y]), compute); break;
            default:
                throw new OnnxExportException(op, $"the update '{op}' of the variable {v.Describe()} keeps hidden state (or is not an assignment) and cannot be exported as an output; build the new value with K ops and use K.Update.");
        }
        return c.Result;
    }
}
