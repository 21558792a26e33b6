namespace KerasBackend.Backends.Numpy;

// strided_slice and strided_slice_update: numpy basic indexing, element by element.
public sealed partial class NumpyBackend
{
    /// <summary>out[k] = x[source of k], walking the resolved index (StridedSlicing) in row-major order.</summary>
    public void StridedSlice(Tensor x, int[] begin, int[] end, int[] strides, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask, Tensor output)
    {
        var plan = StridedSlicing.Resolve(x.Shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask);
        StridedSlicing.ForEachSource(x.Shape, plan, (o, src) => CopyElement(x, src, output, o));
    }

    /// <summary>out = x; then out[source of k] = updates broadcast to the region, cast as numpy's assignment casts.</summary>
    public void StridedSliceUpdate(Tensor x, int[] begin, int[] end, int[] strides, Tensor updates, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask, Tensor output)
    {
        for (int i = 0; i < x.Size; i++) CopyElement(x, i, output, i);
        var plan = StridedSlicing.Resolve(x.Shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask);
        var map = Indexing.BroadcastMap(StridedSlicing.WithoutLeadingOnes(updates.Shape, plan.Result.Rank), plan.Result);
        StridedSlicing.ForEachSource(x.Shape, plan, (o, dst) =>
        {
            if (output.DType == DType.Bool) output.SetDouble(dst, updates.GetDouble(map[o]) != 0 ? 1 : 0);
            else CopyElement(updates, map[o], output, dst);
        });
    }
}
