namespace KerasBackend.Autodiff;

// Gradients of the Keras 3 ops of issue 16 (math, activation and normalization kernels), built from K ops.
internal static partial class Gradients
{
    // d erf(x) = u · 2/√π · e^(−x²)
    public static Tensor?[] Erf(GradContext g) =>
        [K.Multiply(g.Upstream, K.Exp(K.Negative(K.Square(g.X))) * (2 / Math.Sqrt(Math.PI)))];

    // d x^(−1/2) = u · (−½) · rsqrt(x)³
    public static Tensor?[] Rsqrt(GradContext g) =>
        [K.Multiply(g.Upstream, K.Multiply(K.Square(g.Output), g.Output) * -0.5)];

    // d mod(x, y) = (u, −u · floor_divide(x, y)), as TensorFlow's FloorMod gradient
    public static Tensor?[] Mod(GradContext g) =>
        [g.Wants(0) ? g.Upstream : null, g.Wants(1) ? K.Negative(K.Multiply(g.Upstream, K.FloorDivide(g.X, g.Y))) : null];

    // d nan_to_num(x) = u where x is finite, 0 at the replaced entries
    public static Tensor?[] NanToNum(GradContext g) =>
        [K.Switch(K.IsFinite(g.X), g.Upstream, GradOps.ZerosLike(g.X, g.Upstream.DType))];
}
