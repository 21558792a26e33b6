namespace KerasBackend;

/// <summary>Composites behind batch_normalization, normalize_batch_in_training and l2_normalize (arithmetic over the moment kernels).</summary>
internal static class Normalization
{
    /// <summary>tf.nn.batch_normalization: inv = gamma / √(var + ε); x·inv + (beta - mean·inv). Rank-1 parameters apply along axis.</summary>
    public static Tensor BatchNormalization(Tensor x, Tensor mean, Tensor var, Tensor? beta, Tensor? gamma, int axis, double epsilon)
    {
        int a = Normalize.Axis(axis, x.Rank);
        Tensor Along(Tensor p) => p.Rank == 1 && x.Rank > 1 && a != x.Rank - 1 ? K.Reshape(p, FeatureShape(x.Rank, a)) : p;
        var inv = 1.0 / K.Sqrt(Along(var) + epsilon);
        if (gamma is not null) inv = inv * Along(gamma);
        var shift = -(Along(mean) * inv);
        if (beta is not null) shift = shift + Along(beta);
        return x * inv + shift;
    }

    /// <summary>(1, .., -1, .., 1): a rank-1 parameter's values along <paramref name="axis"/>.</summary>
    private static int[] FeatureShape(int rank, int axis)
    {
        var s = Enumerable.Repeat(1, rank).ToArray();
        s[axis] = -1;
        return s;
    }

    /// <summary>tf-keras normalize_batch_in_training: moments over the axes, then batch_normalization with every parameter broadcast over them.</summary>
    public static IReadOnlyList<Tensor> NormalizeBatchInTraining(Tensor x, Tensor? gamma, Tensor? beta, int[]? reductionAxes, double epsilon)
    {
        var axes = Normalize.Axes(reductionAxes, x.Rank);
        var mean = K.Mean(x, axes, keepdims: true);
        var variance = K.Var(x, axes, keepdims: true);
        var target = Enumerable.Range(0, x.Rank).Select(d => axes.Contains(d) ? 1 : x.Shape[d] < 0 ? -1 : x.Shape[d]).ToArray();
        Tensor? Fit(Tensor? p) => p is null ? null : p.Rank == x.Rank ? p : K.Reshape(p, target);
        var normed = BatchNormalization(x, mean, variance, Fit(beta), Fit(gamma), -1, epsilon);
        for (int i = axes.Length - 1; i >= 0; i--) { mean = K.Squeeze(mean, axes[i]); variance = K.Squeeze(variance, axes[i]); }
        return [normed, mean, variance];
    }

    /// <summary>tf.linalg.l2_normalize: x / √max(Σx², 1e-12) over the axes (null: all).</summary>
    public static Tensor L2Normalize(Tensor x, int[]? axis)
    {
        var axes = Normalize.Axes(axis, x.Rank);
        var sq = K.Sum(K.Square(x), axes, keepdims: true);
        return x / K.Sqrt(K.Maximum(sq, K.Constant(1e-12, sq.DType)));
    }
}
