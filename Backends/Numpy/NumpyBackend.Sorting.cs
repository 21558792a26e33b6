namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>numpy.sort: each line along the axis (or the flattened x) in ascending order, NaN last.</summary>
    public void Sort(Tensor x, int? axis, Tensor output)
    {
        foreach (var (src, dst) in SortLines(x, axis))
        {
            var order = src.OrderBy(i => i, Comparer<int>.Create((i, j) => CompareSort(x, i, j))).ToArray();
            for (int p = 0; p < dst.Length; p++) CopyElement(x, order[p], output, dst[p]);
        }
    }

    /// <summary>numpy.argsort(kind='stable'): positions along the axis of each line's values in ascending order, NaN last, ties in order.</summary>
    public void Argsort(Tensor x, int? axis, Tensor output)
    {
        foreach (var (src, dst) in SortLines(x, axis))
        {
            var order = Enumerable.Range(0, src.Length).OrderBy(p => src[p], Comparer<int>.Create((i, j) => CompareSort(x, i, j))).ToArray();
            for (int p = 0; p < dst.Length; p++) output.SetLong(dst[p], order[p]);
        }
    }

    /// <summary>top_k's indices: each last-axis row's positions by descending value (NaN largest), ties by lower index, the first k.</summary>
    public void TopKIndices(Tensor x, int k, bool sorted, Tensor output)
    {
        int n = x.Shape[-1], rows = n == 0 ? 0 : x.Size / n;
        for (int r = 0; r < rows; r++)
        {
            var order = Enumerable.Range(0, n).OrderBy(p => r * n + p, Comparer<int>.Create((i, j) => -CompareSort(x, i, j))).ToArray();
            for (int p = 0; p < k; p++) output.SetLong(r * k + p, order[p]);
        }
    }

    /// <summary>The flat element indices of every line along the axis (null axis: one line over every element), with the flat output indices.</summary>
    private static IEnumerable<(int[] Src, int[] Dst)> SortLines(Tensor x, int? axis)
    {
        if (axis is null)
        {
            var all = Enumerable.Range(0, x.Size).ToArray();
            yield return (all, all);
            yield break;
        }
        var (outer, n, inner) = Indexing.AroundAxis(x.Shape, Normalize.Axis(axis.Value, x.Rank));
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                var line = Enumerable.Range(0, n).Select(p => (o * n + p) * inner + j).ToArray();
                yield return (line, line);
            }
    }

    /// <summary>Ascending order with NaN after every number (numpy's sort order); integers compared exactly.</summary>
    private static int CompareSort(Tensor x, int i, int j)
    {
        if (!x.DType.IsFloat()) return x.GetLong(i).CompareTo(x.GetLong(j));
        double a = x.GetDouble(i), b = x.GetDouble(j);
        bool an = double.IsNaN(a), bn = double.IsNaN(b);
        if (an || bn) return an == bn ? 0 : an ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }
}
