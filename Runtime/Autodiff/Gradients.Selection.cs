using KerasBackend.Backends;
using KerasBackend.Graph;

namespace KerasBackend.Autodiff;

// Gradients of take and take_along_axis: the upstream gradient scatter-added back to the positions it was read from.
internal static partial class Gradients
{
    public static Tensor?[] Take(GradContext g) => [SelectionGrads.ScatterTake(g.Upstream, g.Y, g.X, g.Attr<int?>(0, null)), null];

    public static Tensor?[] TakeAlongAxis(GradContext g) => [SelectionGrads.ScatterAlongAxis(g.Upstream, g.Y, g.X, g.Attr<int?>(0, null)), null];
}

/// <summary>
/// The adjoints of take and take_along_axis: zeros of x's shape with the upstream gradient added at the positions read
/// (repeated indices and broadcast positions accumulate). Symbolic inputs record a node (its gradient is the forward op
/// again, so gradients of gradients work).
/// </summary>
internal static class SelectionGrads
{
    public static readonly IReadOnlyDictionary<string, GradientFunction> Table = new Dictionary<string, GradientFunction>(StringComparer.Ordinal)
    {
        ["_take_scatter"] = g => [K.Take(g.Upstream, g.Y, g.Attr<int?>(0, null)), null, null],
        ["_take_along_axis_scatter"] = g => [K.TakeAlongAxis(g.Upstream, g.Y, g.Attr<int?>(0, null)), null, null],
    };

    /// <summary>r = zeros(x.shape); r[o, wrap(indices[i]), j] += u[o, i, j] over the (outer, n, inner) view of take.</summary>
    public static Tensor ScatterTake(Tensor u, Tensor indices, Tensor x, int? axis)
    {
        if (u.IsSymbolic || indices.IsSymbolic || x.IsSymbolic)
            return GraphBuilder.Record("_take_scatter", [u, indices, x], [axis], x.Shape, u.DType, ins => ScatterTake(ins[0]!, ins[1]!, ins[2]!, axis));
        int a = AlongAxis.Of(axis, x.Rank);
        var (outer, n, inner) = a < 0 ? (1, x.Size, 1) : Indexing.AroundAxis(x.Shape, a);
        int m = indices.Size;
        var acc = new double[x.Size];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < m; i++)
            {
                long k = SelectIndex.Resolve(indices.GetLong(i), n, i, "take", a);
                for (int j = 0; j < inner; j++) acc[(o * (long)n + k) * inner + j] += u.GetDouble((o * m + i) * inner + j);
            }
        return Filled(acc, x.Shape, u.DType);
    }

    /// <summary>r = zeros(x.shape); r[the x position out[p] read] += u[p] (see <see cref="AlongAxis.Maps"/>).</summary>
    public static Tensor ScatterAlongAxis(Tensor u, Tensor indices, Tensor x, int? axis)
    {
        if (u.IsSymbolic || indices.IsSymbolic || x.IsSymbolic)
            return GraphBuilder.Record("_take_along_axis_scatter", [u, indices, x], [axis], x.Shape, u.DType, ins => ScatterAlongAxis(ins[0]!, ins[1]!, ins[2]!, axis));
        int a = AlongAxis.Of(axis, x.Rank);
        var (index, bases, stride, n) = AlongAxis.Maps(x.Shape, indices.Shape, u.Shape, a);
        var acc = new double[x.Size];
        for (int p = 0; p < u.Size; p++)
            acc[bases[p] + SelectIndex.Resolve(indices.GetLong(index[p]), n, index[p], "take_along_axis", a) * stride] += u.GetDouble(p);
        return Filled(acc, x.Shape, u.DType);
    }

    private static Tensor Filled(double[] values, Shape shape, DType dtype)
    {
        var r = Tensor.Uninitialized(dtype, shape);
        for (int i = 0; i < values.Length; i++) r.SetDouble(i, values[i]);
        return r;
    }
}
