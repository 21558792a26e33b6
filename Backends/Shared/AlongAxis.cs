namespace KerasBackend.Backends;

/// <summary>
/// take_along_axis's index arithmetic, shared by the backends and the gradient: x and indices broadcast against each
/// other on every axis but <c>axis</c>, and out[..., i, ...] = x[..., indices[..., i, ...], ...].
/// </summary>
public static class AlongAxis
{
    /// <summary>The kernel's axis: absolute, or -1 for a null axis (the flattened x).</summary>
    public static int Of(int? axis, int rank) => axis is null ? -1 : Normalize.Axis(axis.Value, rank);

    /// <summary>
    /// For each element of <paramref name="output"/>: the flat position in indices it reads (<c>Index</c>) and the flat
    /// offset in x with the axis coordinate at 0 (<c>Base</c>); the element is x[Base + resolve(indices[Index]) · Stride].
    /// A negative <paramref name="axis"/> means the flattened x (Base 0, Stride 1).
    /// </summary>
    public static (int[] Index, int[] Base, int Stride, int N) Maps(Shape x, Shape indices, Shape output, int axis)
    {
        int count = output.ElementCount;
        var index = new int[count];
        var bases = new int[count];
        if (axis < 0)
        {
            for (int i = 0; i < count; i++) index[i] = i;
            return (index, bases, 1, x.ElementCount);
        }
        int r = output.Rank;
        var xs = x.Strides();
        var ids = indices.Strides();
        var at = new int[r];
        for (int p = 0; p < count; p++)
        {
            int xi = 0, ii = 0;
            for (int d = 0; d < r; d++)
            {
                if (indices[d] != 1) ii += at[d] * ids[d];
                if (d != axis && x[d] != 1) xi += at[d] * xs[d];
            }
            index[p] = ii;
            bases[p] = xi;
            for (int d = r - 1; d >= 0; d--) { if (++at[d] < output[d]) break; at[d] = 0; }
        }
        return (index, bases, axis < r ? xs[axis] : 1, x[axis]);
    }
}
