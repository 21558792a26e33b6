namespace KerasBackend.Composites;

/// <summary>Composite normalizations of Keras 3 (keras.ops.moments, rms_normalization), built from K ops.</summary>
internal static class NormalizationOps
{
    /// <summary>
    /// (mean, variance) over the axes. float16 is computed in float32, clipped to float16's range and cast back (Keras 3
    /// nn.py moments); the variance is the population variance by two passes (K.Var), never negative. synchronized only
    /// matters across devices, of which there is one here: it is accepted and changes nothing.
    /// </summary>
    public static IReadOnlyList<Tensor> Moments(Tensor x, int[]? axes, bool keepdims, bool synchronized)
    {
        bool half = x.DType == DType.Float16;
        var xc = half ? K.Cast(x, DType.Float32) : x;
        var mean = K.Mean(xc, axes, keepdims);
        var variance = K.Var(xc, axes, keepdims);
        if (half)
        {
            mean = K.Cast(K.Clip(mean, -65504, 65504), DType.Float16);
            variance = K.Cast(K.Clip(variance, -65504, 65504), DType.Float16);
        }
        return [mean, variance];
    }

    /// <summary>
    /// x · rsqrt(mean(x², axis) + epsilon) · scale in result_type(x, float32) (float64 stays float64), cast back to x's
    /// dtype (Keras 3 nn.py _rms_normalization); axis null is the last axis; a rank-0 x is its own mean square.
    /// </summary>
    public static Tensor RmsNormalization(Tensor x, Tensor? scale, int[]? axis, double? epsilon)
    {
        double eps = epsilon ?? Config.Epsilon;
        var cd = x.DType == DType.Float64 ? DType.Float64 : DType.Float32;
        var xc = x.DType == cd ? x : K.Cast(x, cd);
        var ms = x.Rank == 0 ? K.Square(xc) : K.Mean(K.Square(xc), axis ?? [-1], keepdims: true);
        var y = K.Multiply(xc, K.Rsqrt(K.Add(ms, Tensor.WeakScalar(eps))));
        if (scale is not null) y = K.Multiply(y, scale.DType == cd ? scale : K.Cast(scale, cd));
        return y.DType == x.DType ? y : K.Cast(y, x.DType);
    }
}
