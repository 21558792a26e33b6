namespace KerasBackend.Backends.Numpy;

// The crossentropy losses as tf-keras' backend.py writes them, one slice along the class axis at a time, in double.
public sealed partial class NumpyBackend
{
    /// <summary>
    /// Logits: -Σ t·(x - logsumexp(x)). Probabilities: p = o / Σo, clipped to [ε, 1 - ε], then -Σ t·log p.
    /// </summary>
    public void CategoricalCrossentropy(Tensor target, Tensor output, bool fromLogits, int axis, Tensor result)
    {
        var (outer, n, inner) = Indexing.AroundAxis(output.Shape, axis);
        double eps = Config.Epsilon;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int At(int j) => (o * n + j) * inner + i;
                double loss = 0;
                if (fromLogits)
                {
                    double lse = LogSumExp(output, n, At);
                    for (int j = 0; j < n; j++) loss -= target.GetDouble(At(j)) * (output.GetDouble(At(j)) - lse);
                }
                else
                {
                    double s = 0;
                    for (int j = 0; j < n; j++) s += output.GetDouble(At(j));
                    for (int j = 0; j < n; j++) loss -= target.GetDouble(At(j)) * Math.Log(Clip(output.GetDouble(At(j)) / s, eps, result.DType));
                }
                result.SetDouble(o * inner + i, loss);
            }
    }

    /// <summary>
    /// Logits: logsumexp(x) - x[label]. Probabilities: log of the clipped output taken as logits, i.e.
    /// log Σ clip(o) - log clip(o)[label]. Positions labelled ignore_class give 0.
    /// </summary>
    public void SparseCategoricalCrossentropy(Tensor target, Tensor output, bool fromLogits, int axis, int? ignoreClass, Tensor result)
    {
        var (outer, n, inner) = Indexing.AroundAxis(output.Shape, axis);
        double eps = Config.Epsilon;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int At(int j) => (o * n + j) * inner + i;
                int row = o * inner + i;
                long label = target.GetLong(row);
                if (ignoreClass is int ic && label == ic) { result.SetDouble(row, 0); continue; }
                double loss;
                if (fromLogits) loss = LogSumExp(output, n, At) - output.GetDouble(At((int)label));
                else
                {
                    double s = 0;
                    for (int j = 0; j < n; j++) s += Clip(output.GetDouble(At(j)), eps, result.DType);
                    loss = Math.Log(s) - Math.Log(Clip(output.GetDouble(At((int)label)), eps, result.DType));
                }
                result.SetDouble(row, loss);
            }
    }

    /// <summary>
    /// Logits: max(x, 0) - x·t + log1p(exp(-|x|)). Probabilities: o clipped to [ε, 1 - ε], then
    /// -(t·log(o + ε) + (1 - t)·log(1 - o + ε)).
    /// </summary>
    public void BinaryCrossentropy(Tensor target, Tensor output, bool fromLogits, Tensor result)
    {
        var mt = Indexing.BroadcastMap(target.Shape, result.Shape);
        var mo = Indexing.BroadcastMap(output.Shape, result.Shape);
        double eps = Config.Epsilon;
        for (int k = 0; k < result.Size; k++)
        {
            double t = target.GetDouble(mt[k]), x = output.GetDouble(mo[k]);
            double loss;
            if (fromLogits) loss = Math.Max(x, 0) - x * t + Math.Log(1 + Math.Exp(-Math.Abs(x)));
            else
            {
                double c = Clip(x, eps, result.DType);
                loss = -(t * Math.Log(c + eps) + (1 - t) * Math.Log(1 - c + eps));
            }
            result.SetDouble(k, loss);
        }
    }

    /// <summary>
    /// tf.clip_by_value(v, ε, 1 - ε); NaN stays NaN. The bounds are rounded to float32 unless the result is float64, as
    /// numpy does with a weak Python scalar against a float32 array and TensorFlow with epsilon_ in the tensor's dtype
    /// (1 - ε is then 1 - 1.19e-7: what -log(1 - c + ε) sees at a clipped 1).
    /// </summary>
    private static double Clip(double v, double eps, DType dtype)
    {
        double lo = dtype == DType.Float64 ? eps : (float)eps, hi = dtype == DType.Float64 ? 1 - eps : (float)(1 - eps);
        return double.IsNaN(v) ? v : Math.Min(Math.Max(v, lo), hi);
    }

    /// <summary>m + log Σ exp(x_j - m) over one slice (m its maximum: an infinite maximum or a NaN gives NaN, as the shifted formula does).</summary>
    private static double LogSumExp(Tensor x, int n, Func<int, int> at)
    {
        double m = double.NegativeInfinity;
        for (int j = 0; j < n; j++)
        {
            double v = x.GetDouble(at(j));
            m = double.IsNaN(v) || double.IsNaN(m) ? double.NaN : Math.Max(m, v);
        }
        double s = 0;
        for (int j = 0; j < n; j++) s += Math.Exp(x.GetDouble(at(j)) - m);
        return m + Math.Log(s);
    }
}
