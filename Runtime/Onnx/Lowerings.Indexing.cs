namespace KerasBackend.Onnx;

// strided_slice: Slice, then Squeeze (integer indices), then Unsqueeze (new axes). strided_slice_update: ScatterND of the
// region's elements, whose coordinates are a constant (x's shape must be known when the graph is exported).
internal static partial class Lowerings
{
    public static void StridedSlice(LoweringContext c)
    {
        var ix = Index(c, 0);
        var t = LoweringContext.ComputeOf(c.OutDType);
        var x = c.InAs(0, t);
        var (starts, ends, axes, steps, squeeze, newAxes) = StridedSlicing.OnnxSlices(c.InRank(0), ix.Begin, ix.End, ix.Strides,
            ix.BeginMask, ix.EndMask, ix.EllipsisMask, ix.NewAxisMask, ix.ShrinkAxisMask);
        if (axes.Length > 0) x = c.Node("Slice", [x, c.Ints(starts), c.Ints(ends), c.Ints(axes), c.Ints(steps)]);
        if (squeeze.Length > 0) x = c.Node("Squeeze", [x, c.Ints(squeeze)]);
        if (newAxes.Length > 0) x = c.Node("Unsqueeze", [x, c.Ints(newAxes)]);
        c.Return(axes.Length + squeeze.Length + newAxes.Length == 0 ? c.Node("Identity", [x]) : x, t);
    }

    public static void StridedSliceUpdate(LoweringContext c)
    {
        var ix = Index(c, 0);
        var shape = c.InShape(0);
        if (!shape.IsFullyDefined)
            throw new OnnxExportException(c.Op, $"strided_slice_update is exported with its region's coordinates as a constant, so x's shape must be known; received x.shape={shape}.");
        var plan = StridedSlicing.Resolve(shape, ix.Begin, ix.End, ix.Strides, ix.BeginMask, ix.EndMask, ix.EllipsisMask, ix.NewAxisMask, ix.ShrinkAxisMask);
        var t = LoweringContext.ComputeOf(c.OutDType);
        var x = c.InAs(0, t);
        int count = plan.Result.ElementCount, rank = shape.Rank;
        if (count == 0 || rank == 0)
        {
            // Nothing selected keeps x; a rank-0 x is replaced by the (single) update.
            c.Return(rank == 0 && count == 1 ? c.Node("Reshape", [c.InCompute(1, c.OutDType), c.Ints()]) : c.Node("Identity", [x]), t);
            return;
        }
        var coords = new long[count * rank];
        var strides = shape.Strides();
        StridedSlicing.ForEachSource(shape, plan, (o, flat) =>
        {
            for (int d = 0; d < rank; d++) { coords[o * rank + d] = flat / strides[d]; flat %= strides[d]; }
        });
        var indices = c.Constant(Tensor.FromSpan<long>(coords, count, rank));
        var regionShape = plan.Result.Dims.ToArray().Select(d => (long)d).ToArray();
        var updates = c.Node("Expand", [c.InCompute(1, c.OutDType), c.Ints(regionShape)]);
        updates = c.Node("Reshape", [updates, c.Ints(count)]);
        c.Return(c.Node("ScatterND", [x, indices, updates]), t);
    }

    private static (int[] Begin, int[] End, int[] Strides, int BeginMask, int EndMask, int EllipsisMask, int NewAxisMask, int ShrinkAxisMask) Index(LoweringContext c, int first) =>
        (c.Attr<int[]>(first), c.Attr<int[]>(first + 1), c.Attr<int[]>(first + 2), Mask(c, first + 3), Mask(c, first + 4), Mask(c, first + 5), Mask(c, first + 6), Mask(c, first + 7));

    private static int Mask(LoweringContext c, int i) => c.Attr(i) is int m ? m : 0;
}
