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
