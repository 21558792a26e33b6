using KerasBackend.Backends.Shared;

namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>CTC loss per batch entry, by the forward recursion in log space (<see cref="CtcMath"/>).</summary>
    public void CtcLoss(Tensor logProbs, Tensor labels, Tensor inputLength, Tensor labelLength, Tensor output) =>
        CtcMath.Run(logProbs, labels, inputLength, labelLength, output, null);

    /// <summary>d(Σ loss)/d log_probs = -γ, by the forward–backward recursion (<see cref="CtcMath"/>).</summary>
    public void CtcLossGrad(Tensor logProbs, Tensor labels, Tensor inputLength, Tensor labelLength, Tensor output) =>
        CtcMath.Run(logProbs, labels, inputLength, labelLength, null, output);
}
