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
