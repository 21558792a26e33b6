namespace KerasBackend.Autodiff;

// Gradients of the creation ops that take a tensor.
internal static partial class Gradients
{
    // d cast(x) = cast(u, x.dtype); nothing flows into an integer x (the backward pass skips it)
    public static Tensor?[] Cast(GradContext g) => [g.Upstream];
}
