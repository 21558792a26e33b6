namespace KerasBackend.Onnx;

// scatter: ScatterND with reduction "add" into zeros of the result's shape; scatter_update: ScatterND into inputs.
// Their gradients' internal nodes: _scatter_gather (GatherND) and _scatter_add_back (ScatterND "add" into zeros).
// Negative indices are wrapped first (idx + dims where idx < 0, dims = the target's leading k dimensions).
internal static partial class Lowerings
{
    public static void Scatter(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var target = c.OutShape;
        var zeros = c.Zeros(c.Ints(target.Dims.ToArray().Select(d => (long)d).ToArray()), t);
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

    /// <summary>_scatter_gather(u, indices): r[i, ...] = u[rows[i], ...] (GatherND; k = 0: every row reads all of u); with
    /// lastOnly (scatter_update's rule) a row that a later repeated row overwrites reads zero.</summary>
    public static void ScatterGather(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var u = c.InCompute(0, c.OutDType);
        var idx = c.InAs(1, DType.Int64);
        int k = c.InShape(1)[-1];
        var lead = c.Node("Slice", [c.Node("Shape", [idx]), c.Ints(0), c.Ints(-1)]);
        var (rows, dims) = TargetRows(c, idx, u, k);
        var r = rows is null
            ? c.Node("Expand", [u, c.Node("Concat", [lead, c.Node("Shape", [u])], ("axis", 0L))])
            : c.Node("GatherND", [u, rows]);
        if (c.Attr<bool>(0)) r = KeepLastWrites(c, r, rows, dims, c.InRank(0), k, lead, t);
        c.Return(r, t);
    }

    /// <summary>_scatter_add_back(g, indices, like): zeros of like's shape with g[i, ...] added at rows[i] (ScatterND "add";
    /// k = 0: the sum of g's rows); with lastOnly an overwritten row adds nothing.</summary>
    public static void ScatterAddBack(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var g = c.InCompute(0, c.OutDType);
        var idx = c.InAs(1, DType.Int64);
        var like = c.In(2);
        int k = c.InShape(1)[-1], leadRank = c.InRank(1) - 1;
        var lead = c.Node("Slice", [c.Node("Shape", [idx]), c.Ints(0), c.Ints(-1)]);
        var (rows, dims) = TargetRows(c, idx, like, k);
        if (c.Attr<bool>(0)) g = KeepLastWrites(c, g, rows, dims, c.InRank(2), k, lead, t);
        var zeros = c.Zeros(c.ShapeOf(like, c.InShape(2)), t);
        var r = rows is null
            ? c.Node("Add", [zeros, c.Reduce("ReduceSum", g, Enumerable.Range(0, leadRank).ToArray(), keepdims: false)])
            : c.Node("ScatterND", [zeros, rows, g], ("reduction", "add"));
        c.Return(r, t);
    }

    /// <summary>
    /// <paramref name="value"/> (shape indices.shape[:-1] + target.shape[k:]) with the rows that a later row of the same
    /// index overwrites set to zero. The owner of each target slice is found by scattering the row numbers with ScatterND,
    /// whose later rows win on ONNX Runtime (as scatter_update's lowering relies on); a row keeps its value when it owns its slice.
    /// </summary>
    /// <remarks><c>rows</c> and <c>dims</c>: the indices wrapped into the target and its leading k dimensions
    /// (<see cref="TargetRows"/>), both null when k = 0.</remarks>
    private static string KeepLastWrites(LoweringContext c, string value, string? rows, string? dims, int targetRank, int k, string lead, DType t)
    {
        int leadRank = c.InShape(1).Rank - 1;
        // Row numbers 0 .. count - 1 over the indices' leading axes (flattened).
        var count = c.Node("ReduceProd", [lead], ("keepdims", 0L));
        var numbers = c.Node("Range", [c.IntScalar(0), count, c.IntScalar(1)]);
        string keep;
        if (rows is null || dims is null)
            // Every row writes the whole target: only the last one counts.
            keep = c.Node("Reshape", [c.Node("Equal", [numbers, c.Node("Sub", [count, c.IntScalar(1)])]), lead]);
        else
        {
            var flat = c.Node("Reshape", [rows, c.Ints(-1, k)]);
            var owner = c.Node("ScatterND", [c.Node("Expand", [c.IntScalar(-1), dims]), flat, numbers]);
            keep = c.Node("Reshape", [c.Node("Equal", [c.Node("GatherND", [owner, flat]), numbers]), lead]);
        }
        int sliceRank = targetRank - k;
        if (sliceRank > 0) keep = c.Node("Unsqueeze", [keep, c.Ints(Enumerable.Range(leadRank, sliceRank).Select(a => (long)a).ToArray())]);
        return c.Node("Where", [keep, value, c.Scalar(0, t)]);
    }

    /// <summary>The indices wrapped into <paramref name="target"/>'s leading k dimensions, and those dimensions; (null, null) for k = 0.</summary>
    private static (string? Rows, string? Dims) TargetRows(LoweringContext c, string idx, string target, int k)
    {
        if (k == 0) return (null, null);
        var dims = c.Node("Slice", [c.Node("Shape", [target]), c.Ints(0), c.Ints(k)]);
        return (WrapIndices(c, idx, dims), dims);
    }

    /// <summary>idx where idx &gt;= 0, idx + dims where idx &lt; 0 (dims: the target's leading k dimensions, broadcast along the last axis).</summary>
    private static string WrapIndices(LoweringContext c, string idx, string dims) =>
        c.Node("Where", [c.Node("Less", [idx, c.IntScalar(0)]), c.Node("Add", [idx, dims]), idx]);
}
