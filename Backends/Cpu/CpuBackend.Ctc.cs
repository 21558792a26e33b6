using KerasBackend.Backends.Shared;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>CTC loss per batch entry (<see cref="CtcMath"/>); the batch entries are split over the cores.</summary>
    public void CtcLoss(Tensor logProbs, Tensor labels, Tensor inputLength, Tensor labelLength, Tensor output) =>
        CtcBatch(logProbs, labels, inputLength, labelLength, output, null);

    /// <summary>d(Σ loss)/d log_probs = -γ (<see cref="CtcMath"/>); the batch entries are split over the cores.</summary>
    public void CtcLossGrad(Tensor logProbs, Tensor labels, Tensor inputLength, Tensor labelLength, Tensor output) =>
        CtcBatch(logProbs, labels, inputLength, labelLength, null, output);

    // The recursion is sequential in time but independent per batch entry: one part per few entries.
    private static void CtcBatch(Tensor logProbs, Tensor labels, Tensor inputLength, Tensor labelLength, Tensor? loss, Tensor? grad)
    {
        int batch = logProbs.Shape[0];
        if (batch < 2 || Workers.Threads < 2 || logProbs.Size < 4096) { CtcMath.Run(logProbs, labels, inputLength, labelLength, loss, grad); return; }
        int parts = Math.Min(batch, 4 * Workers.Threads);
        var job = new CtcJob { LogProbs = logProbs, Labels = labels, InputLength = inputLength, LabelLength = labelLength, Loss = loss, Grad = grad, Batch = batch, Parts = parts };
        Workers.Run(ref job, parts);
    }

    private struct CtcJob : IWorkItem
    {
        public Tensor LogProbs, Labels, InputLength, LabelLength;
        public Tensor? Loss, Grad;
        public int Batch, Parts;

        public readonly void Run(int part) =>
            CtcMath.Run(LogProbs, Labels, InputLength, LabelLength, Loss, Grad, (int)((long)Batch * part / Parts), (int)((long)Batch * (part + 1) / Parts));
    }
}
