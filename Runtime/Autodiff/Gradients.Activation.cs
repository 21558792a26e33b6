namespace KerasBackend.Autodiff;

// Gradients of the activations.
internal static partial class Gradients
{
    // d tanh x = u · (1 - tanh² x)
    public static Tensor?[] Tanh(GradContext g) => [K.Multiply(g.Upstream, 1.0 - K.Multiply(g.Output, g.Output))];

    // d σ(x) = u · σ(x) · (1 - σ(x))
    public static Tensor?[] Sigmoid(GradContext g) => [K.Multiply(g.Upstream, K.Multiply(g.Output, 1.0 - g.Output))];

    // relu as tf-keras computes it (ReluMath): d = u · ((x > t) · [0 <= x <= max] + α · (x < t)); the cap's bounds pass the
    // gradient (tf.clip_by_value's minimum/maximum), and at x = t nothing flows, as through TensorFlow's ops
    public static Tensor?[] Relu(GradContext g)
    {
        double alpha = g.Attr(0, 0.0), threshold = g.Attr(2, 0.0);
        double? maxValue = g.Attr<double?>(1, null);
        var x = g.X;
        var dtype = g.Upstream.DType;
        var slope = K.Cast(K.Greater(x, Tensor.WeakScalar(threshold)), dtype);
        if (maxValue is double m)
            slope = K.Multiply(slope, K.Multiply(K.Cast(K.LessEqual(x, Tensor.WeakScalar(m)), dtype), K.Cast(K.GreaterEqual(x, Tensor.WeakScalar(0)), dtype)));
        if (alpha != 0) slope = K.Add(slope, K.Cast(K.Less(x, Tensor.WeakScalar(threshold)), dtype) * alpha);
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
