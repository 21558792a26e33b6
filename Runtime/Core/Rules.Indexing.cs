namespace KerasBackend;

// Shape rules and checks of strided_slice and strided_slice_update (Spec/ops/indexing.json); the index arithmetic is
// StridedSlicing's.
public static partial class ShapeRules
{
    /// <summary>strided_slice: numpy basic indexing's result shape (new axes 1, integer-indexed axes removed, slices
    /// their clamped lengths; unknown where x's dimension is).</summary>
    public static Shape StridedSlice(Tensor x, int[] begin, int[] end, int[] strides, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask) =>
        StridedSlicing.Resolve(x.Shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask).Result;
}

public static partial class Checks
{
    /// <summary>strided_slice: begin, end and strides have one entry per index item, at most 32 (the masks' bits).</summary>
    public static bool StridedSliceLengths(int[] begin, int[] end, int[] strides) =>
        begin.Length == end.Length && begin.Length == strides.Length && begin.Length <= 32;

    /// <summary>strided_slice: at most one ellipsis, and no item marked as two kinds (ellipsis, new axis, integer index).</summary>
    public static bool StridedSliceMasks(int[] begin, int ellipsisMask, int newAxisMask, int shrinkAxisMask)
    {
        int n = Math.Min(begin.Length, 32);
        uint used = n == 32 ? uint.MaxValue : (1u << n) - 1;
        uint e = (uint)ellipsisMask & used, nw = (uint)newAxisMask & used, sh = (uint)shrinkAxisMask & used;
        return System.Numerics.BitOperations.PopCount(e) <= 1 && (e & nw) == 0 && (e & sh) == 0 && (nw & sh) == 0;
    }

    /// <summary>strided_slice: a slice's step is not zero (numpy: "slice step cannot be zero").</summary>
    public static bool StridedSliceSteps(int[] begin, int[] end, int[] strides, int ellipsisMask, int newAxisMask, int shrinkAxisMask)
    {
        if (!StridedSliceLengths(begin, end, strides)) return true;
        for (int i = 0; i < strides.Length; i++)
            if (strides[i] == 0 && (((ellipsisMask | newAxisMask | shrinkAxisMask) >> i) & 1) == 0) return false;
        return true;
    }

    /// <summary>strided_slice: no more axes indexed (slices and integers) than x has (numpy: "too many indices").</summary>
    public static bool StridedSliceRank(Tensor x, int[] begin, int ellipsisMask, int newAxisMask)
    {
        int consuming = 0;
        for (int i = 0; i < Math.Min(begin.Length, 32); i++)
            if ((((ellipsisMask | newAxisMask) >> i) & 1) == 0) consuming++;
        return consuming <= x.Rank;
    }

    private static bool StridedSliceWellFormed(Tensor x, int[] begin, int[] end, int[] strides, int ellipsisMask, int newAxisMask, int shrinkAxisMask) =>
        StridedSliceLengths(begin, end, strides) && StridedSliceMasks(begin, ellipsisMask, newAxisMask, shrinkAxisMask)
        && StridedSliceSteps(begin, end, strides, ellipsisMask, newAxisMask, shrinkAxisMask) && StridedSliceRank(x, begin, ellipsisMask, newAxisMask);

    /// <summary>strided_slice: every integer index lies in [-n, n) of its axis (unknown dimensions pass until a call).</summary>
    public static bool StridedSliceInBounds(Tensor x, int[] begin, int[] end, int[] strides, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask) =>
        !StridedSliceWellFormed(x, begin, end, strides, ellipsisMask, newAxisMask, shrinkAxisMask)
        || StridedSlicing.OutOfBounds(x.Shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask) is null;

    /// <summary>strided_slice_update: updates broadcast to the selected region's shape (numpy's assignment rule).</summary>
    public static bool StridedSliceUpdateFits(Tensor x, int[] begin, int[] end, int[] strides, Tensor updates, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask)
    {
        if (!StridedSliceWellFormed(x, begin, end, strides, ellipsisMask, newAxisMask, shrinkAxisMask)
            || StridedSlicing.OutOfBounds(x.Shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask) is not null)
            return true;
        var region = StridedSlicing.Resolve(x.Shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask).Result;
        var u = updates.Shape;
        // numpy drops leading 1s of the value first: those beyond the region's rank must be 1 (or unknown yet).
        for (int i = 0; i < u.Rank - region.Rank; i++)
            if (u[i] >= 0 && u[i] != 1) return false;
        for (int i = 1; i <= Math.Min(u.Rank, region.Rank); i++)
        {
            int a = u[^i], b = region[^i];
            if (a >= 0 && b >= 0 && a != 1 && a != b) return false;
        }
        return true;
    }
}
