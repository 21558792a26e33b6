namespace KerasBackend.Onnx;

// Lowerings of the gradient nodes recorded when a shape is known only when the graph runs (Autodiff/GradOps.cs,
// Gradients.Conv.cs, Gradients.Selection.cs): each computes its sizes from Shape nodes, so a batch of any size works.
internal static partial class Lowerings
{
    /// <summary>_concat_part(u, parts..., axis, index): u[..., start : start + parts[index].shape[axis], ...] with start the
    /// sum of the earlier parts' sizes along the axis.</summary>
    public static void ConcatPart(LoweringContext c)
    {
        int index = c.Attr<int>(1), parts = index + 1;
        int axis = Normalize.Axis(c.Attr<int>(0), c.InRank(0));
        string Size(int part) => c.InShape(1 + part)[axis] is var d and >= 0 ? c.Ints(d) : c.Node("Slice", [c.Node("Shape", [c.In(1 + part)]), c.Ints(axis), c.Ints(axis + 1)]);
        var start = c.Ints(0);
        for (int j = 0; j < index; j++) start = c.Node("Add", [start, Size(j)]);
        c.Return(c.Node("Slice", [c.In(0), start, c.Node("Add", [start, Size(index)]), c.Ints(axis)]), c.InDType(0));
    }

    /// <summary>_crop(u, x, axis, before): u[..., before : before + x.shape[axis], ...].</summary>
    public static void Crop(LoweringContext c)
    {
        int axis = c.Attr<int>(0), before = c.Attr<int>(1);
        var length = c.Node("Slice", [c.Node("Shape", [c.In(1)]), c.Ints(axis), c.Ints(axis + 1)]);
        c.Return(c.Node("Slice", [c.In(0), c.Ints(before), c.Node("Add", [c.Ints(before), length]), c.Ints(axis)]), c.InDType(0));
    }

    /// <summary>_uncrop(v, u, axis, before): v padded with zeros to u's size along the axis, at offset before (the adjoint of _crop).</summary>
    public static void Uncrop(LoweringContext c)
    {
        int axis = c.Attr<int>(0), before = c.Attr<int>(1), rank = c.InRank(0);
        var dim = (string x) => c.Node("Slice", [c.Node("Shape", [x]), c.Ints(axis), c.Ints(axis + 1)]);
        var after = c.Node("Sub", [c.Node("Sub", [dim(c.In(1)), dim(c.In(0))]), c.Ints(before)]);
        // Pads: zeros everywhere but [before] at the axis's begin and [after] at its end.
        var zeros = (int n) => c.Ints(new long[n]);
        var pads = c.Node("Concat", [zeros(axis), c.Ints(before), zeros(rank - 1), after, zeros(rank - 1 - axis)], ("axis", 0L));
        c.Return(c.Node("Pad", [c.In(0), pads]), c.InDType(0));
    }

    /// <summary>_untile(u, x, n): the sum of u's tiles, shaped like x: each axis split into (copy, position), the copies summed.</summary>
    public static void Untile(LoweringContext c)
    {
        var n = c.Attr<int[]>(0);
        var x = c.In(1);
        int xr = c.InRank(1), r = Math.Max(xr, n.Length);
        var nd = Enumerable.Repeat(1, r - n.Length).Concat(n).ToArray();
        var xShape = c.Node("Shape", [x]);
        var split = new List<string>();
        for (int i = 0; i < r; i++)
        {
            split.Add(c.Ints(nd[i]));
            int k = i - (r - xr);
            split.Add(k < 0 ? c.Ints(1) : c.Node("Slice", [xShape, c.Ints(k), c.Ints(k + 1)]));
        }
        var t = LoweringContext.ComputeOf(c.OutDType);
        var u = c.Node("Reshape", [c.InCompute(0, c.OutDType), c.Node("Concat", [.. split], ("axis", 0L))]);
        var summed = c.Reduce("ReduceSum", u, Enumerable.Range(0, r).Select(i => 2 * i).ToArray(), keepdims: false);
        c.Return(c.Node("Reshape", [summed, xShape]), t);
    }

