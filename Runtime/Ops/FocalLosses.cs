using KerasBackend.Autodiff;

namespace KerasBackend;

/// <summary>Composites behind the focal crossentropies: built from K ops exactly as tf-keras builds them from TensorFlow ops.</summary>
internal static class FocalLosses
{
    /// <summary>tf-keras <c>categorical_focal_crossentropy(target, output, alpha=0.25, gamma=2.0, from_logits=False, axis=-1)</c>.</summary>
    public static Tensor CategoricalFocal(Tensor target, Tensor output, double alpha, double gamma, bool fromLogits, int axis)
    {
        int a = Normalize.Axis(axis, output.Rank);
        var p = fromLogits ? SoftmaxAlong(output, a) : output;
        p = p / K.Sum(p, a, keepdims: true);
        var c = Gradients.ClipEpsilon(p);
        var cce = -target * K.Log(c);
        var weight = K.Pow(1.0 - c, gamma) * alpha;
        return K.Sum(weight * cce, a);
    }

    /// <summary>tf-keras <c>binary_focal_crossentropy(target, output, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False)</c>.</summary>
    public static Tensor BinaryFocal(Tensor target, Tensor output, bool applyClassBalancing, double alpha, double gamma, bool fromLogits)
    {
        var p = fromLogits ? K.Sigmoid(output) : output;
        var pt = target * p + (1.0 - target) * (1.0 - p);
        var focal = K.Pow(1.0 - pt, gamma) * K.BinaryCrossentropy(target, output, fromLogits);
        if (!applyClassBalancing) return focal;
        return (target * alpha + (1.0 - target) * (1.0 - alpha)) * focal;
    }

    /// <summary>tf.nn.softmax along any axis of a tensor of any rank (K.Softmax rejects rank 1, as tf-keras' softmax does).</summary>
    private static Tensor SoftmaxAlong(Tensor x, int axis)
    {
        var e = K.Exp(x - K.Max(x, axis, keepdims: true));
        return e / K.Sum(e, axis, keepdims: true);
    }
}
