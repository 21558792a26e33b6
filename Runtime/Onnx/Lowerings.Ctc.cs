namespace KerasBackend.Onnx;

// Lowerings of the ctc family.
internal static partial class Lowerings
{
    /// <summary>
    /// ctc_decode, greedy (TensorFlow's CTCGreedyDecoder, blank = the last class), loop-free: lp = log(y_pred + ε), per
    /// step the first maximal class; a step before input_length emits its class unless it is the blank or the previous
    /// step's class; the emitted labels are moved left by their running count (ScatterElements, the others into a spare
    /// column dropped after) over a row of −1. The score node (path −1) is −Σ over those steps of the step's maximum.
    /// Beam search keeps a beam of prefixes per step, which ONNX cannot express without a loop: export refuses it.
    /// </summary>
    public static void CtcDecode(LoweringContext c)
    {
        if (!c.Attr<bool>(0))
            throw new OnnxExportException(c.Op, "ctc_decode with greedy=False (beam search) cannot be exported: its prefix beam is not an ONNX operator. Use greedy=True.");
        int path = c.Attr<int>(3);
        var t = OnnxTypes.Compute(c.InDType(0));
        const DType l = DType.Int64;
        var lp = c.Node("Log", [c.Node("Add", [c.InAs(0, t), c.Scalar(Config.Epsilon, t)])]);
        var shape = c.Node("Shape", [lp]);
        var steps = c.Node("Gather", [shape, c.IntScalar(1)], ("axis", 0L));
        var lengths = c.Node("Reshape", [c.InAs(1, l), c.Ints(-1, 1)]);
        var valid = c.Node("Less", [c.Node("Unsqueeze", [c.Node("Range", [c.IntScalar(0), steps, c.IntScalar(1)]), c.Ints(0)]), lengths]);
        if (path < 0)
        {
            var best = c.Reduce("ReduceMax", lp, [2], false);
            var total = c.Reduce("ReduceSum", Where(c, valid, best, c.Scalar(0, t)), [1], true);
            c.Return(c.Node("Neg", [total]), t);
            return;
        }
        var label = c.Node("ArgMax", [lp], ("axis", 2L), ("keepdims", 0L), ("select_last_index", 0L));
        var previous = c.Node("Slice", [c.Node("Pad", [label, c.Ints(0, 1, 0, 0), c.Scalar(-1, l)]), c.Ints(0), c.Ints(-1), c.Ints(1)]);
        var blank = c.Node("Sub", [c.Node("Gather", [shape, c.IntScalar(2)], ("axis", 0L)), c.IntScalar(1)]);
        var emit = c.Node("And", [valid, c.Node("And", [c.Node("Not", [c.Node("Equal", [label, blank])]), c.Node("Not", [c.Node("Equal", [label, previous])])])]);
        var position = c.Node("Sub", [c.Node("CumSum", [c.Cast(emit, DType.Bool, l), c.IntScalar(1)]), c.IntScalar(1)]);
        var target = Where(c, emit, position, steps);
        var rows = c.Node("Gather", [shape, c.Ints(0)], ("axis", 0L));
        var filled = c.Node("Expand", [c.Scalar(-1, l), c.Node("Concat", [rows, c.Node("Add", [c.Node("Unsqueeze", [steps, c.Ints(0)]), c.Ints(1)])], ("axis", 0L))]);
        var decoded = c.Node("ScatterElements", [filled, target, label], ("axis", 1L));
        c.Return(c.Node("Slice", [decoded, c.Ints(0), c.Node("Unsqueeze", [steps, c.Ints(0)]), c.Ints(1)]), l);
    }
}

