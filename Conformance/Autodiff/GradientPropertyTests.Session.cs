using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

// Finite-difference properties of print_tensor, pattern_broadcast and the CTC losses.
public partial class GradientPropertyTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("print_tensor")]
    public void PrintTensor(string backend)
    {
        using var _ = Session.PrintTo(TextWriter.Null);
        Unary(backend, "print_tensor", x => K.PrintTensor(x * x, "x:"));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("pattern_broadcast")]
    public void PatternBroadcast(string backend) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gens.Case).Sample((a, b, c) =>
        {
            int[] shape = [a, 1, b];
            GradCheck.Check(backend, $"pattern_broadcast x.shape={GradCheck.Show(shape)}", xs => K.PatternBroadcast(xs[0] * xs[0], [false, true, false]) * 3.0,
                [(GradCheck.Values(new Random(c.Seed), shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    // Random labels that always fit: at most time / 2 labels (so labels plus repeats need at most time - 1 steps).
    private static (Tensor Labels, Tensor InputLength, Tensor LabelLength) CtcTargets(Random rnd, int batch, int time, int classes)
    {
        int max = Math.Max(1, time / 2);
        var labels = new int[batch * max];
        var il = new int[batch];
        var ll = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            il[b] = time - rnd.Next(2);
            ll[b] = classes > 1 ? rnd.Next(max + 1) : 0;
            for (int j = 0; j < max; j++) labels[b * max + j] = classes > 1 ? rnd.Next(classes - 1) : 0;
        }
        return (Tensor.FromSpan<int>(labels, batch, max), Tensor.FromSpan<int>(il, batch), Tensor.FromSpan<int>(ll, batch));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("ctc_loss")]
    public void CtcLoss(string backend) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[2, 6], Gen.Int[1, 4], Gens.Case).Sample((batch, time, classes, c) =>
        {
            var rnd = new Random(c.Seed);
            var (labels, il, ll) = CtcTargets(rnd, batch, time, classes);
            int[] shape = [batch, time, classes];
            GradCheck.Check(backend, $"ctc_loss log_probs.shape={GradCheck.Show(shape)} labels={labels} input_length={il} label_length={ll}",
                xs => K.CtcLoss(xs[0], labels, il, ll), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("ctc_batch_cost")]
    public void CtcBatchCost(string backend) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[2, 6], Gen.Int[2, 4], Gens.Case).Sample((batch, time, classes, c) =>
        {
            var rnd = new Random(c.Seed);
            var (labels, il, ll) = CtcTargets(rnd, batch, time, classes);
            int[] shape = [batch, time, classes];
            // y_pred: positive values (not normalized: ctc_batch_cost renormalizes log(y_pred + eps)).
            GradCheck.Check(backend, $"ctc_batch_cost y_pred.shape={GradCheck.Show(shape)} y_true={labels}",
                xs => K.CtcBatchCost(K.Cast(labels, DType.Float64), xs[0], K.ExpandDims(il, 1), K.ExpandDims(ll, 1)),
                [(GradCheck.Values(rnd, shape, 0.2, 1.0), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);
}
