namespace KerasBackend.Onnx;

// scatter: ScatterND with reduction "add" into zeros of the result's shape; scatter_update: ScatterND into inputs.
// Negative indices are wrapped first (idx + dims where idx < 0, dims = the target's leading k dimensions).
internal static partial class Lowerings
{
    public static void Scatter(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var target = c.OutShape;
        var zeros = c.Node("Expand", [c.Scalar(0, t), c.Ints(target.Dims.ToArray().Select(d => (long)d).ToArray())]);
        var values = c.InCompute(1, c.OutDType);
        int k = c.InShape(0)[-1];
        if (k == 0)
        {
            // Every row addresses the whole result: the sum of the values over the indices' leading axes.
            var lead = Enumerable.Range(0, c.InRank(0) - 1).ToArray();
            c.Return(c.Node("Add", [zeros, c.Reduce("ReduceSum", values, lead, keepdims: false)]), t);
            return;
        }
        var dims = c.Ints(target.Dims[..k].ToArray().Select(d => (long)d).ToArray());
        c.Return(c.Node("ScatterND", [zeros, WrapIndices(c, c.InAs(0, DType.Int64), dims), values], ("reduction", "add")), t);
    }

    public static void ScatterUpdate(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var inputs = c.InAs(0, t);
        var updates = c.InCompute(2, c.OutDType);
        int k = c.InShape(1)[-1], n = c.InShape(1).Dims[..^1].ToArray().Aggregate(1, (a, b) => a * b);
        if (k == 0)
        {
            // Every row replaces the whole tensor: the last update wins (none: inputs unchanged).
            var whole = n == 0 ? c.Node("Identity", [inputs])
                : c.Node("Reshape", [c.Node("Gather", [c.Node("Reshape", [updates, c.Node("Concat", [c.Ints(n), c.Node("Shape", [inputs])], ("axis", 0L))]), c.IntScalar(n - 1)], ("axis", 0L)), c.Node("Shape", [inputs])]);
            c.Return(whole, t);
            return;
        }
        var dims = c.Node("Slice", [c.Node("Shape", [inputs]), c.Ints(0), c.Ints(k)]);
        c.Return(c.Node("ScatterND", [inputs, WrapIndices(c, c.InAs(1, DType.Int64), dims), updates]), t);
    }

    /// <summary>idx where idx >= 0, idx + dims where idx < 0 (dims: the target's leading k dimensions, broadcast along the last axis).</summary>
    private static string WrapIndices(LoweringContext c, string idx, string dims) =>
        c.Node("Where", [c.Node("Less", [idx, c.IntScalar(0)]), c.Node("Add", [idx, dims]), idx]);
}