// ctc_loss and its gradient: the forward–backward recursion of CtcMath as ONNX Scans over time, in float64.
internal static partial class Lowerings
{
    /// <summary>log(e^a + e^b) as <see cref="KerasBackend.Backends.Shared.CtcMath.LogAdd"/>: max + log(1 + e^(min − max)), −inf the zero.</summary>
    private static string LogAdd(LoweringContext c, string a, string b)
    {
        const DType d = DType.Float64;
        var ninf = c.Scalar(double.NegativeInfinity, d);
        var hi = c.Node("Max", [a, b]);
        var r = c.Node("Add", [hi, c.Node("Log", [c.Node("Add", [c.Scalar(1, d), c.Node("Exp", [c.Node("Sub", [c.Node("Min", [a, b]), hi])])])])]);
        return Where(c, c.Node("Equal", [a, ninf]), b, Where(c, c.Node("Equal", [b, ninf]), a, r));
    }

    /// <summary>x (rows, states) moved by <paramref name="k"/> states along axis 1 (right: x[j − k], left: x[j + k]), <paramref name="fill"/> where nothing comes.</summary>
    private static string Shift(LoweringContext c, string x, int k, bool right, string fill)
    {
        var padded = c.Node("Pad", [x, right ? c.Ints(0, k, 0, 0) : c.Ints(0, 0, 0, k), fill]);
        return right ? c.Node("Slice", [padded, c.Ints(0), c.Ints(-k), c.Ints(1)]) : c.Node("Slice", [padded, c.Ints(k), c.Ints(long.MaxValue), c.Ints(1)]);
    }

    /// <summary>The values both ctc lowerings need: log_probs in float64 (batch, time, classes), the extended labels (batch, S = 2L + 1: blanks between and around, labels past each length read as blanks), the lengths as (batch, 1), the state index (1, S).</summary>
    private sealed record CtcValues(string LogProbs, string Ext, string InputLength, string LabelLength, string State, string Time, string Classes);

    private static CtcValues CtcSetup(LoweringContext c)
    {
        const DType l = DType.Int64;
        if (c.InShape(0)[1] == 0) throw new OnnxExportException(c.Op, $"{c.Op} over zero time steps cannot be exported (an ONNX Scan needs a first step).");
        var lp = c.InAs(0, DType.Float64);
        var shape = c.Node("Shape", [lp]);
        var time = c.Node("Gather", [shape, c.IntScalar(1)], ("axis", 0L));
        var classes = c.Node("Gather", [shape, c.IntScalar(2)], ("axis", 0L));
        var blank = c.Node("Sub", [classes, c.IntScalar(1)]);
        var labels = c.InAs(1, l);
        var tb = c.Node("Reshape", [c.InAs(2, l), c.Ints(-1, 1)]);
        var lb = c.Node("Reshape", [c.InAs(3, l), c.Ints(-1, 1)]);
        var labelShape = c.Node("Shape", [labels]);
        var position = c.Node("Unsqueeze", [c.Node("Range", [c.IntScalar(0), c.Node("Gather", [labelShape, c.IntScalar(1)], ("axis", 0L)), c.IntScalar(1)]), c.Ints(0)]);
        var safe = Where(c, c.Node("Less", [position, lb]), labels, blank);
        var blanks = c.Node("Expand", [blank, labelShape]);
        var pairs = c.Node("Concat", [c.Node("Unsqueeze", [blanks, c.Ints(2)]), c.Node("Unsqueeze", [safe, c.Ints(2)])], ("axis", 2L));
        var column = c.Node("Expand", [blank, c.Node("Concat", [c.Node("Gather", [labelShape, c.Ints(0)], ("axis", 0L)), c.Ints(1)], ("axis", 0L))]);
        var ext = c.Node("Concat", [c.Node("Reshape", [pairs, c.Ints(0, -1)]), column], ("axis", 1L));
        var states = c.Node("Gather", [c.Node("Shape", [ext]), c.IntScalar(1)], ("axis", 0L));
        var state = c.Node("Unsqueeze", [c.Node("Range", [c.IntScalar(0), states, c.IntScalar(1)]), c.Ints(0)]);
        return new CtcValues(lp, ext, tb, lb, state, time, classes);
    }

