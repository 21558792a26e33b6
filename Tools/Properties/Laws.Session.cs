using CsCheck;

namespace KerasBackend.Properties;

// Laws of the session functions and of CTC.
public static partial class Laws
{
    private static List<Law> SessionLaws() =>
    [
        new("learning_phase_scope sets the phase inside and restores the previous one, also when the body throws", ["learning_phase_scope"], () =>
        {
            int before = K.LearningPhase();
            using (K.LearningPhaseScope(1))
            {
                True(K.LearningPhase() == 1, "phase 1 inside");
                using (K.LearningPhaseScope(0)) True(K.LearningPhase() == 0, "phase 0 in a nested scope");
                True(K.LearningPhase() == 1, "phase 1 after the nested scope");
            }
            True(K.LearningPhase() == before, "phase restored");
            try { using (K.LearningPhaseScope(1 - before)) throw new InvalidOperationException("body fails"); }
            catch (InvalidOperationException) { }
            True(K.LearningPhase() == before, "phase restored after an exception");
        }),
        new("name_scope prefixes the names of variables, placeholders and recorded nodes, nests with '/', and ends", ["name_scope"], () =>
        {
            using (K.NameScope("outer"))
            {
                var v = K.Variable(K.Ones([2]), name: "w");
                True(v.Name == "outer/w", $"variable name {v.Name}");
                using (K.NameScope("inner"))
                {
                    var p = K.Placeholder(shape: [null, 2], name: "x");
                    True(p.Name == "outer/inner/x", $"placeholder name {p.Name}");
                    var y = p + v;
                    True(y.Name == "outer/inner/add", $"node name {y.Name}");
                }
                using (K.NameScope("top/")) True(K.Variable(K.Ones([1]), name: "b").Name == "top/b", "a name ending in '/' is absolute");
            }
            True(K.Variable(K.Ones([1]), name: "free").Name == "free", "no prefix after the scope");
        }),
        new("normalize_data_format lower-cases a valid format and defaults to image_data_format()", ["normalize_data_format"], () =>
            Gen.Select(Gen.Bool, Gen.Bool.Array[13]).Sample((first, upper) =>
            {
                var s = first ? "channels_first" : "channels_last";
                var mixed = new string(s.Select((ch, i) => i < upper.Length && upper[i] ? char.ToUpperInvariant(ch) : ch).ToArray());
                True(K.NormalizeDataFormat(mixed) == s, $"normalize_data_format({mixed})");
                True(K.NormalizeDataFormat(null) == K.ImageDataFormat(), "None gives image_data_format()");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("symbolic wraps a function so that updates on variables become graph updates; eager runs them at once", ["symbolic", "eager"], () =>
        {
            var v = K.Variable(K.Zeros([2], DType.Float64));
            var step = K.Symbolic<Func<Tensor, Tensor>>(d => K.UpdateAdd(v, d));
            var u = step(K.Constant(new double[] { 1, 2 }));
            True(u.IsSymbolic && v.ToDoubleArray().All(x => x == 0), "symbolic: recorded, not run");
            var f = K.Function([], [], [u]);
            f.Call();
            f.Call();
            True(v.ToDoubleArray().SequenceEqual([2.0, 4.0]), "the update runs on each call");
            var now = K.Eager<Func<Tensor, Tensor>>(d => K.UpdateAdd(v, d));
            var ones = K.Constant(new double[] { 1, 1 });
            var r = Session.Symbolic(() => now(ones));
            True(!r.IsSymbolic && v.ToDoubleArray().SequenceEqual([3.0, 5.0]), "eager inside a symbolic scope runs at once");
            var act = K.Symbolic<Action>(() => True(!Session.ExecutingEagerly, "inside symbolic"));
            act();
        }),
        new("control_dependencies runs the listed update before the ops recorded in the scope, once per call", ["control_dependencies"], () =>
        {
            var it = K.Variable(K.Zeros([], DType.Float64));
            var inc = Session.Symbolic(() => K.UpdateAdd(it, K.Constant(1.0)));
            Tensor t;
            using (K.ControlDependencies([inc])) t = K.Identity(it) * 10.0;
            True(t.IsSymbolic, "ops on concrete tensors record inside the scope");
            var f = K.Function([], [t], [inc]);
            True(f.Call()[0].ToDoubleArray()[0] == 10, "first call reads the incremented value");
            True(f.Call()[0].ToDoubleArray()[0] == 20, "the update runs once per call, before the read");
            True(it.ToDoubleArray()[0] == 2, "not applied twice though also listed as an update");
            using (K.ControlDependencies([inc])) using (K.ControlDependencies(null)) True(!(K.Identity(it) * 1.0).IsSymbolic, "null clears");
        }),
        new("get_session returns the current session; set_session swaps uid counters and the learning phase", ["get_session", "set_session"], () =>
        {
            var s0 = K.GetSession();
            True(ReferenceEquals(s0, K.GetSession()) && s0.IsCurrent, "the same session until cleared");
            var s1 = new KerasSession();
            K.SetSession(s1);
            try
            {
                True(K.GetUid("law_session") == 1 && K.GetUid("law_session") == 2, "fresh uids in the new session");
                K.SetLearningPhase(1);
                K.SetSession(s0);
                int u0 = K.GetUid("law_session");
                K.SetSession(s1);
                True(K.GetUid("law_session") == 3 && K.LearningPhase() == 1, "s1's counters and phase are back");
                K.SetSession(s0);
                True(u0 >= 1, "s0 keeps its own counters");
            }
            finally { K.SetSession(s0); }
            var p = K.Placeholder(shape: [2], dtype: DType.Float64);
            var y = s0.Run(K.Square(p), new Dictionary<Tensor, object> { [p] = new double[] { 3, 4 } });
            True(y.ToDoubleArray().SequenceEqual([9.0, 16.0]), "Run feeds and fetches");
        }),
        new("pattern_broadcast keeps the values and makes the flagged dimensions known to be 1", ["pattern_broadcast"], () =>
            Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int).Sample((a, b, seed) =>
            {
                var x = R(seed, [a, 1, b]);
                Exact(x, K.PatternBroadcast(x, [false, true, false]), "values kept");
                var p = K.Placeholder(shape: [null, null, b], dtype: DType.Float64);
                var y = K.PatternBroadcast(p, [false, true, false]);
                True(y.Shape[1] == 1 && y.Shape[0] < 0, $"static shape {y.Shape}");
                Exact(x, K.Function([p], [y]).Call(x)[0], "values through a K.Function");
                try { K.Function([p], [y]).Call(R(seed, [a, 2, b])); True(false, "a flagged dimension of 2 must fail"); }
                catch (KerasValueException) { }
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
    ];

    private static List<Law> CtcLaws() =>
    [
        new("ctc_loss: one step and one label is -log p(label); ctc_loss_grad sums to -1 per used step", ["ctc_loss", "ctc_loss_grad"], () =>
            Gen.Select(Gen.Int[2, 5], Gen.Int[1, 5], Gen.Int).Sample((classes, time, seed) =>
            {
                var rnd = new Random(seed);
                var lp = K.Reshape(Tensor.FromArray(Enumerable.Range(0, time * classes).Select(_ => Math.Log(0.05 + rnd.NextDouble())).ToArray()), [1, time, classes]);
                int label = rnd.Next(classes - 1);
                var labels = K.Reshape(Tensor.FromArray(new[] { label }), [1, 1]);
                var one = K.CtcLoss(lp, labels, Tensor.FromArray(new[] { 1 }), Tensor.FromArray(new[] { 1 }));
                True(Math.Abs(one.ToDoubleArray()[0] + lp.GetDouble(label)) < 1e-12, "T = 1: loss = -lp[label]");
                // With log-softmax inputs and no label, the loss is -Σ_t log p(blank).
                var norm = lp - K.LogSumExp(lp, axis: -1, keepdims: true);
                var none = K.CtcLoss(norm, labels, Tensor.FromArray(new[] { time }), Tensor.FromArray(new[] { 0 }));
                double blanks = 0;
                for (int t = 0; t < time; t++) blanks -= norm.GetDouble(t * classes + classes - 1);
                True(Math.Abs(none.ToDoubleArray()[0] - blanks) < 1e-9, "empty label: -Σ log p(blank)");
                // The state posteriors of a step sum to 1, so the gradient of each used step sums to -1.
                var g = K.CtcLossGrad(norm, labels, Tensor.FromArray(new[] { time }), Tensor.FromArray(new[] { time >= 1 ? 1 : 0 })).ToDoubleArray();
                for (int t = 0; t < time; t++)
                    True(Math.Abs(g.Skip(t * classes).Take(classes).Sum() + 1) < 1e-9, $"Σ_k grad[{t}, k] = -1");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("ctc_batch_cost is ctc_loss of the renormalized log(y_pred + eps), as a column, and invariant to scaling y_pred", ["ctc_batch_cost"], () =>
            Gen.Select(Gen.Int[3, 6], Gen.Int).Sample((time, seed) =>
            {
                var rnd = new Random(seed);
                var y = K.Reshape(Tensor.FromArray(Enumerable.Range(0, 2 * time * 3).Select(_ => 0.1 + rnd.NextDouble()).ToArray()), [2, time, 3]);
                var yt = K.Reshape(Tensor.FromArray(new double[] { 0, 1, 1, 0 }), [2, 2]);
                var il = K.Reshape(Tensor.FromArray(new[] { time, time - 1 }), [2, 1]);
                var ll = K.Reshape(Tensor.FromArray(new[] { 2, 1 }), [2, 1]);
                var c = K.CtcBatchCost(yt, y, il, ll);
                True(c.Shape == new Shape(2, 1), $"shape {c.Shape}");
                var scaled = K.CtcBatchCost(yt, y * 1e6, il, ll);   // ε is negligible at this scale on both sides
                // ε shifts log(y + ε) by at most ε / 0.1 per step here, so the losses agree to 1e-4.
                True(c.ToDoubleArray().Zip(scaled.ToDoubleArray()).All(p => Math.Abs(p.First - p.Second) < 1e-4), "scale invariance (softmax of log)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("ctc_decode: greedy output is the collapsed argmax path; beam search with a wide beam finds it first when one path dominates", ["ctc_decode"], () =>
            Gen.Select(Gen.Int[1, 6], Gen.Int[2, 4], Gen.Int).Sample((time, classes, seed) =>
            {
                var rnd = new Random(seed);
                var path = Enumerable.Range(0, time).Select(_ => rnd.Next(classes)).ToArray();
                var v = new double[time * classes];
                for (int t = 0; t < time; t++)
                    for (int k = 0; k < classes; k++) v[t * classes + k] = k == path[t] ? 0.97 : 0.03 / (classes - 1);
                var y = K.Reshape(Tensor.FromArray(v), [1, time, classes]);
                var want = new List<long>();
                for (int t = 0; t < time; t++) if (path[t] != classes - 1 && (t == 0 || path[t] != path[t - 1])) want.Add(path[t]);
                var (decoded, logProb) = K.CtcDecode(y, Tensor.FromArray(new[] { time }));
                var got = decoded[0].ToArray<long>().TakeWhile(x => x >= 0).ToList();
                True(got.SequenceEqual(want), $"greedy [{string.Join(", ", got)}], want [{string.Join(", ", want)}]");
                True(Math.Abs(logProb.GetDouble(0) + time * Math.Log(0.97 + K.Epsilon())) < 1e-9, "greedy log_prob = -Σ max log p");
                var (bd, bl) = K.CtcDecode(y, Tensor.FromArray(new[] { time }), greedy: false, beamWidth: 50);
                var merged = new List<long>();
                foreach (var x in want) if (merged.Count == 0 || merged[^1] != x) merged.Add(x);   // merge_repeated
                True(bd[0].ToArray<long>().TakeWhile(x => x >= 0).SequenceEqual(merged), "beam search finds the dominant labeling");
                // The argmax path is one alignment of the dominant labeling and scores exp(0) = 1 relative to the step maxima.
                if (merged.SequenceEqual(want)) True(bl.GetDouble(0) >= -1e-9, "the dominant beam scores at least the argmax path's 0");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("ctc_label_dense_to_sparse keeps the first label_lengths[b] entries of each row, in row-major order", ["ctc_label_dense_to_sparse"], () =>
            Gen.Select(Gen.Int[1, 4], Gen.Int[1, 5], Gen.Int).Sample((batch, max, seed) =>
            {
                var rnd = new Random(seed);
                var labels = Enumerable.Range(0, batch * max).Select(_ => rnd.Next(1, 9)).ToArray();
                var lengths = Enumerable.Range(0, batch).Select(_ => rnd.Next(max + 1)).ToArray();
                var sp = (SparseTensor)K.CtcLabelDenseToSparse(Tensor.FromSpan<int>(labels, batch, max), Tensor.FromSpan<int>(lengths, batch));
                True(sp.Nnz == lengths.Sum() && sp.Shape == new Shape(batch, max), $"nnz {sp.Nnz}, shape {sp.Shape}");
                int n = 0;
                for (int b = 0; b < batch; b++)
                    for (int j = 0; j < lengths[b]; j++, n++)
                        True(sp.Indices.GetLong(2 * n) == b && sp.Indices.GetLong(2 * n + 1) == j && sp.Values.GetLong(n) == labels[b * max + j], $"entry {n}");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];
}
