namespace KerasBackend.Onnx;

// ONNX lowerings of sort, argsort and top_k_indices: TopK (equal values by lower index, as ONNX specifies).
internal static partial class Lowerings
{
    public static void Sort(LoweringContext c) => SortBy(c, values: true);

    public static void Argsort(LoweringContext c) => SortBy(c, values: false);

    /// <summary>TopK with k = the axis length and largest = 0: ascending values and their indices.</summary>
    private static void SortBy(LoweringContext c, bool values)
    {
        var t = LoweringContext.ComputeOf(c.InDType(0));
        var x = c.InAs(0, t);
        var axis = c.Attr(0) as int?;
        if (axis is null) x = c.Node("Reshape", [x, c.Ints(-1)]);
        long a = axis is null ? 0 : Normalize.Axis(axis.Value, c.InRank(0));
        var n = c.Node("Gather", [c.Node("Shape", [x]), c.Ints(a)]);
        var r = c.Nodes("TopK", [x, n], 2, ("axis", a), ("largest", 0L), ("sorted", 1L));
        if (values) c.Return(r[0], t);
        else c.Return(r[1], DType.Int64);
    }

    /// <summary>TopK along the last axis, largest first.</summary>
    public static void TopKIndices(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.InDType(0));
        var r = c.Nodes("TopK", [c.InAs(0, t), c.Ints(c.Attr<int>(0))], 2, ("axis", -1L), ("largest", 1L), ("sorted", 1L));
        c.Return(r[1], DType.Int64);
    }
}