    /// <summary>
    /// α over every step: α₀ = log_probs[0, ext] on the first two states; then a Scan over t = 1 .. T − 1 with
    /// α_t(s) = logadd(α(s), α(s − 1), α(s − 2) when ext[s] ≠ ext[s − 2]) + log_probs[t, ext[s]], held at its last value
    /// from input_length on. Returns the last α (batch, S) and every α (time, batch, S).
    /// </summary>
    private static (string Last, string All) CtcForward(LoweringContext c, CtcValues v)
    {
        const DType d = DType.Float64, l = DType.Int64;
        var ninf = c.Scalar(double.NegativeInfinity, d);
        var lpt = c.Node("Transpose", [v.LogProbs], ("perm", new long[] { 1, 0, 2 }));
        var first = c.Node("GatherElements", [c.Node("Gather", [lpt, c.IntScalar(0)], ("axis", 0L)), v.Ext], ("axis", 1L));
        var alpha0 = Where(c, c.Node("Less", [v.State, c.IntScalar(2)]), first, ninf);
        var skip = c.Node("Not", [c.Node("Equal", [v.Ext, Shift(c, v.Ext, 2, true, c.IntScalar(-1))])]);
        var body = c.Body("ctc_forward", [("alpha", d), ("log_probs_t", d), ("t", l)], ins =>
        {
            var (alpha, lpStep, t) = (ins[0], ins[1], ins[2]);
            var e = c.Node("GatherElements", [lpStep, v.Ext], ("axis", 1L));
            var sum = LogAdd(c, LogAdd(c, alpha, Shift(c, alpha, 1, true, ninf)), Where(c, skip, Shift(c, alpha, 2, true, ninf), ninf));
            var next = Where(c, c.Node("Less", [t, v.InputLength]), c.Node("Add", [sum, e]), alpha);
            return [(next, d), (next, d)];
        });
        var rest = c.Node("Slice", [lpt, c.Ints(1), c.Ints(long.MaxValue), c.Ints(0)]);
        var steps = c.Node("Range", [c.IntScalar(1), v.Time, c.IntScalar(1)]);
        var outs = c.Nodes("Scan", [alpha0, rest, steps], 2, ("body", body), ("num_scan_inputs", 2L));
        return (outs[0], c.Node("Concat", [c.Node("Unsqueeze", [alpha0, c.Ints(0)]), outs[1]], ("axis", 0L)));
    }

    /// <summary>log P(labels) per entry (batch, 1): logadd of α's last two live states (the last one alone for an empty label); no step: 0 for an empty label, else −inf.</summary>
    private static string CtcLogLikelihood(LoweringContext c, CtcValues v, string alpha)
    {
        const DType d = DType.Float64;
        var zero = c.IntScalar(0);
        var last = c.Node("Mul", [v.LabelLength, c.IntScalar(2)]);
        var aLast = c.Node("GatherElements", [alpha, last], ("axis", 1L));
        var aPrev = c.Node("GatherElements", [alpha, c.Node("Max", [c.Node("Sub", [last, c.IntScalar(1)]), zero])], ("axis", 1L));
        var emptyLabel = c.Node("Equal", [v.LabelLength, zero]);
        var logP = Where(c, emptyLabel, aLast, LogAdd(c, aLast, aPrev));
        return Where(c, c.Node("Equal", [v.InputLength, zero]), Where(c, emptyLabel, c.Scalar(0, d), c.Scalar(double.NegativeInfinity, d)), logP);
    }

    /// <summary>ctc_loss: −log P(labels | log_probs) per batch entry (CtcMath's forward recursion as a Scan; float64).</summary>
    public static void CtcLoss(LoweringContext c)
    {
        var v = CtcSetup(c);
        var (alpha, _) = CtcForward(c, v);
        c.Return(c.Node("Neg", [c.Node("Reshape", [CtcLogLikelihood(c, v, alpha), c.Ints(-1)])]), DType.Float64);
    }

