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

internal static partial class Gradients
{
    // gelu: exact d = Φ(x) + x·φ(x); approximate d = ½(1 + t) + ½·x·(1 − t²)·c·(1 + 3a·x²), t = tanh(c·(x + a·x³))
    public static Tensor?[] Gelu(GradContext g)
    {
        var x = g.X;
        Tensor d;
        if (g.Attr(0, true))
        {
            const double c = 0.7978845608028654, a = 0.044715;
            var t = K.Tanh(K.Multiply(K.Add(x, K.Multiply(K.Multiply(K.Square(x), x), Tensor.WeakScalar(a))), Tensor.WeakScalar(c)));
            var dt = K.Multiply(K.Subtract(Tensor.WeakScalar(1), K.Square(t)), K.Add(K.Multiply(K.Square(x), Tensor.WeakScalar(3 * a * c)), Tensor.WeakScalar(c)));
            d = K.Add(K.Multiply(K.Add(t, Tensor.WeakScalar(1)), Tensor.WeakScalar(0.5)), K.Multiply(K.Multiply(x, dt), Tensor.WeakScalar(0.5)));
        }
        else
        {
            var cdf = K.Multiply(K.Add(K.Erf(K.Multiply(x, Tensor.WeakScalar(1 / Math.Sqrt(2)))), Tensor.WeakScalar(1)), Tensor.WeakScalar(0.5));
            var pdf = K.Multiply(K.Exp(K.Multiply(K.Square(x), Tensor.WeakScalar(-0.5))), Tensor.WeakScalar(1 / Math.Sqrt(2 * Math.PI)));
            d = K.Add(cdf, K.Multiply(x, pdf));
        }
        return [K.Multiply(g.Upstream, d)];
    }

    // layer_normalization, x̂ = (x − μ)·r with r = 1/√(σ² + ε), y = x̂·γ + β over the axes:
    // dx = r·(v − mean(v) − x̂·mean(v·x̂)) with v = u·γ; dγ = Σ u·x̂ and dβ = Σ u over the other axes. A γ that broadcasts
    // onto x gets the full product (the backward pass sums it to γ's shape); a γ reshaped onto the axes gets the sum, reshaped.
    public static Tensor?[] LayerNormalization(GradContext g)
    {
        var x = g.X;
        Tensor? gamma = g.Inputs[1], beta = g.Inputs[2];
        int r = x.Rank;
        var axes = Normalize.Axes(g.Attr<int[]?>(0, null) ?? [-1], r);
        double eps = g.Attrs.Count > 1 && g.Attrs[1] is double e ? e : Config.Epsilon;
        var others = Enumerable.Range(0, r).Where(d => Array.IndexOf(axes, d) < 0).ToArray();
        var inv = K.Rsqrt(K.Add(K.Var(x, axes, keepdims: true), Tensor.WeakScalar(eps)));
        var xhat = K.Multiply(K.Subtract(x, K.Mean(x, axes, keepdims: true)), inv);
        var u = g.Upstream;
        var v = gamma is null ? u : K.Multiply(u, Broadcasting(gamma, r, axes) ? gamma : K.Reshape(gamma, Enumerable.Range(0, r).Select(d => Array.IndexOf(axes, d) < 0 ? 1 : x.Shape[d]).ToArray()));
        var dx = g.Wants(0)
            ? K.Multiply(inv, K.Subtract(K.Subtract(v, K.Mean(v, axes, keepdims: true)), K.Multiply(xhat, K.Mean(K.Multiply(v, xhat), axes, keepdims: true))))
            : null;
        var dgamma = gamma is not null && g.Wants(1) ? AsParam(K.Multiply(u, xhat), gamma, r, axes, others) : null;
        var dbeta = beta is not null && g.Wants(2) ? AsParam(u, beta, r, axes, others) : null;
        return [dx, dgamma, dbeta];
    }

    // Keras broadcasts γ when it has x's rank or the only axis is the last; otherwise it reshapes γ onto the axes.
    private static bool Broadcasting(Tensor p, int rank, int[] axes) => p.Rank == rank || (axes.Length == 1 && axes[0] == rank - 1);

    private static Tensor AsParam(Tensor full, Tensor p, int rank, int[] axes, int[] others)
    {
        if (Broadcasting(p, rank, axes)) return full;
        var s = others.Length == 0 ? full : K.Sum(full, others);
        return K.Reshape(s, p.Rank == 1 ? [-1] : p.Shape.ToArray());
    }

    // d where(c, x1, x2) = (nothing, u where c, u where not c)
    public static Tensor?[] Where(GradContext g)
    {
        var zeros = K.ZerosLike(g.Upstream);
        var c = g.Inputs[0]!;
        return [null, g.Wants(1) ? K.Where(c, g.Upstream, zeros) : null, g.Wants(2) ? K.Where(c, zeros, g.Upstream) : null];
    }

    // d tril(x, k) = tril(u, k); d triu(x, k) = triu(u, k)
    public static Tensor?[] Tril(GradContext g) => [K.Tril(g.Upstream, g.Attr(0, 0))];

    public static Tensor?[] Triu(GradContext g) => [K.Triu(g.Upstream, g.Attr(0, 0))];
}
