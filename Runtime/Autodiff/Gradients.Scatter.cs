using KerasBackend.Backends;
using KerasBackend.Graph;

namespace KerasBackend.Autodiff;

// Gradients of scatter and scatter_update.
internal static partial class Gradients
{
    /// <summary>scatter: d values = the upstream gradient gathered at the index rows (repeated rows all receive it: they all added).</summary>
    public static Tensor?[] Scatter(GradContext g) =>
        [null, g.Wants(1) ? GradOps.Fit(ScatterGrads.Gather(g.Upstream, g.X, lastOnly: false, g.Y.Shape), g.Y) : null];

    /// <summary>
    /// scatter_update: d inputs = the upstream gradient with the written slices zeroed (scatter_update of zeros);
    /// d updates = the upstream gradient gathered at the rows, zero for a row a later repeated row overwrote.
    /// </summary>
    public static Tensor?[] ScatterUpdate(GradContext g)
    {
        var updates = g.Inputs[2]!;
        return
        [
            g.Wants(0) ? K.ScatterUpdate(g.Upstream, g.Y, K.ZerosLike(updates)) : null,
            null,
            g.Wants(2) ? GradOps.Fit(ScatterGrads.Gather(g.Upstream, g.Y, lastOnly: true, updates.Shape), updates) : null,
        ];
    }
}

/// <summary>
/// The adjoint pair of scatter's index rule (<see cref="ScatterRows"/>): gather r[i] = u[rows[i]] and its adjoint,
/// zeros of u's shape with g[i] added at rows[i]. With lastOnly (scatter_update's rule) a row that a later repeated
/// row overwrites reads and adds nothing. Each is the other's gradient, so gradients of gradients work; symbolic
/// inputs record a node.
/// </summary>
internal static class ScatterGrads
{
    public static readonly IReadOnlyDictionary<string, GradientFunction> Table = new Dictionary<string, GradientFunction>(StringComparer.Ordinal)
    {
        ["_scatter_gather"] = g => [AddBack(g.Upstream, g.Y, g.X, g.Attr(0, false)), null],
        ["_scatter_add_back"] = g => [Gather(g.Upstream, g.Y, g.Attr(0, false), g.X.Shape), null, null],
    };

    /// <summary>r[i, ...] = u[rows[i], ...], of shape indices.shape[:-1] + u.shape[k:] (<paramref name="shape"/>: that shape as far as it is known statically).</summary>
    public static Tensor Gather(Tensor u, Tensor indices, bool lastOnly, Shape shape)
    {
        if (u.IsSymbolic || indices.IsSymbolic)
            return GraphBuilder.Record("_scatter_gather", [u, indices], [lastOnly], shape, u.DType, ins => Gather(ins[0]!, ins[1]!, lastOnly, shape));
        var (rows, slice) = ScatterRows.Resolve(indices, u.Shape, "scatter", "shape");
        var keep = lastOnly ? ScatterRows.LastWrites(rows) : null;
        int k = indices.Shape[-1];
        var r = Tensor.Uninitialized(u.DType, Shape.Wrap([.. indices.Shape.Dims[..^1], .. u.Shape.Dims[k..]]));
        r.Bytes().Clear();
        for (int i = 0; i < rows.Length; i++)
        {
            if (keep is not null && !keep[i]) continue;
            for (int j = 0; j < slice; j++) r.SetDouble(i * slice + j, u.GetDouble((int)(rows[i] * slice + j)));
        }
        return r;
    }

    /// <summary>zeros of like's shape; r[rows[i], ...] += g[i, ...] (the adjoint of <see cref="Gather"/>).</summary>
    public static Tensor AddBack(Tensor g, Tensor indices, Tensor like, bool lastOnly)
    {
        if (g.IsSymbolic || indices.IsSymbolic || like.IsSymbolic)
            return GraphBuilder.Record("_scatter_add_back", [g, indices, like], [lastOnly], like.Shape, g.DType, ins => AddBack(ins[0]!, ins[1]!, ins[2]!, lastOnly));
        var (rows, slice) = ScatterRows.Resolve(indices, like.Shape, "scatter", "shape");
        var keep = lastOnly ? ScatterRows.LastWrites(rows) : null;
        var acc = new double[like.Size];
        for (int i = 0; i < rows.Length; i++)
        {
            if (keep is not null && !keep[i]) continue;
            for (int j = 0; j < slice; j++) acc[rows[i] * slice + j] += g.GetDouble(i * slice + j);
        }
        var r = Tensor.Uninitialized(g.DType, like.Shape);
        for (int i = 0; i < acc.Length; i++) r.SetDouble(i, acc[i]);
        return r;
    }
}
