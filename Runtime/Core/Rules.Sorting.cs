namespace KerasBackend;

// Rules and checks of sort, argsort, top_k and top_k_indices (Spec/ops/sorting.json).
public static partial class ShapeRules
{
    /// <summary>sort and argsort: x's shape, or (x.size,) for a null axis (the flattened x).</summary>
    public static Shape Sort(Tensor x, int? axis) =>
        axis is not null ? x.Shape : Shape.Wrap([x.Shape.IsFullyDefined ? x.Size : Shape.Unknown]);

    /// <summary>top_k: x.shape[:-1] + (k,).</summary>
    public static Shape TopK(Tensor x, int k) => Shape.Wrap([.. x.Shape.Dims[..^1], k]);
}

public static partial class Checks
{
    /// <summary>top_k: 0 ≤ k ≤ x.shape[-1] (an unknown last dimension passes).</summary>
    public static bool TopKKValid(Tensor x, int k) => x.Rank == 0 || k >= 0 && (x.Shape[-1] < 0 || k <= x.Shape[-1]);
}
