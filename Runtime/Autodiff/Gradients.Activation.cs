namespace KerasBackend.Autodiff;

// Gradients of the activations.
internal static partial class Gradients
{
    // d tanh x = u · (1 - tanh² x)
    public static Tensor?[] Tanh(GradContext g) => [K.Multiply(g.Upstream, 1.0 - K.Multiply(g.Output, g.Output))];

    // d σ(x) = u · σ(x) · (1 - σ(x))
    public static Tensor?[] Sigmoid(GradContext g) => [K.Multiply(g.Upstream, K.Multiply(g.Output, 1.0 - g.Output))];

    // relu(x, α, max, t) = min(x, max) for x ≥ t, α(x - t) below: d = u · (α below t, 1 between t and max, 0 from max on)
    public static Tensor?[] Relu(GradContext g)
    {
        double alpha = g.Attr(0, 0.0), threshold = g.Attr(2, 0.0);
        double? maxValue = g.Attr<double?>(1, null);
        var x = g.X;
        var dtype = g.Upstream.DType;
        var t = K.ZerosLike(x) + threshold;
        var above = GradOps.Greater(x, t, dtype);
        var slope = alpha == 0 ? above : K.Add(above, (1.0 - above) * alpha);
        if (maxValue is double m)
            slope = K.Multiply(slope, GradOps.Greater(K.ZerosLike(x) + m, x, dtype));
        return [K.Multiply(g.Upstream, slope)];
    }

    /// <summary>1 where <paramref name="mask"/> holds, else 0, in <paramref name="dtype"/>.</summary>
    private static Tensor Where(Tensor mask, DType dtype) => K.Cast(mask, dtype);

    // d elu(x) = u · (1 for x > 0, alpha · exp(x) otherwise); exp of min(x, 0), so large x cannot overflow into 0 · inf
    public static Tensor?[] Elu(GradContext g)
    {
        double alpha = g.Attr(0, 1.0);
        var x = g.X;
        var dtype = g.Upstream.DType;
        var pos = Where(K.Greater(x, Tensor.WeakScalar(0)), dtype);
        var neg = K.Exp(K.Minimum(x, K.ZerosLike(x))) * alpha;
        return [K.Multiply(g.Upstream, K.Add(pos, K.Multiply(1.0 - pos, neg)))];
    }

    // d softplus(x) = u · sigmoid(x)
    public static Tensor?[] Softplus(GradContext g) => [K.Multiply(g.Upstream, K.Sigmoid(g.X))];

    // d softsign(x) = u / (1 + |x|)²
    public static Tensor?[] Softsign(GradContext g)
    {
        var d = 1.0 + K.Abs(g.X);
        return [K.Divide(g.Upstream, K.Multiply(d, d))];
    }

    // d hard_sigmoid(x) = u · 0.2 where -2.5 <= x <= 2.5 (tf.clip_by_value's gradient passes its bounds), else 0
    public static Tensor?[] HardSigmoid(GradContext g)
    {
        var dtype = g.Upstream.DType;
        var inside = K.Multiply(Where(K.GreaterEqual(g.X, Tensor.WeakScalar(-2.5)), dtype), Where(K.LessEqual(g.X, Tensor.WeakScalar(2.5)), dtype));
        return [K.Multiply(g.Upstream, inside * 0.2)];
    }
}
