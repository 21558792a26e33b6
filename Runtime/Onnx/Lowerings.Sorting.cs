namespace KerasBackend.Onnx;

// ONNX lowerings of sort, argsort and top_k_indices: TopK, which orders equal values by lower index (as ONNX specifies). NaN,
// whose place TopK leaves unspecified, is placed as numpy places it (last when ascending, first when descending) by a first
// stable pass on "is NaN"; the second pass orders the values with NaN read as +inf, and the first pass's order breaks the
// tie between NaN and +inf.
internal static partial class Lowerings
{
    public static void Sort(LoweringContext c) => SortBy(c, values: true);

    public static void Argsort(LoweringContext c) => SortBy(c, values: false);

    /// <summary>Ascending values (NaN last) and their indices, stable: TopK with k = the axis length.</summary>
    private static void SortBy(LoweringContext c, bool values)
    {
        var t = LoweringContext.ComputeOf(c.InDType(0));
        var x = c.InAs(0, t);
        var axis = c.Attr(0) as int?;
        if (axis is null) x = c.Node("Reshape", [x, c.Ints(-1)]);
        long a = axis is null ? 0 : Normalize.Axis(axis.Value, c.InRank(0));
        var n = c.Node("Gather", [c.Node("Shape", [x]), c.Ints(a)]);
        var order = Order(c, x, t, n, n, a, largest: false);
        if (values) c.Return(c.Node("GatherElements", [x, order], ("axis", a)), t);
        else c.Return(order, DType.Int64);
    }

    /// <summary>The k largest along the last axis (NaN largest), equal values by lower index.</summary>
    public static void TopKIndices(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.InDType(0));
        var x = c.InAs(0, t);
        var n = c.Node("Gather", [c.Node("Shape", [x]), c.Ints(-1)]);
        c.Return(Order(c, x, t, n, c.Ints(c.Attr<int>(0)), -1, largest: true), DType.Int64);
    }

    /// <summary>The indices of the first <paramref name="k"/> of <paramref name="x"/> in sorted order along <paramref name="axis"/>, ties by index, NaN as numpy places it.</summary>
    private static string Order(LoweringContext c, string x, DType t, string n, string k, long axis, bool largest)
    {
        long big = largest ? 1L : 0L;
        if (!t.IsFloat()) return c.Nodes("TopK", [x, k], 2, ("axis", axis), ("largest", big), ("sorted", 1L))[1];
        // Pass 1: non-NaN before NaN when ascending (NaN first when descending), each group in index order.
        var nan = c.Node("IsNaN", [x]);
        var first = c.Nodes("TopK", [c.Cast(nan, DType.Bool, DType.Float32), n], 2, ("axis", axis), ("largest", big), ("sorted", 1L))[1];
        var x1 = c.Node("GatherElements", [x, first], ("axis", axis));
        // Pass 2: by value, NaN read as +inf; TopK keeps pass 1's order among equal keys.
        var key = c.Node("Where", [c.Node("IsNaN", [x1]), c.Scalar(double.PositiveInfinity, t), x1]);
        var second = c.Nodes("TopK", [key, k], 2, ("axis", axis), ("largest", big), ("sorted", 1L))[1];
        return c.Node("GatherElements", [first, second], ("axis", axis));
    }
}
