namespace KerasBackend.Autodiff;

// Gradients of sign, clip, sin and cos.
internal static partial class Gradients
{
    // d sign(x) = 0 (TensorFlow's _SignGrad returns zeros, not None)
    public static Tensor?[] Sign(GradContext g) => [GradOps.ZerosLike(g.X, g.Upstream.DType)];

    // d clip(x, lo, hi) = u where lo <= x <= hi (tf.clip_by_value is minimum then maximum; their gradients pass ties), else 0
    public static Tensor?[] Clip(GradContext g)
    {
        var (lo, hi) = Backends.ClipBounds.Resolve(g.Attr<double?>(0, null), g.Attr<double?>(1, null));
        var dtype = g.Upstream.DType;
        var inside = K.Multiply(K.Cast(K.GreaterEqual(g.X, Tensor.WeakScalar(lo)), dtype), K.Cast(K.LessEqual(g.X, Tensor.WeakScalar(hi)), dtype));
        return [K.Multiply(g.Upstream, inside)];
    }

    // d sin x = u · cos x
    public static Tensor?[] Sin(GradContext g) => [K.Multiply(g.Upstream, K.Cos(g.X))];

    // d cos x = -u · sin x
    public static Tensor?[] Cos(GradContext g) => [K.Negative(K.Multiply(g.Upstream, K.Sin(g.X)))];
}
