namespace KerasBackend.Onnx;

// ONNX lowerings of sort, argsort and top_k_indices: TopK, which orders equal values by lower index (as ONNX specifies),
// so a sort is stable; ONNX leaves the place of NaN unspecified, so floats sort twice (NaN read as +inf, then by "is NaN").
internal static partial class Lowerings
{
    public static void Sort(LoweringContext c) => SortBy(c, values: true);

    public static void Argsort(LoweringContext c) => SortBy(c, values: false);

    /// <summary>numpy's stable sort along an axis (ascending, NaN last in index order): its order (int64) and, with <paramref name="values"/>, the sorted values.</summary>
    private static void SortBy(LoweringContext c, bool values)
    {
        var t = LoweringContext.ComputeOf(c.InDType(0));
        var x = c.InAs(0, t);
        var axis = c.Attr(0) as int?;
        if (axis is null) x = c.Node("Reshape", [x, c.Ints(-1)]);
        long a = axis is null ? 0 : Normalize.Axis(axis.Value, c.InRank(0));
        var n = c.Node("Gather", [c.Node("Shape", [x]), c.Ints(a)]);
        var order = StableOrder(c, x, t, n, a, largest: false);
        if (values) c.Return(c.Node("GatherElements", [x, order], ("axis", a)), t);
        else c.Return(order, DType.Int64);
    }

    /// <summary>
    /// The first <paramref name="k"/> positions along <paramref name="axis"/> in stable order (ascending, or descending with
    /// <paramref name="largest"/>), NaN after every number ascending and before every number descending (numpy's sort and
    /// Keras' top_k), NaNs among themselves by index: TopK with NaN read as +inf over the whole axis, then a stable TopK
    /// of that order by "is NaN" (an LSD sort in two passes).
    /// </summary>
    private static string StableOrder(LoweringContext c, string x, DType t, string k, long axis, bool largest)
    {
        long big = largest ? 1 : 0;
        if (!t.IsFloat()) return c.Nodes("TopK", [x, k], 2, ("axis", axis), ("largest", big), ("sorted", 1L))[1];
        var n = c.Node("Gather", [c.Node("Shape", [x]), c.Ints(axis)]);
        var nan = c.Node("IsNaN", [x]);
        var key = Where(c, nan, c.Scalar(double.PositiveInfinity, t), x);
        var first = c.Nodes("TopK", [key, n], 2, ("axis", axis), ("largest", big), ("sorted", 1L))[1];
        var nanAt = c.Cast(c.Node("GatherElements", [nan, first], ("axis", axis)), DType.Bool, DType.Float32);
        var second = c.Nodes("TopK", [nanAt, k], 2, ("axis", axis), ("largest", big), ("sorted", 1L))[1];
        return c.Node("GatherElements", [first, second], ("axis", axis));
    }

    /// <summary>Keras 3 top_k's indices: along the last axis, largest first, equal values by lower index, NaN largest.</summary>
    public static void TopKIndices(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.InDType(0));
        long last = c.InRank(0) - 1;
        c.Return(StableOrder(c, c.InAs(0, t), t, c.Ints(c.Attr<int>(0)), last, largest: true), DType.Int64);
    }
}
