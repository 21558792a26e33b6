namespace KerasBackend.Autodiff;

// Gradients of the reductions: the upstream gradient has the reduced shape; it is given back its reduced
// axes (as size 1 unless keepdims kept them) and broadcast over them.
internal static partial class Gradients
{
    /// <summary>The upstream gradient of a reduction of <paramref name="x"/> over <paramref name="axis"/>, with the reduced axes restored as size 1.</summary>
    private static Tensor Unreduce(Tensor upstream, Tensor x, int[]? axis, bool keepdims) =>
        keepdims ? upstream : GradOps.ExpandAxes(upstream, Normalize.Axes(axis, x.Rank));

    // d Σ_axis x = broadcast(u)
    public static Tensor?[] Sum(GradContext g) =>
        [GradOps.BroadcastLike(Unreduce(g.Upstream, g.X, g.Attr<int[]?>(0, null), g.Attr(1, false)), g.X)];
}

internal static partial class Gradients
{
    /// <summary>The output of a reduction with its reduced axes restored as size 1, broadcast to x.</summary>
    private static Tensor Spread(Tensor reduced, Tensor x, int[]? axis, bool keepdims) =>
        GradOps.BroadcastLike(Unreduce(reduced, x, axis, keepdims), x);

    /// <summary>How many elements each output of a reduction over <paramref name="axis"/> summarizes (a tensor when dimensions are unknown).</summary>
    private static Tensor Count(Tensor x, int[]? axis, DType dtype)
    {
        var axes = Normalize.Axes(axis, x.Rank);
        if (axes.All(a => x.Shape[a] >= 0))
            return K.Constant(axes.Aggregate(1.0, (n, a) => n * x.Shape[a]), dtype);
        return K.Sum(K.OnesLike(x, dtype), axes, keepdims: true);
    }

    // d max_axis x = u spread over the positions equal to the max, shared equally between ties
    public static Tensor?[] Max(GradContext g) => ExtremumGradient(g);

    // d min_axis x = u spread over the positions equal to the min, shared equally between ties
    public static Tensor?[] Min(GradContext g) => ExtremumGradient(g);

    private static Tensor?[] ExtremumGradient(GradContext g)
    {
        int[]? axis = g.Attr<int[]?>(0, null);
        bool keepdims = g.Attr(1, false);
        var x = g.X;
        var hits = GradOps.Equal(x, Spread(g.Output, x, axis, keepdims), g.Upstream.DType);
        var ties = Spread(K.Sum(hits, Normalize.Axes(axis, x.Rank), keepdims: true), x, Normalize.Axes(axis, x.Rank), true);
        return [K.Divide(K.Multiply(hits, Spread(g.Upstream, x, axis, keepdims)), ties)];
    }

    // d Π_axis x = u · Π / x (as TensorFlow without its zero handling: a zero in x gives nan/inf)
    public static Tensor?[] Prod(GradContext g)
    {
        int[]? axis = g.Attr<int[]?>(0, null);
        bool keepdims = g.Attr(1, false);
        return [K.Divide(Spread(K.Multiply(g.Upstream, g.Output), g.X, axis, keepdims), g.X)];
    }

    // d mean_axis x = u / n
    public static Tensor?[] Mean(GradContext g)
    {
        int[]? axis = g.Attr<int[]?>(0, null);
        bool keepdims = g.Attr(1, false);
        return [K.Divide(Spread(g.Upstream, g.X, axis, keepdims), Count(g.X, axis, g.Upstream.DType))];
    }

    // d var_axis x = u · 2 (x - mean) / n
    public static Tensor?[] Var(GradContext g)
    {
        int[]? axis = g.Attr<int[]?>(0, null);
        bool keepdims = g.Attr(1, false);
        var centered = K.Subtract(g.X, K.Mean(g.X, axis, keepdims: true));
        var scale = K.Divide(Spread(g.Upstream, g.X, axis, keepdims), Count(g.X, axis, g.Upstream.DType));
        return [K.Multiply(centered, scale) * 2.0];
    }

    // d std_axis x = u · (x - mean) / (n · std)
    public static Tensor?[] Std(GradContext g)
    {
        int[]? axis = g.Attr<int[]?>(0, null);
        bool keepdims = g.Attr(1, false);
        var centered = K.Subtract(g.X, K.Mean(g.X, axis, keepdims: true));
        var scale = K.Divide(Spread(K.Divide(g.Upstream, g.Output), g.X, axis, keepdims), Count(g.X, axis, g.Upstream.DType));
        return [K.Multiply(centered, scale)];
    }

    /// <summary>Σ_{j ≥ i} u_j along <paramref name="axis"/>: a cumulative sum run backwards.</summary>
    private static Tensor ReverseCumsum(Tensor u, int axis) => K.Reverse(K.Cumsum(K.Reverse(u, [axis]), axis), [axis]);

    // d cumsum(x)_i = Σ_{j ≥ i} u_j
    public static Tensor?[] Cumsum(GradContext g)
    {
        int axis = Normalize.Axis(g.Attr(0, 0), g.X.Rank);
        return [g.X.Rank == 0 ? g.Upstream : ReverseCumsum(g.Upstream, axis)];
    }

    // d cumprod(x)_i = Σ_{j ≥ i} u_j · cumprod(x)_j / x_i (as TensorFlow: a zero in x gives nan/inf)
    public static Tensor?[] Cumprod(GradContext g)
    {
        int axis = Normalize.Axis(g.Attr(0, 0), g.X.Rank);
        var weighted = K.Multiply(g.Upstream, g.Output);
        return [K.Divide(g.X.Rank == 0 ? weighted : ReverseCumsum(weighted, axis), g.X)];
    }

    // d softmax(x) = s · (u - Σ_axis u · s)
    public static Tensor?[] Softmax(GradContext g)
    {
        var s = g.Output;
        int axis = Normalize.Axis(g.Attr(0, -1), s.Rank);
        var dotted = s.Rank == 0 ? K.Multiply(g.Upstream, s) : K.Sum(K.Multiply(g.Upstream, s), [axis], keepdims: true);
        return [K.Multiply(s, K.Subtract(g.Upstream, dotted))];
    }
}
