namespace KerasBackend;

// Shape and dtype rules and checks of one_hot, slice and arange (Spec/ops/manipulation.json).
public static partial class ShapeRules
{
    /// <summary>one_hot: indices.shape + (num_classes,).</summary>
    public static Shape OneHot(Tensor indices, int numClasses) => Shape.Wrap([.. indices.Shape.ToArray(), numClasses]);

    /// <summary>slice: the sizes, a -1 resolved to the rest of the axis (unknown when the axis is).</summary>
    public static Shape Slice(Tensor x, int[] start, int[] size)
    {
        var d = new int[x.Rank];
        for (int i = 0; i < d.Length; i++)
            d[i] = size[i] >= 0 ? size[i] : x.Shape[i] < 0 ? Shape.Unknown : x.Shape[i] - start[i];
        return Shape.Wrap(d);
    }

    /// <summary>arange: (max(0, ceil((stop - start) / step)),) with Theano's one-argument form (stop null: [0, start)).</summary>
    public static Shape Arange(double start, double? stop, double step) => Shape.Wrap([ArangeLength(start, stop, step)]);

    internal static int ArangeLength(double start, double? stop, double step)
    {
        var (a, b) = stop is double s ? (start, s) : (0.0, Math.Max(start, 0));
        double n = Math.Ceiling((b - a) / step);
        return n > 0 ? checked((int)n) : 0;
    }
}

public static partial class DTypeRules
{
    /// <summary>arange: the given dtype, else int32 (tf-keras' default).</summary>
    public static DType ArangeDType(DType? dtype) => dtype ?? DType.Int32;
}

public static partial class Checks
{
    public static bool NonNegative(int n) => n >= 0;

    public static bool NonZero(double v) => v != 0;

    /// <summary>arange: finite bounds and step, and a length that fits an int (a huge or NaN range is refused before the shape is formed).</summary>
    public static bool ArangeLengthValid(double start, double? stop, double step)
    {
        if (!double.IsFinite(start) || stop is double s && !double.IsFinite(s) || !double.IsFinite(step)) return false;
        if (step == 0) return true;   // non_zero reports it
        var (a, b) = stop is double t ? (start, t) : (0.0, Math.Max(start, 0));
        return Math.Ceiling((b - a) / step) <= int.MaxValue;
    }

    /// <summary>slice: one start and one size per axis.</summary>
    public static bool SliceLengths(Tensor x, int[] start, int[] size) => start.Length == x.Rank && size.Length == x.Rank;

    /// <summary>slice: 0 ≤ start, size ≥ -1, start + size ≤ dim (start ≤ dim for size -1); unknown dimensions pass.</summary>
    public static bool SliceInBounds(Tensor x, int[] start, int[] size)
    {
        if (!SliceLengths(x, start, size)) return true;
        for (int i = 0; i < x.Rank; i++)
        {
            if (start[i] < 0 || size[i] < -1) return false;
            int dim = x.Shape[i];
            if (dim < 0) continue;
            if ((size[i] == -1 ? start[i] : (long)start[i] + size[i]) > dim) return false;
        }
        return true;
    }
}
