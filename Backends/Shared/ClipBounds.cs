namespace KerasBackend.Backends;

/// <summary>clip's bounds as tf-keras resolves them before <c>tf.clip_by_value</c>.</summary>
public static class ClipBounds
{
    /// <summary>
    /// A null bound is -inf (min) or +inf (max); when both are numbers and max &lt; min, max becomes min
    /// (tf-keras backend.py <c>clip</c>: <c>if max_value &lt; min_value: max_value = min_value</c>).
    /// </summary>
    public static (double Min, double Max) Resolve(double? minValue, double? maxValue)
    {
        double lo = minValue ?? double.NegativeInfinity, hi = maxValue ?? double.PositiveInfinity;
        if (minValue is not null && maxValue is not null && hi < lo) hi = lo;
        return (lo, hi);
    }

    /// <summary>Whether both bounds are whole numbers or infinite: integer inputs can then be clipped exactly in their own type.</summary>
    public static bool Whole(double lo, double hi) =>
        (double.IsInfinity(lo) || lo == Math.Floor(lo)) && (double.IsInfinity(hi) || hi == Math.Floor(hi));
}
