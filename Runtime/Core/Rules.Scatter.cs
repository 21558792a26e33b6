namespace KerasBackend;

// Shape rule and checks of scatter and scatter_update (Spec/ops/scatter.json). indices has shape (..., k): each row
// holds the leading k coordinates of one slice of the target (shape for scatter, inputs.shape for scatter_update), and
// the values/updates have shape indices.shape[:-1] + target[k:]. Unknown dimensions pass.
public static partial class ShapeRules
{
    /// <summary>scatter: the requested shape (the indices and values do not change it).</summary>
    public static Shape Scatter(int[] shape) => FromShape(shape);
}

public static partial class Checks
{
    /// <summary>scatter: indices of rank at least 1 whose last dimension k is at most len(shape).</summary>
    public static bool ScatterIndicesShape(Tensor indices, int[] shape) => ScatterIndexDepthFits(indices, shape.Length);

    /// <summary>scatter: values.shape = indices.shape[:-1] + shape[k:].</summary>
    public static bool ScatterValuesShape(Tensor indices, Tensor values, int[] shape) =>
        ScatterSlicesFit(indices, values, Shape.Wrap((int[])shape.Clone()));

    /// <summary>scatter: every coordinate in column j of indices in [-shape[j], shape[j]). Symbolic indices pass.</summary>
    [ReadsValues]
    public static bool ScatterIndicesInRange(Tensor indices, int[] shape) =>
        !ScatterIndicesShape(indices, shape) || ScatterCoordinatesInRange(indices, Shape.Wrap((int[])shape.Clone()));

    /// <summary>scatter_update: indices of rank at least 1 whose last dimension k is at most inputs.ndim.</summary>
    public static bool ScatterUpdateIndicesShape(Tensor inputs, Tensor indices) => ScatterIndexDepthFits(indices, inputs.Rank);

    /// <summary>scatter_update: updates.shape = indices.shape[:-1] + inputs.shape[k:].</summary>
    public static bool ScatterUpdateUpdatesShape(Tensor inputs, Tensor indices, Tensor updates) => ScatterSlicesFit(indices, updates, inputs.Shape);

    /// <summary>scatter_update: every coordinate in column j of indices in [-inputs.shape[j], inputs.shape[j]). Symbolic indices pass.</summary>
    [ReadsValues]
    public static bool ScatterUpdateIndicesInRange(Tensor inputs, Tensor indices) =>
        !ScatterUpdateIndicesShape(inputs, indices) || ScatterCoordinatesInRange(indices, inputs.Shape);

    private static bool ScatterIndexDepthFits(Tensor indices, int rank) => indices.Rank >= 1 && indices.Shape[-1] <= rank;

    private static bool ScatterSlicesFit(Tensor indices, Tensor slices, Shape target)
    {
        if (!ScatterIndexDepthFits(indices, target.Rank)) return true;
        int k = indices.Shape[-1];
        if (k < 0) return true;
        var want = new List<int>();
        for (int d = 0; d < indices.Rank - 1; d++) want.Add(indices.Shape[d]);
        for (int d = k; d < target.Rank; d++) want.Add(target[d]);
        if (slices.Rank != want.Count) return false;
        for (int d = 0; d < want.Count; d++)
            if (want[d] >= 0 && slices.Shape[d] >= 0 && want[d] != slices.Shape[d]) return false;
        return true;
    }

    private static bool ScatterCoordinatesInRange(Tensor indices, Shape target)
    {
        if (indices.IsSymbolic) return true;
        int k = indices.Shape[-1];
        for (int i = 0; i < indices.Size; i++)
        {
            int n = target[i % k];
            long v = indices.GetLong(i);
            if (n >= 0 && (v < -n || v >= n)) return false;
        }
        return true;
    }
}
