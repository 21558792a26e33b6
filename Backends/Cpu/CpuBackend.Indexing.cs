namespace KerasBackend.Backends.Cpu;

// strided_slice and strided_slice_update: block copies along the resolved index (Strided).
public sealed partial class CpuBackend
{
    /// <summary>strided_slice: one word walk over the region, a block copy per row when the last axis has step 1.</summary>
    public void StridedSlice(Tensor x, int[] begin, int[] end, int[] strides, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask, Tensor output) =>
        Strided.Gather(x, StridedSlicing.Resolve(x.Shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask), output);

    /// <summary>strided_slice_update: copy x, cast updates to x's dtype and broadcast them to the region, then scatter.</summary>
    public void StridedSliceUpdate(Tensor x, int[] begin, int[] end, int[] strides, Tensor updates, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask, Tensor output)
    {
        x.Bytes().CopyTo(output.Bytes());
        var plan = StridedSlicing.Resolve(x.Shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask);
        if (plan.Result.ElementCount == 0) return;
        var cast = updates;
        if (updates.DType != x.DType)
        {
            cast = Tensor.Uninitialized(x.DType, updates.Shape);
            Casting.Cast(updates, cast);
        }
        var region = cast;
        var source = StridedSlicing.WithoutLeadingOnes(cast.Shape, plan.Result.Rank);
        // Equal counts that pass the broadcast check are the same row-major layout; otherwise broadcast first.
        if (source.ElementCount != plan.Result.ElementCount)
        {
            // Broadcast into a region-shaped buffer first (numpy's rule; the check made sure it fits).
            region = Tensor.Uninitialized(x.DType, plan.Result);
            var map = Indexing.BroadcastMap(source, plan.Result);
            Broadcast(cast, map, region);
        }
        Strided.Scatter(region, plan, output);
        if (!ReferenceEquals(region, cast)) region.Dispose();
        if (!ReferenceEquals(cast, updates)) cast.Dispose();
    }

    private static void Broadcast(Tensor src, int[] map, Tensor dst)
    {
        int item = src.DType.ItemSize();
        var s = src.Bytes();
        var d = dst.Bytes();
        for (int i = 0; i < map.Length; i++) s.Slice(map[i] * item, item).CopyTo(d.Slice(i * item, item));
    }
}
