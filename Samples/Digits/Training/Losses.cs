namespace KerasBackend.Samples.Training;

/// <summary>Losses as Keras defines them, written against <c>K</c>.</summary>
public static class Losses
{
    /// <summary>
    /// Keras' <c>categorical_crossentropy(target, output)</c> on probabilities, per sample:
    /// <c>−Σ target · log(clip(output / Σ output, ε, 1 − ε))</c> over the last axis (tf-keras backend.py).
    /// </summary>
    public static Tensor CategoricalCrossentropy(Tensor target, Tensor output)
    {
        var eps = K.Epsilon();
        output = output / K.Sum(output, axis: -1, keepdims: true);
        // clip(output, ε, 1 − ε) as a maximum then a minimum, with the bounds in the output's dtype.
        output = K.Minimum(K.Maximum(output, K.Constant(eps, output.DType)), K.Constant(1 - eps, output.DType));
        return -K.Sum(target * K.Log(output), axis: -1);
    }
}
