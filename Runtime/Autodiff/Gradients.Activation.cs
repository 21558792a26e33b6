namespace KerasBackend.Autodiff;

// Gradients of the activations, written from their outputs so that no extra transcendental is evaluated.
internal static partial class Gradients
{
    // d tanh(x) = u * (1 - tanh(x)²)
    public static Tensor?[] Tanh(GradContext g) => [K.Multiply(g.Upstream, 1.0 - g.Output * g.Output)];

    // d σ(x) = u * σ(x) * (1 - σ(x))
    public static Tensor?[] Sigmoid(GradContext g) => [K.Multiply(g.Upstream, g.Output * (1.0 - g.Output))];
}
