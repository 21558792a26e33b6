namespace KerasBackend.Autodiff;

// Gradient of the CTC loss: d loss[b] / d log_probs[b] = -γ[b] (the kernel ctc_loss_grad), scaled by each entry's upstream.
// Labels and lengths are integers: nothing flows to them.
internal static partial class Gradients
{
    public static Tensor?[] CtcLoss(GradContext g)
    {
        if (!g.Wants(0)) return [null, null, null, null];
        var ins = g.Inputs;
        var grad = K.CtcLossGrad(ins[0]!, ins[1]!, ins[2]!, ins[3]!);
        return [K.ExpandDims(K.ExpandDims(g.Upstream, -1), -1) * grad, null, null, null];
    }
}
