namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>numpy.take(x, indices, axis): x viewed as (outer, n, inner) around the axis (a null axis: the flattened x).</summary>
    public void Take(Tensor x, Tensor indices, int? axis, Tensor output)
    {
        int a = AlongAxis.Of(axis, x.Rank);
        var (outer, n, inner) = a < 0 ? (1, x.Size, 1) : Indexing.AroundAxis(x.Shape, a);
        int m = indices.Size;
        SelectIndex.CheckAll(indices, n, "take", a);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < m; i++)
            {
                long k = SelectIndex.Resolve(indices.GetLong(i), n, i, "take", a);
                for (int j = 0; j < inner; j++) CopyElement(x, (int)((o * (long)n + k) * inner + j), output, (o * m + i) * inner + j);
            }
    }

    /// <summary>numpy.take_along_axis(x, indices, axis) with broadcasting on the other axes (a null axis: the flattened x).</summary>
    public void TakeAlongAxis(Tensor x, Tensor indices, int? axis, Tensor output)
    {
        int a = AlongAxis.Of(axis, x.Rank);
        var (index, bases, stride, n) = AlongAxis.Maps(x.Shape, indices.Shape, output.Shape, a);
        SelectIndex.CheckAll(indices, n, "take_along_axis", a);
        for (int p = 0; p < output.Size; p++)
        {
            long k = SelectIndex.Resolve(indices.GetLong(index[p]), n, index[p], "take_along_axis", a);
            CopyElement(x, (int)(bases[p] + k * stride), output, p);
        }
    }
}
