namespace KerasBackend.Autodiff;

internal static partial class Gradients
{
    // d logsumexp_axis x = u · exp(x − logsumexp) (the softmax over the axes), u and the result spread back over them
    public static Tensor?[] LogSumExp(GradContext g)
    {
        int[]? axis = g.Attr<int[]?>(0, null);
        bool keepdims = g.Attr(1, false);
        var x = g.X;
        return [K.Multiply(Spread(g.Upstream, x, axis, keepdims), K.Exp(K.Subtract(x, Spread(g.Output, x, axis, keepdims))))];
    }
}
