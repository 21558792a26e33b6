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
