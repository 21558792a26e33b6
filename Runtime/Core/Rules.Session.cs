namespace KerasBackend;

// Shape rules and checks for the session functions (session.json) and CTC (ctc.json). Same contract as Rules.cs.

public static partial class ShapeRules
{
    /// <summary>pattern_broadcast: x's shape with every dimension flagged broadcastable set to 1 (an unknown one becomes known).</summary>
    public static Shape PatternBroadcast(Tensor x, bool[] broadcastable)
    {
        var dims = x.Shape.Dims.ToArray();
        for (int i = 0; i < dims.Length && i < broadcastable.Length; i++) if (broadcastable[i]) dims[i] = 1;
        return Shape.Wrap(dims);
    }

    /// <summary>ctc_loss: one loss per batch entry, <c>(batch,)</c>.</summary>
    public static Shape CtcLoss(Tensor logProbs) => Shape.Wrap([logProbs.Rank > 0 ? logProbs.Shape[0] : Shape.Unknown]);
}

public static partial class Checks
{
    /// <summary>A learning phase is 0 or 1 (tf-keras learning_phase_scope).</summary>
    public static bool LearningPhaseValid(int value) => value is 0 or 1;

    /// <summary>A TensorFlow scope name: <c>[A-Za-z0-9.][A-Za-z0-9_.\\/&gt;-]*</c> (tf.name_scope's check).</summary>
    public static bool ScopeNameValid(string name) => Graph.NameScope.IsValid(name);

    /// <summary>normalize_data_format: null, or "channels_first"/"channels_last" in any letter case.</summary>
    public static bool DataFormatNameValid(string? value) =>
        value is null || value.ToLowerInvariant() is "channels_first" or "channels_last";

    /// <summary>pattern_broadcast: one flag per dimension, and every flagged dimension is 1 (or not known yet).</summary>
    public static bool PatternBroadcastValid(Tensor x, bool[] broadcastable)
    {
        if (broadcastable.Length != x.Rank) return false;
        for (int i = 0; i < broadcastable.Length; i++) if (broadcastable[i] && x.Shape[i] is not (1 or Shape.Unknown)) return false;
        return true;
    }

    /// <summary>print_tensor's summarize: -1 (everything) or a count of at least 0.</summary>
    public static bool SummarizeValid(int summarize) => summarize >= -1;

    /// <summary>CTC: y_pred (or log_probs) is (batch, time, classes) with at least one class (the blank).</summary>
    public static bool CtcInputs(Tensor logProbs) => logProbs.Rank == 3 && logProbs.Shape[2] != 0;

    /// <summary>CTC: labels are (batch, max_label_length) with the batch of log_probs; lengths hold one value per batch entry.</summary>
    public static bool CtcLabels(Tensor logProbs, Tensor labels, Tensor inputLength, Tensor labelLength) =>
        labels.Rank == 2 && Same(labels.Shape[0], logProbs.Shape[0])
        && inputLength.Rank == 1 && Same(inputLength.Shape[0], logProbs.Shape[0])
        && labelLength.Rank == 1 && Same(labelLength.Shape[0], logProbs.Shape[0]);

    /// <summary>Integer labels and lengths.</summary>
    public static bool CtcIntegers(Tensor labels, Tensor inputLength, Tensor labelLength) =>
        labels.DType.IsInteger() && inputLength.DType.IsInteger() && labelLength.DType.IsInteger();

    /// <summary>
    /// CTC values: 0 ≤ input_length ≤ time, 0 ≤ label_length ≤ max_label_length, every label in [0, classes - 1) (the
    /// last class is the blank), and enough time for the labels (length plus repeats, TensorFlow's "Not enough time for
    /// target transition sequence").
    /// </summary>
    [ReadsValues]
    public static bool CtcValues(Tensor logProbs, Tensor labels, Tensor inputLength, Tensor labelLength)
    {
        if (logProbs.IsSymbolic || labels.IsSymbolic || inputLength.IsSymbolic || labelLength.IsSymbolic) return true;
        if (!CtcInputs(logProbs) || !CtcLabels(logProbs, labels, inputLength, labelLength) || !CtcIntegers(labels, inputLength, labelLength)) return true;
        int t = logProbs.Shape[1], k = logProbs.Shape[2], l = labels.Shape[1];
        for (int b = 0; b < logProbs.Shape[0]; b++)
        {
            long tb = inputLength.GetLong(b), lb = labelLength.GetLong(b);
            if (tb < 0 || tb > t || lb < 0 || lb > l) return false;
            long required = lb;
            for (int j = 0; j < lb; j++)
            {
                long c = labels.GetLong(b * l + j);
                if (c < 0 || c >= k - 1) return false;
                if (j > 0 && c == labels.GetLong(b * l + j - 1)) required++;
            }
            if (required > tb) return false;
        }
        return true;
    }

    /// <summary>Lengths within the time axis: 0 ≤ input_length ≤ time (ctc_decode).</summary>
    [ReadsValues]
    public static bool CtcDecodeLengths(Tensor yPred, Tensor inputLength)
    {
        if (yPred.IsSymbolic || inputLength.IsSymbolic || yPred.Rank != 3 || inputLength.Rank != 1) return true;
        for (int b = 0; b < inputLength.Size; b++)
            if (inputLength.GetLong(b) is var v && (v < 0 || v > yPred.Shape[1])) return false;
        return true;
    }

    /// <summary>ctc_decode: input_length is (batch,) integers matching y_pred's batch.</summary>
    public static bool CtcDecodeLengthShape(Tensor yPred, Tensor inputLength) =>
        inputLength.Rank == 1 && inputLength.DType.IsInteger() && (yPred.Rank < 1 || Same(inputLength.Shape[0], yPred.Shape[0]));

    /// <summary>Beam search: beam_width ≥ 1 and 1 ≤ top_paths ≤ beam_width (TensorFlow's attribute checks).</summary>
    public static bool BeamArgs(int beamWidth, int topPaths) => beamWidth >= 1 && topPaths >= 1 && topPaths <= beamWidth;

    /// <summary>ctc_label_dense_to_sparse: labels (batch, max_len) integers, label_lengths (batch,) integers.</summary>
    public static bool DenseLabels(Tensor labels, Tensor labelLengths) =>
        labels.Rank == 2 && labels.DType.IsInteger() && labelLengths.Rank == 1 && labelLengths.DType.IsInteger()
        && Same(labels.Shape[0], labelLengths.Shape[0]);

    /// <summary>Each label length in [0, max_len].</summary>
    [ReadsValues]
    public static bool DenseLabelLengths(Tensor labels, Tensor labelLengths)
    {
        if (labels.IsSymbolic || labelLengths.IsSymbolic || !DenseLabels(labels, labelLengths)) return true;
        for (int b = 0; b < labelLengths.Size; b++)
            if (labelLengths.GetLong(b) is var v && (v < 0 || v > labels.Shape[1])) return false;
        return true;
    }

}

public static partial class Checks
{
    /// <summary>ctc_batch_cost's lengths: (samples, 1), as tf.squeeze(axis=-1) needs.</summary>
    public static bool CtcLengthColumn(Tensor x) => x.Rank == 2 && x.Shape[1] is 1 or Shape.Unknown;
}
