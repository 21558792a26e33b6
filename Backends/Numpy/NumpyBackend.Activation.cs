namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>numpy.tanh(x), element by element in double.</summary>
    public void Tanh(Tensor x, Tensor output) => Unary(x, output, Math.Tanh);

    /// <summary>1 / (1 + numpy.exp(-x)), element by element in double.</summary>
    public void Sigmoid(Tensor x, Tensor output) => Unary(x, output, v => 1 / (1 + Math.Exp(-v)));

    /// <summary>relu as tf-keras's code computes it (<see cref="ReluMath.Scalar"/>), element by element in double.</summary>
    public void Relu(Tensor x, double alpha, double? maxValue, double threshold, Tensor output) =>
        Unary(x, output, v => ReluMath.Scalar(v, alpha, maxValue, threshold));

    /// <summary>x for x &gt; 0, else alpha · (exp(x) - 1), in double.</summary>
    public void Elu(Tensor x, double alpha, Tensor output) => Unary(x, output, v => v > 0 ? v : alpha * ExpM1(v));

    /// <summary>exp(x) - 1, accurate for small x (Kahan: (u - 1) · x / log u with u = e^x rounded).</summary>
    private static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        return um1 == -1 || double.IsInfinity(u) || double.IsNaN(u) ? um1 : um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)), in double.</summary>
    public void Softplus(Tensor x, Tensor output) =>
        Unary(x, output, v => double.IsNaN(v) ? v : Math.Max(v, 0) + Log1P(Math.Exp(-Math.Abs(v))));

    /// <summary>log(1 + y), accurate for small y (Goldberg: log(u) · y / (u - 1) with u = 1 + y rounded).</summary>
    private static double Log1P(double y)
    {
        double u = 1 + y;
        return u == 1 ? y : Math.Log(u) * y / (u - 1);
    }

    /// <summary>x / (1 + |x|) (±inf give NaN, as the literal formula does).</summary>
    public void Softsign(Tensor x, Tensor output) => Unary(x, output, v => v / (1 + Math.Abs(v)));

    /// <summary>min(max(0.2 · x + 0.5, 0), 1) in double, written (x + 2.5) · 0.2 (no cancellation near -2.5); NaN passes.</summary>
    public void HardSigmoid(Tensor x, Tensor output) => Unary(x, output, v => Clamp01((v + 2.5) * 0.2));

    private static double Clamp01(double v) => v < 0 ? 0 : v > 1 ? 1 : v;
}
