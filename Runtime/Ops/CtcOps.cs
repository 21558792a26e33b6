using System.Collections;
using KerasBackend.Backends.Shared;
using KerasBackend.Graph;

namespace KerasBackend
{
    /// <summary>
    /// What <c>K.CtcDecode</c> returns, as tf-keras' <c>(decoded_dense, log_prob)</c>: <see cref="Decoded"/> holds one
    /// (samples, time_steps) int64 tensor per path, the labels left-aligned and padded with -1; <see cref="LogProbabilities"/>
    /// is (samples, paths). Deconstructs: <c>var (decoded, logProb) = K.CtcDecode(...)</c>; enumerates the decoded tensors, then the log probabilities.
    /// </summary>
    public sealed record CtcDecodeResult(IReadOnlyList<Tensor> Decoded, Tensor LogProbabilities) : IEnumerable<Tensor>
    {
        public IEnumerator<Tensor> GetEnumerator() => Decoded.Append(LogProbabilities).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

namespace KerasBackend.Composites
{
    /// <summary>CTC (ctc.json): tf-keras' ctc_label_dense_to_sparse, ctc_batch_cost and ctc_decode, on the ctc_loss kernel and the decoders below.</summary>
    internal static class CtcOps
    {
        /// <summary>tf-keras ctc_label_dense_to_sparse: the entries labels[b, j] with j &lt; label_lengths[b], as a SparseTensor of labels' shape.</summary>
        public static Tensor CtcLabelDenseToSparse(Tensor labels, Tensor labelLengths)
        {
            if (labels.IsSymbolic || labelLengths.IsSymbolic)
            {
                var r = GraphBuilder.Record("ctc_label_dense_to_sparse", [labels, labelLengths], [], labels.Shape, labels.DType,
                    ins => CtcLabelDenseToSparse(ins[0]!, ins[1]!));
                return new Tensor(r.DType, r.Shape, r.Node!, r.Name) { SymbolicSparse = true };
            }
            int batch = labels.Shape[0], max = labels.Shape[1];
            var rows = new List<long>();
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < labelLengths.GetLong(b); j++) rows.Add(b * max + j);
            var indices = Tensor.Uninitialized(DType.Int64, new Shape(rows.Count, 2));
            var values = Tensor.Uninitialized(labels.DType, new Shape(rows.Count));
            for (int n = 0; n < rows.Count; n++)
            {
                indices.SetLong(2 * n, rows[n] / max);
                indices.SetLong(2 * n + 1, rows[n] % max);
                values.SetLong(n, labels.GetLong((int)rows[n]));
            }
            return new SparseTensor(indices, values, labels.Shape);
        }

        /// <summary>
        /// tf-keras ctc_batch_cost: lengths squeezed and cast to int32, labels cast to int32, y_pred → log(y_pred + ε), which
        /// tf.nn.ctc_loss treats as logits (so it is log-softmax normalized), then the loss per sample as a column.
        /// </summary>
        public static Tensor CtcBatchCost(Tensor yTrue, Tensor yPred, Tensor inputLength, Tensor labelLength)
        {
            var logits = K.Log(yPred + K.Epsilon());
            var logProbs = logits - K.LogSumExp(logits, axis: -1, keepdims: true);
            var loss = K.CtcLoss(logProbs, K.Cast(yTrue, DType.Int32),
                K.Cast(K.Squeeze(inputLength, -1), DType.Int32), K.Cast(K.Squeeze(labelLength, -1), DType.Int32));
            return K.ExpandDims(loss, 1);
        }

