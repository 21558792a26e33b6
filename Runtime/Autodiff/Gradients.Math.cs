namespace KerasBackend.Autodiff;

// Gradients of the element-wise math ops. Each method receives the node and d loss / d output and returns
// d loss / d input per input; broadcasting is undone by the backward pass (GradOps.Fit).
internal static partial class Gradients
{
    // d(x + y) = (u, u)
    public static Tensor?[] Add(GradContext g) => [g.Upstream, g.Upstream];

    // d(x - y) = (u, -u)
    public static Tensor?[] Subtract(GradContext g) => [g.Upstream, g.Wants(1) ? K.Negative(g.Upstream) : null];

    // d(x * y) = (u * y, u * x)
    public static Tensor?[] Multiply(GradContext g) =>
        [g.Wants(0) ? K.Multiply(g.Upstream, g.Y) : null, g.Wants(1) ? K.Multiply(g.Upstream, g.X) : null];

    // d(x / y) = (u / y, -u * x / y²)
    public static Tensor?[] Divide(GradContext g) =>
        [g.Wants(0) ? K.Divide(g.Upstream, g.Y) : null,
         g.Wants(1) ? K.Divide(K.Divide(K.Multiply(K.Negative(g.Upstream), g.X), g.Y), g.Y) : null];

    // d(-x) = -u
    public static Tensor?[] Negative(GradContext g) => [K.Negative(g.Upstream)];

    // d exp(x) = u * exp(x)
    public static Tensor?[] Exp(GradContext g) => [K.Multiply(g.Upstream, g.Output)];
}

internal static partial class Gradients
{
    // d|x| = u · sign(x), with sign(0) = 0 (the switch keeps the 0/0 of x/|x| out)
    public static Tensor?[] Abs(GradContext g) =>
        [K.Switch(g.X, K.Divide(K.Multiply(g.Upstream, g.X), g.Output), K.ZerosLike(g.Upstream))];

    // d log x = u / x
    public static Tensor?[] Log(GradContext g) => [K.Divide(g.Upstream, g.X)];

    // d √x = u / (2√x)
    // Below 0 the input was clipped to 0 (tf.maximum's gradient passes only where x >= 0): nothing flows there.
    public static Tensor?[] Sqrt(GradContext g) =>
        [K.Switch(K.Less(g.X, Tensor.WeakScalar(0)), GradOps.ZerosLike(g.X, g.Upstream.DType), K.Divide(g.Upstream, g.Output * 2.0))];

    // d x² = 2x · u
    public static Tensor?[] Square(GradContext g) => [K.Multiply(g.X * 2.0, g.Upstream)];

    // d xᵃ = a · xᵃ⁻¹ · u
    public static Tensor?[] Pow(GradContext g)
    {
        double a = g.Attr(0, 1.0);
        return [K.Multiply(K.Pow(g.X, a - 1) * a, g.Upstream)];
    }

    // d max(x, y) = (u where x > y, u where x ≤ y): a tie sends the gradient to y
    public static Tensor?[] Maximum(GradContext g) => MaxMinGradient(g);

    // d min(x, y) = (u where x < y, u where x ≥ y): a tie sends the gradient to y
    public static Tensor?[] Minimum(GradContext g) => MaxMinGradient(g);

    // The output differs from y exactly where x was chosen.
    private static Tensor?[] MaxMinGradient(GradContext g)
    {
        var u = g.Upstream;
        var toX = K.Switch(K.Subtract(g.Output, g.Y), u, K.ZerosLike(u));
        return [toX, g.Wants(1) ? K.Subtract(u, toX) : null];
    }
}