    /// <summary>
    /// ctc_loss_grad: −γ, γ[b, t, k] = Σ_{s: ext[s] = k} exp(α_t(s) + β_t(s) − log_probs[t, ext[s]] − log P), with β from a
    /// reverse Scan (started at each entry's last step, −inf after it); 0 for t ≥ input_length and for an entry whose
    /// labels have no alignment (log P = −inf) or no step.
    /// </summary>
    public static void CtcLossGrad(LoweringContext c)
    {
        const DType d = DType.Float64, l = DType.Int64;
        var v = CtcSetup(c);
        var ninf = c.Scalar(double.NegativeInfinity, d);
        var (alphaLast, alphas) = CtcForward(c, v);
        var logP = CtcLogLikelihood(c, v, alphaLast);
        var lpt = c.Node("Transpose", [v.LogProbs], ("perm", new long[] { 1, 0, 2 }));
        var skipBack = c.Node("Not", [c.Node("Equal", [v.Ext, Shift(c, v.Ext, 2, false, c.IntScalar(-1))])]);
        var lastStep = c.Node("Sub", [v.InputLength, c.IntScalar(1)]);
        var lastState = c.Node("Mul", [v.LabelLength, c.IntScalar(2)]);
        var final = c.Node("Or", [c.Node("Equal", [v.State, lastState]), c.Node("Equal", [v.State, c.Node("Sub", [lastState, c.IntScalar(1)])])]);
        var body = c.Body("ctc_backward", [("beta", d), ("log_probs_t", d), ("t", l)], ins =>
        {
            var (beta, lpStep, t) = (ins[0], ins[1], ins[2]);
            var e = c.Node("GatherElements", [lpStep, v.Ext], ("axis", 1L));
            var sum = LogAdd(c, LogAdd(c, beta, Shift(c, beta, 1, false, ninf)), Where(c, skipBack, Shift(c, beta, 2, false, ninf), ninf));
            var start = Where(c, final, e, ninf);
            var next = Where(c, c.Node("Equal", [t, lastStep]), start, Where(c, c.Node("Less", [t, lastStep]), c.Node("Add", [sum, e]), ninf));
            return [(next, d), (next, d)];
        });
        var beta0 = c.Node("Expand", [ninf, c.Node("Shape", [v.Ext])]);
        var steps = c.Node("Range", [c.IntScalar(0), v.Time, c.IntScalar(1)]);
        var betas = c.Nodes("Scan", [beta0, lpt, steps], 2, ("body", body), ("num_scan_inputs", 2L),
            ("scan_input_directions", new long[] { 1, 1 }), ("scan_output_directions", new long[] { 1 }))[1];
        // Every step's emissions at the states (time, batch, S), then the weights, zero past each input length.
        var ext3 = c.Node("Unsqueeze", [v.Ext, c.Ints(0)]);
        var emitted = c.Node("GatherElements", [lpt, c.Node("Expand", [ext3, c.Node("Shape", [alphas])])], ("axis", 2L));
        var w = c.Node("Exp", [c.Node("Sub", [c.Node("Sub", [c.Node("Add", [alphas, betas]), emitted]), c.Node("Unsqueeze", [logP, c.Ints(0)])])]);
        var stepIndex = c.Node("Reshape", [c.Node("Range", [c.IntScalar(0), v.Time, c.IntScalar(1)]), c.Ints(-1, 1, 1)]);
        var live = c.Node("Less", [stepIndex, c.Node("Unsqueeze", [v.InputLength, c.Ints(0)])]);
        w = Where(c, live, w, c.Scalar(0, d));
        // Σ over the states of each class: (batch, time, S) · (batch, S, classes), the second one-hot in the states' classes.
        var classIndex = c.Node("Reshape", [c.Node("Range", [c.IntScalar(0), v.Classes, c.IntScalar(1)]), c.Ints(1, 1, -1)]);
        var oneHot = c.Cast(c.Node("Equal", [c.Node("Unsqueeze", [v.Ext, c.Ints(2)]), classIndex]), DType.Bool, d);
        var gamma = c.Node("MatMul", [c.Node("Transpose", [w], ("perm", new long[] { 1, 0, 2 })), oneHot]);
        var ok = c.Node("And", [c.Node("Greater", [v.InputLength, c.IntScalar(0)]), c.Node("Not", [c.Node("IsInf", [logP])])]);
        c.Return(Where(c, c.Node("Unsqueeze", [ok, c.Ints(2)]), c.Node("Neg", [gamma]), c.Scalar(0, d)), d);
    }
}