        /// <summary>tf-keras ctc_decode: y_pred → log(y_pred + ε) (not normalized), then TensorFlow's greedy or beam-search decoder.</summary>
        public static CtcDecodeResult CtcDecode(Tensor yPred, Tensor inputLength, bool greedy, int beamWidth, int topPaths)
        {
            int paths = greedy ? 1 : topPaths;
            if (yPred.IsSymbolic || inputLength.IsSymbolic || GraphBuilder.Recording)
            {
                var shape = new Shape(yPred.Shape[0], yPred.Shape[1]);
                var decoded = new Tensor[paths];
                for (int p = 0; p < paths; p++)
                {
                    int path = p;
                    decoded[p] = GraphBuilder.Record("ctc_decode", [yPred, inputLength], [greedy, beamWidth, topPaths, path], shape, DType.Int64,
                        ins => Session.RunIn(ExecutionMode.Eager, () => CtcDecode(ins[0]!, ins[1]!, greedy, beamWidth, topPaths).Decoded[path]));
                }
                var logProb = GraphBuilder.Record("ctc_decode", [yPred, inputLength], [greedy, beamWidth, topPaths, -1], new Shape(yPred.Shape[0], paths), yPred.DType,
                    ins => Session.RunIn(ExecutionMode.Eager, () => CtcDecode(ins[0]!, ins[1]!, greedy, beamWidth, topPaths).LogProbabilities));
                return new CtcDecodeResult(decoded, logProb);
            }
            using var lpTensor = K.Log(yPred + K.Epsilon());
            int batch = yPred.Shape[0], time = yPred.Shape[1], classes = yPred.Shape[2];
            var outs = new Tensor[paths];
            for (int p = 0; p < paths; p++)
            {
                outs[p] = Tensor.Uninitialized(DType.Int64, new Shape(batch, time));
                for (int i = 0; i < batch * time; i++) outs[p].SetLong(i, -1);
            }
            var scores = Tensor.Uninitialized(yPred.DType, new Shape(batch, paths));
            var row = new double[time * classes];
            for (int b = 0; b < batch; b++)
            {
                int tb = (int)inputLength.GetLong(b);
                for (int i = 0; i < tb * classes; i++) row[i] = lpTensor.GetDouble(b * time * classes + i);
                var found = greedy ? [Greedy(row, tb, classes)] : CtcBeamSearch.Decode(row, tb, classes, beamWidth, paths);
                for (int p = 0; p < paths; p++)
                {
                    var (labels, score) = found[p];
                    for (int j = 0; j < labels.Count; j++) outs[p].SetLong(b * time + j, labels[j]);
                    scores.SetDouble(b * paths + p, score);
                }
            }
            return new CtcDecodeResult(outs, scores);
        }

        // TensorFlow's CTCGreedyDecoder (merge_repeated, blank = last class): per step the first maximal class; a class other
        // than the blank and the previous step's class is emitted. The score is -Σ_t max_k, the negative sum of the maxima.
        private static (List<int> Labels, double Score) Greedy(double[] lp, int tb, int classes)
        {
            var labels = new List<int>();
            double score = 0;
            int prev = -1;
            for (int t = 0; t < tb; t++)
            {
                int best = 0;
                for (int k = 1; k < classes; k++) if (lp[t * classes + k] > lp[t * classes + best]) best = k;
                score -= lp[t * classes + best];
                if (best != classes - 1 && best != prev) labels.Add(best);
                prev = best;
            }
            return (labels, score);
        }
    }

    /// <summary>
    /// TensorFlow's CTCBeamSearchDecoder (tensorflow/core/util/ctc/ctc_beam_search.h) with the default scorer, as
    /// tf.compat.v1.nn.ctc_beam_search_decoder(merge_repeated=True) runs it for tf-keras: a prefix beam search whose
    /// probabilities are kept in log space relative to each step's maximum input (so a beam's score is log Σ over its
    /// alignments of Π_t exp(x[t, k] - max_t x[t])), at most beam_width prefixes, blank = the last class. The labels of
    /// a beam are read back with merge_repeated: equal consecutive labels are reported once even when the beam holds
    /// them as two (separated by a blank) — TensorFlow's behaviour, kept.
    /// </summary>
    internal static class CtcBeamSearch
    {
        private sealed class Entry(Entry? parent, int label)
        {
            public readonly Entry? Parent = parent;
            public readonly int Label = label;
            public double OldBlank = double.NegativeInfinity, OldLabel = double.NegativeInfinity, OldTotal = double.NegativeInfinity;
            public double NewBlank = double.NegativeInfinity, NewLabel = double.NegativeInfinity, NewTotal = double.NegativeInfinity;
            public Dictionary<int, Entry>? Children;
            public bool Active => !double.IsNegativeInfinity(NewTotal);
            public Entry Child(int label)
            {
                Children ??= [];
                if (!Children.TryGetValue(label, out var c)) Children[label] = c = new Entry(this, label);
                return c;
            }
            public void ResetNew() => NewBlank = NewLabel = NewTotal = double.NegativeInfinity;
            public void ResetOld() => OldBlank = OldLabel = OldTotal = double.NegativeInfinity;
        }