    /// <summary>_scatter_rows(u, indices, reference): zeros of reference's shape with u's rows added at the indices along
    /// axis 0 (the adjoint of gather; negative indices wrap, repeated ones accumulate): ScatterND "add".</summary>
    public static void ScatterRows(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var reference = c.In(2);
        var shape = c.Node("Shape", [reference]);
        var rows = c.Node("Reshape", [c.InAs(1, DType.Int64), c.Ints(-1, 1)]);
        rows = WrapIndices(c, rows, c.Node("Slice", [shape, c.Ints(0), c.Ints(1)]));
        var u = c.Node("Reshape", [c.InCompute(0, c.OutDType), c.Node("Concat", [c.Ints(-1), c.Node("Slice", [shape, c.Ints(1), c.Ints(long.MaxValue)])], ("axis", 0L))]);
        var zeros = c.Zeros(shape, t);
        c.Return(c.Node("ScatterND", [zeros, rows, u], ("reduction", "add")), t);
    }
    /// <summary>_take_scatter(u, indices, x, axis): zeros of x's shape with u added where take read (ScatterND "add" over
    /// the (n, outer, inner) view with take's axis moved first; a null axis scatters into the flattened x).</summary>
    public static void TakeScatter(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var axis = c.Attr(0) as int?;
        var u = c.InCompute(0, c.OutDType);
        var xShape = c.Node("Shape", [c.In(2)]);
        var idx = c.Node("Reshape", [c.InAs(1, DType.Int64), c.Ints(-1, 1)]);
        if (axis is null)
        {
            var size = c.Node("ReduceProd", [xShape], ("keepdims", 1L));
            var flat = c.Node("ScatterND", [c.Zeros(size, t), WrapIndices(c, idx, size), c.Node("Reshape", [u, c.Ints(-1)])], ("reduction", "add"));
            c.Return(c.Node("Reshape", [flat, xShape]), t);
            return;
        }
        int rank = c.InRank(2), a = Normalize.Axis(axis.Value, rank);
        string Product(int from, int to) => from == to ? c.Ints(1) : c.Node("ReduceProd", [c.Node("Slice", [xShape, c.Ints(from), c.Ints(to)])], ("keepdims", 1L));
        string outer = Product(0, a), inner = Product(a + 1, rank), n = c.Node("Slice", [xShape, c.Ints(a), c.Ints(a + 1)]);
        var swap = ("perm", (object)new long[] { 1, 0, 2 });
        var rows = c.Node("Transpose", [c.Node("Reshape", [u, c.Node("Concat", [outer, c.Ints(-1), inner], ("axis", 0L))])], swap);
        var zeros = c.Zeros(c.Node("Concat", [n, outer, inner], ("axis", 0L)), t);
        var summed = c.Node("ScatterND", [zeros, WrapIndices(c, idx, n), rows], ("reduction", "add"));
        c.Return(c.Node("Reshape", [c.Node("Transpose", [summed], swap), xShape]), t);
    }

    /// <summary>_take_along_axis_scatter(u, indices, x, axis): zeros with u added where take_along_axis read (ScatterElements
    /// "add" on the broadcast shape with x's length on the axis), then summed over the axes where x was broadcast.</summary>
    public static void TakeAlongAxisScatter(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var axis = c.Attr(0) as int?;
        var u = c.InCompute(0, c.OutDType);
        var xShape = c.Node("Shape", [c.In(2)]);
        var idx = c.InAs(1, DType.Int64);
        if (axis is null)
        {
            var size = c.Node("ReduceProd", [xShape], ("keepdims", 1L));
            var flat = c.Node("ScatterElements", [c.Zeros(size, t), WrapIndices(c, idx, size), u], ("axis", 0L), ("reduction", "add"));
            c.Return(c.Node("Reshape", [flat, xShape]), t);
            return;
        }
        int rank = c.InRank(2), a = Normalize.Axis(axis.Value, rank);
        var uShape = c.Node("Shape", [u]);
        var n = c.Node("Slice", [xShape, c.Ints(a), c.Ints(a + 1)]);
        var target = c.Node("Concat", [c.Node("Slice", [uShape, c.Ints(0), c.Ints(a)]), n, c.Node("Slice", [uShape, c.Ints(a + 1), c.Ints(long.MaxValue)])], ("axis", 0L));
        var wrapped = WrapIndices(c, c.Node("Expand", [idx, uShape]), n);
        var summed = c.Node("ScatterElements", [c.Zeros(target, t), wrapped, u], ("axis", (long)a), ("reduction", "add"));
        // Axes where x has size 1 and the output more (x broadcast against the indices) sum back to 1; an unknown
        // dimension of x is taken as unstretched, as _sum_like does.
        KerasBackend.Shape xs = c.InShape(2), us = c.InShape(0);
        var stretched = Enumerable.Range(0, rank).Where(i => i != a && xs[i] == 1 && us[i] != 1).ToArray();
        if (stretched.Length > 0) summed = c.Reduce("ReduceSum", summed, stretched, keepdims: true);
        c.Return(summed, t);
    }
}
