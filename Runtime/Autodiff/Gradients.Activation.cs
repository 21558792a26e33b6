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
}