        public static List<(List<int> Labels, double Score)> Decode(double[] lp, int tb, int classes, int beamWidth, int topPaths)
        {
            int blank = classes - 1;
            var root = new Entry(null, -1) { NewTotal = 0, NewBlank = 0 };
            var leaves = new List<Entry> { root };
            for (int t = 0; t < tb; t++)
            {
                int o = t * classes;
                double max = double.NegativeInfinity;
                for (int k = 0; k < classes; k++) max = Math.Max(max, lp[o + k]);
                var branches = Sorted(leaves);
                leaves = [];
                foreach (var b in branches) { b.OldBlank = b.NewBlank; b.OldLabel = b.NewLabel; b.OldTotal = b.NewTotal; }
                foreach (var b in branches)
                {
                    if (b.Parent is not null)
                    {
                        if (b.Parent.Active)
                        {
                            double previous = b.Label == b.Parent.Label ? b.Parent.OldBlank : b.Parent.OldTotal;
                            b.NewLabel = CtcMath.LogAdd(b.NewLabel, previous);
                        }
                        b.NewLabel += lp[o + b.Label] - max;
                    }
                    b.NewBlank = b.OldTotal + lp[o + blank] - max;
                    b.NewTotal = CtcMath.LogAdd(b.NewBlank, b.NewLabel);
                    leaves.Add(b);
                }
                foreach (var b in branches)
                {
                    if (!Candidate(b.OldTotal, leaves, beamWidth)) continue;
                    for (int label = 0; label < classes - 1; label++)
                    {
                        var c = b.Child(label);
                        if (c.Active) continue;
                        c.NewBlank = double.NegativeInfinity;
                        double previous = c.Label == b.Label ? b.OldBlank : b.OldTotal;
                        c.NewLabel = lp[o + label] - max + previous;
                        c.NewTotal = c.NewLabel;
                        if (Candidate(c.NewTotal, leaves, beamWidth))
                        {
                            if (leaves.Count == beamWidth)
                            {
                                var bottom = Bottom(leaves);
                                bottom.ResetNew();
                                leaves.Remove(bottom);
                            }
                            leaves.Add(c);
                        }
                        else { c.ResetOld(); c.ResetNew(); }
                    }
                }
            }
            if (topPaths > leaves.Count)
                throw new KerasValueException("ctc_decode", "top_paths",
                    $"ctc_decode: Less leaves in the beam search than requested: the beam search kept {leaves.Count} prefix(es) for a sequence of {tb} step(s). Received: top_paths={topPaths}");
            return Sorted(leaves).Take(topPaths).Select(e => (Labels(e), e.NewTotal)).ToList();
        }

        private static bool Candidate(double total, List<Entry> leaves, int beamWidth) =>
            !double.IsNegativeInfinity(total) && (leaves.Count < beamWidth || total > Bottom(leaves).NewTotal);

        private static Entry Bottom(List<Entry> leaves)
        {
            var m = leaves[0];
            foreach (var e in leaves) if (e.NewTotal < m.NewTotal) m = e;
            return m;
        }

        private static List<Entry> Sorted(List<Entry> leaves) => leaves.OrderByDescending(e => e.NewTotal).ToList();

        // BeamEntry::LabelSeq(merge_repeated = true): the labels from the root, a label equal to the one before it skipped.
        private static List<int> Labels(Entry e)
        {
            var labels = new List<int>();
            int prev = -1;
            for (var c = e; c.Parent is not null; c = c.Parent)
            {
                if (c.Label != prev) labels.Add(c.Label);
                prev = c.Label;
            }
            labels.Reverse();
            return labels;
        }
    }
}
