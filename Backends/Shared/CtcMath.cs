namespace KerasBackend.Backends.Shared;

/// <summary>
/// The CTC loss by the forward–backward recursion of Graves et al. (2006), in log space and float64. Per batch entry b:
/// log_probs (time, classes) read for t &lt; input_length[b], the label sequence labels[b, :label_length[b]] extended
/// with blanks (the last class) to 2L + 1 states; loss = -log Σ over the alignments that collapse to the labels of
/// Π_t exp(log_probs[t, path_t]). The gradient with respect to log_probs is -γ, γ[t, k] the posterior probability that
/// an alignment is at a state of class k at time t (0 for t ≥ input_length). The inputs are used as given: a caller
/// that wants TensorFlow's ctc_loss normalizes them (log_softmax) first.
/// </summary>
internal static class CtcMath
{
    /// <summary>Fills <paramref name="loss"/> (batch,) and/or <paramref name="grad"/> (batch, time, classes, the gradient of the summed loss).</summary>
    /// <remarks>Batch entries are independent: <paramref name="first"/> and <paramref name="last"/> (exclusive; -1: the whole batch) select a part of them.</remarks>
    public static void Run(Tensor logProbs, Tensor labels, Tensor inputLength, Tensor labelLength, Tensor? loss, Tensor? grad, int first = 0, int last = -1)
    {
        int batch = logProbs.Shape[0], time = logProbs.Shape[1], classes = logProbs.Shape[2], maxLabel = labels.Shape[1];
        int blank = classes - 1;
        var lp = new double[time * classes];
        if (last < 0) last = batch;
        for (int b = first; b < last; b++)
        {
            int tb = (int)inputLength.GetLong(b), lb = (int)labelLength.GetLong(b);
            for (int i = 0; i < tb * classes; i++) lp[i] = logProbs.GetDouble(b * time * classes + i);
            int s = 2 * lb + 1;
            var ext = new int[s];
            for (int j = 0; j < s; j++) ext[j] = j % 2 == 0 ? blank : (int)labels.GetLong(b * maxLabel + j / 2);
            var alpha = Forward(lp, classes, tb, ext);
            double logP = tb == 0 ? (lb == 0 ? 0 : double.NegativeInfinity)
                : s == 1 ? alpha[(tb - 1) * s] : LogAdd(alpha[(tb - 1) * s + s - 1], alpha[(tb - 1) * s + s - 2]);
            loss?.SetDouble(b, -logP);
            if (grad is null) continue;
            int off = b * time * classes;
            for (int i = 0; i < time * classes; i++) grad.SetDouble(off + i, 0);
            if (tb == 0 || double.IsNegativeInfinity(logP)) continue;
            var beta = Backward(lp, classes, tb, ext);
            var acc = new double[classes];
            for (int t = 0; t < tb; t++)
            {
                Array.Fill(acc, double.NegativeInfinity);
                for (int j = 0; j < s; j++) acc[ext[j]] = LogAdd(acc[ext[j]], alpha[t * s + j] + beta[t * s + j] - lp[t * classes + ext[j]]);
                for (int k = 0; k < classes; k++) grad.SetDouble(off + t * classes + k, -Math.Exp(acc[k] - logP));
            }
        }
    }

    // alpha[t, s] = log P(the first t + 1 steps end in state s).
    private static double[] Forward(double[] lp, int classes, int tb, int[] ext)
    {
        int s = ext.Length;
        var a = new double[Math.Max(tb, 1) * s];
        Array.Fill(a, double.NegativeInfinity);
        if (tb == 0) return a;
        a[0] = lp[ext[0]];
        if (s > 1) a[1] = lp[ext[1]];
        for (int t = 1; t < tb; t++)
            for (int j = 0; j < s; j++)
            {
                double v = a[(t - 1) * s + j];
                if (j >= 1) v = LogAdd(v, a[(t - 1) * s + j - 1]);
                if (j >= 2 && ext[j] != ext[j - 2]) v = LogAdd(v, a[(t - 1) * s + j - 2]);
                a[t * s + j] = v + lp[t * classes + ext[j]];
            }
        return a;
    }

    // beta[t, s] = log P(the steps t .. tb - 1, starting in state s, end in a final state), including step t's emission.
    private static double[] Backward(double[] lp, int classes, int tb, int[] ext)
    {
        int s = ext.Length;
        var b = new double[tb * s];
        Array.Fill(b, double.NegativeInfinity);
        b[(tb - 1) * s + s - 1] = lp[(tb - 1) * classes + ext[s - 1]];
        if (s > 1) b[(tb - 1) * s + s - 2] = lp[(tb - 1) * classes + ext[s - 2]];
        for (int t = tb - 2; t >= 0; t--)
            for (int j = 0; j < s; j++)
            {
                double v = b[(t + 1) * s + j];
                if (j + 1 < s) v = LogAdd(v, b[(t + 1) * s + j + 1]);
                if (j + 2 < s && ext[j + 2] != ext[j]) v = LogAdd(v, b[(t + 1) * s + j + 2]);
                b[t * s + j] = v + lp[t * classes + ext[j]];
            }
        return b;
    }

    /// <summary>log(exp(a) + exp(b)) without overflow; -inf is the zero.</summary>
    public static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
    }
}
