namespace KerasBackend.Composites;

/// <summary>Composite sorting ops.</summary>
internal static class SortingOps
{
    /// <summary>top_k: the indices kernel, then the values gathered with take_along_axis (through which the gradient flows).</summary>
    public static IReadOnlyList<Tensor> TopK(Tensor x, int k, bool sorted)
    {
        var indices = K.TopKIndices(x, k, sorted);
        return [K.TakeAlongAxis(x, indices, -1), indices];
    }
}
