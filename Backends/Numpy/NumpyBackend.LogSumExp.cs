namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>tf.reduce_logsumexp per group, in double: m' + log(Σ exp(x − m')), m' the group's max, or 0 when it is not finite.</summary>
    public void LogSumExp(Tensor x, int[] axis, bool keepdims, Tensor output) => Reduce(x, axis, output, (o, items) =>
    {
        double m = double.NegativeInfinity;
        foreach (var i in items)
        {
            double v = x.GetDouble(i);
            m = double.IsNaN(v) || double.IsNaN(m) ? double.NaN : Math.Max(m, v);
        }
        double shift = double.IsFinite(m) ? m : 0, s = 0;
        foreach (var i in items) s += Math.Exp(x.GetDouble(i) - shift);
        output.SetDouble(o, Math.Log(s) + shift);
    });
}
