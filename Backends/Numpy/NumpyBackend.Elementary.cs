namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>numpy.round: half to even in double (exact for every float dtype); integers and bool unchanged.</summary>
    public void Round(Tensor x, Tensor output) => Unary(x, output, v => Math.Round(v, MidpointRounding.ToEven), v => v);

    /// <summary>numpy.sign: -1, 0 or 1; NaN stays NaN; ±0 give +0.</summary>
    public void Sign(Tensor x, Tensor output) =>
        Unary(x, output, v => v > 0 ? 1 : v < 0 ? -1 : v == 0 ? 0 : double.NaN, v => v > 0 ? 1 : v < 0 ? -1 : 0);

    /// <summary>
    /// maximum(minimum(x, max), min) after tf-keras's bound rules; NaN stays NaN. Integers: exactly in long when the
    /// bounds are whole, else in double and truncated toward zero (numpy.clip(...).astype(x.dtype)).
    /// </summary>
    public void Clip(Tensor x, double? minValue, double? maxValue, Tensor output)
    {
        var (lo, hi) = ClipBounds.Resolve(minValue, maxValue);
        if (output.DType.IsFloat() || !ClipBounds.Whole(lo, hi))
        {
            for (int i = 0; i < output.Size; i++)
            {
                double v = Math.Max(Math.Min(x.GetDouble(i), hi), lo);
                if (output.DType.IsFloat()) output.SetDouble(i, v);
                else output.SetLong(i, (long)Math.Truncate(v));
            }
            return;
        }
        long l = Saturate(lo), h = Saturate(hi);
        for (int i = 0; i < output.Size; i++) output.SetLong(i, Math.Max(Math.Min(x.GetLong(i), h), l));
    }

    private static long Saturate(double v) => v <= long.MinValue ? long.MinValue : v >= long.MaxValue ? long.MaxValue : (long)v;

    /// <summary>numpy.sin in double.</summary>
    public void Sin(Tensor x, Tensor output) => Unary(x, output, Math.Sin);

    /// <summary>numpy.cos in double.</summary>
    public void Cos(Tensor x, Tensor output) => Unary(x, output, Math.Cos);
}
