namespace KerasBackend;

// Shape rules and checks of take and take_along_axis (Spec/ops/selection.json).
public static partial class ShapeRules
{
    /// <summary>take: <c>indices.shape</c> for a null axis, else <c>x.shape[:axis] + indices.shape + x.shape[axis+1:]</c>.</summary>
    public static Shape Take(Tensor x, Tensor indices, int? axis)
    {
        if (axis is null) return indices.Shape;
        int a = Normalize.Axis(axis.Value, x.Rank);
        return Shape.Wrap([.. x.Shape.Dims[..a], .. indices.Shape.Dims, .. x.Shape.Dims[(a + 1)..]]);
    }

    /// <summary>take_along_axis: x's shape with indices.shape[axis] on axis, broadcast with indices.shape (a null axis: indices.shape).</summary>
    public static Shape TakeAlongAxis(Tensor x, Tensor indices, int? axis)
    {
        if (axis is null) return indices.Shape;
        int a = Normalize.Axis(axis.Value, x.Rank);
        var dims = x.Shape.ToArray();
        dims[a] = indices.Shape[a];
        return BroadcastShapes(Shape.Wrap(dims), indices.Shape);
    }
}

public static partial class Checks
{
    /// <summary>A null axis, or an axis in [-ndim, ndim) of a tensor of rank at least 1 (numpy raises AxisError for a scalar).</summary>
    public static bool OptionalAxisValid(Tensor x, int? axis) => axis is null || x.Rank >= 1 && axis >= -x.Rank && axis < x.Rank;

    /// <summary>take: every index in [-n, n) with n = x.shape[axis], or x.size for a null axis. Symbolic indices pass.</summary>
    [ReadsValues]
    public static bool TakeIndicesInRange(Tensor x, Tensor indices, int? axis)
    {
        if (indices.IsSymbolic || !OptionalAxisValid(x, axis)) return true;
        int n = axis is null ? x.Shape.IsFullyDefined ? x.Size : -1 : x.Shape[Normalize.Axis(axis.Value, x.Rank)];
        return n < 0 || AllInRange(indices, n);
    }

    /// <summary>take_along_axis: x and indices of one rank (indices 1-D for a null axis).</summary>
    public static bool TakeAlongAxisRanks(Tensor x, Tensor indices, int? axis) => axis is null ? indices.Rank == 1 : indices.Rank == x.Rank;

    /// <summary>take_along_axis: x and indices broadcast on every axis but axis.</summary>
    public static bool TakeAlongAxisBroadcast(Tensor x, Tensor indices, int? axis)
    {
        if (axis is null || !OptionalAxisValid(x, axis) || indices.Rank != x.Rank) return true;
        int a = Normalize.Axis(axis.Value, x.Rank);
        for (int d = 0; d < x.Rank; d++)
        {
            int p = x.Shape[d], q = indices.Shape[d];
            if (d != a && p != q && p != 1 && q != 1 && p >= 0 && q >= 0) return false;
        }
        return true;
    }

    /// <summary>take_along_axis: every index in [-n, n) with n = x.shape[axis] (x.size for a null axis). Symbolic indices pass.</summary>
    [ReadsValues]
    public static bool TakeAlongAxisInRange(Tensor x, Tensor indices, int? axis) => TakeIndicesInRange(x, indices, axis);

    private static bool AllInRange(Tensor indices, int n)
    {
        for (int i = 0; i < indices.Size; i++)
        {
            long v = indices.GetLong(i);
            if (v < -n || v >= n) return false;
        }
        return true;
    }
}
