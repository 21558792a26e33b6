namespace KerasBackend.Composites;

/// <summary>Composite activations of Keras 3 (keras.ops.silu, leaky_relu, log_softmax): built from K ops, so their gradients flow through those ops.</summary>
internal static class ActivationOps
{
    /// <summary>x · sigmoid(x) (keras/src/backend/numpy/nn.py silu); integer and bool inputs become floatx first.</summary>
    public static Tensor Silu(Tensor x)
    {
        var xf = ToFloat(x);
        return K.Multiply(xf, K.Sigmoid(xf));
    }

    /// <summary>x where x ≥ 0, else negative_slope · x: tf-keras's relu with alpha (max(x, 0) − alpha · max(−x, 0)), on floats.</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope) => K.Relu(ToFloat(x), alpha: negativeSlope);

    /// <summary>x − logsumexp(x, axis, keepdims) (jax.nn.log_softmax's shift by the maximum is logsumexp's own).</summary>
    public static Tensor LogSoftmax(Tensor x, int axis)
    {
        var xf = ToFloat(x);
        return K.Subtract(xf, K.LogSumExp(xf, axis, keepdims: true));
    }

    /// <summary>Floats as they are; integers and bool cast to floatx (Keras' result_type(x.dtype, float)).</summary>
    internal static Tensor ToFloat(Tensor x) => x.DType.IsFloat() ? x : K.Cast(x, Config.Floatx);
}
