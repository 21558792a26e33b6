namespace KerasBackend.Backends;

/// <summary>
/// layer_normalization's gamma and beta laid over the normalized block: the block is x's dimensions at the (sorted)
/// axes in row-major order, and a parameter is read as Keras 3 lays it (nn.py _layer_normalization: a tensor of x's
/// rank or one on the last axis broadcasts, any other is reshaped to the axes' shape; <see cref="Checks.ParamDims"/>).
/// </summary>
public static class NormalizationParams
{
    /// <summary>The parameter's value at every position of the block (length: the product of x's dimensions at the axes), in float64.</summary>
    public static double[] Expand(Tensor x, Tensor p, int[] axes)
    {
        var dims = Checks.ParamDims(x, p, axes) ?? throw new InvalidOperationException("layer_normalization: the parameter's shape was not checked");
        int r = x.Rank;
        var strides = new int[r];
        for (int i = r - 1, s = 1; i >= 0; i--) { strides[i] = s; s *= Math.Max(dims[i], 1); }
        int n = 1;
        foreach (var a in axes) n *= x.Shape[a];
        var result = new double[n];
        var idx = new int[axes.Length];
        for (int k = 0; k < n; k++)
        {
            int at = 0;
            for (int j = 0; j < axes.Length; j++) if (dims[axes[j]] != 1) at += idx[j] * strides[axes[j]];
            result[k] = p.GetDouble(at);
            for (int j = axes.Length - 1; j >= 0; j--) { if (++idx[j] < x.Shape[axes[j]]) break; idx[j] = 0; }
        }
        return result;
    }
}
