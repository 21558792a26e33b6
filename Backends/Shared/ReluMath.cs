namespace KerasBackend.Backends;

/// <summary>
/// relu as tf-keras's code computes it (backend.py relu, lines 5372–5407), not as its docstring words it:
/// pos = x for x &gt; threshold else x · 0 (threshold ≠ 0: <c>x * cast(greater(x, threshold))</c>, so −inf gives NaN) or
/// max(x, 0) (threshold = 0: <c>tf.nn.relu</c>); with max_value, pos = clip(pos, 0, max_value) (<c>tf.clip_by_value</c>);
/// with alpha ≠ 0, the result is pos − alpha · max(threshold − x, 0) (<c>x -= alpha * negative_part</c>). NaN passes.
/// The backends share this scalar definition.
/// </summary>
public static class ReluMath
{
    public static double Scalar(double v, double alpha, double? maxValue, double threshold)
    {
        double pos = threshold != 0 ? (v > threshold ? v : v * 0) : (v < 0 ? 0 : v);
        if (maxValue is double m)
        {
            // clip_by_value(pos, 0, m) = maximum(minimum(pos, m), 0): the cap first, so m < 0 gives 0.
            if (pos > m) pos = m;
            if (pos < 0) pos = 0;
        }
        if (alpha != 0)
        {
            double neg = threshold - v;
            pos -= alpha * (neg < 0 ? 0 : neg);
        }
        return pos;
    }
}
