using CsCheck;

namespace KerasBackend.Properties;

// Laws of the losses, the shape ops and the normalizations: identities between ops that tf-keras's definitions imply.
public static partial class Laws
{
    private static Tensor OneHotOf(int[] labels, int classes) => K.Cast(K.OneHot(K.Constant(labels, DType.Int32), classes), DType.Float64);

    private static List<Law> LossLaws() =>
    [
        new("the crossentropies agree with each other and with their definitions", ["categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy"], () =>
            Gen.Select(Gen.Int[1, 5], Gen.Int[2, 6], Gen.Int).Sample((b, c, seed) =>
            {
                var rnd = new Random(seed);
                var labels = Enumerable.Range(0, b).Select(_ => rnd.Next(c)).ToArray();
                var x = K.Multiply(R(seed, [b, c]), K.Constant(2.0, DType.Float64));
                var hot = OneHotOf(labels, c);
                var lab = K.Constant(labels, DType.Int32);
                var cce = K.CategoricalCrossentropy(hot, x, fromLogits: true);
                Close(cce, K.SparseCategoricalCrossentropy(lab, x, fromLogits: true), "categorical(one_hot(l), x) = sparse(l, x) with logits", c);
                // Softmax outputs of moderate logits are far from the clip: the probability paths give the logits' loss.
                var p = K.Softmax(x);
                Close(cce, K.CategoricalCrossentropy(hot, p), "categorical(t, softmax(x)) = categorical(t, x, from_logits)", 4 * c);
                Close(cce, K.SparseCategoricalCrossentropy(lab, p), "sparse(l, softmax(x)) = sparse(l, x, from_logits)", 4 * c);
                var manual = K.Negative(K.Sum(K.Multiply(hot, K.Log(p)), 1));
                Close(manual, cce, "-sum(t log softmax(x)) = categorical(t, x, from_logits)", 4 * c);
                True(cce.ToDoubleArray().All(v => v >= 0), "crossentropy >= 0");
                var t = K.Cast(K.Constant(labels.Select(l => l % 2).ToArray(), DType.Int32), DType.Float64);
                var logits = K.Reshape(K.Sum(x, 1), [b]);
                var bce = K.BinaryCrossentropy(t, logits, fromLogits: true);
                var sig = K.Sigmoid(logits);
                var byHand = K.Negative(K.Add(K.Multiply(t, K.Log(sig)), K.Multiply(K.Subtract(K.OnesLike(t), t), K.Log(K.Subtract(K.OnesLike(sig), sig)))));
                Close(byHand, bce, "binary(t, x, from_logits) = -(t log s + (1 - t) log(1 - s)) (the latter loses digits in 1 - s)", 16, 1e6);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("the focal crossentropies reduce to the crossentropies at gamma 0", ["categorical_focal_crossentropy", "binary_focal_crossentropy"], () =>
            Gen.Select(Gen.Int[1, 4], Gen.Int[2, 5], Gen.Int, Gen.Bool).Sample((b, c, seed, logits) =>
            {
                var rnd = new Random(seed);
                var hot = OneHotOf(Enumerable.Range(0, b).Select(_ => rnd.Next(c)).ToArray(), c);
                var x = logits ? R(seed, [b, c]) : K.Softmax(R(seed, [b, c]));
                Close(K.CategoricalCrossentropy(hot, x, logits), K.CategoricalFocalCrossentropy(hot, x, alpha: 1, gamma: 0, fromLogits: logits),
                    "categorical_focal(gamma 0, alpha 1) = categorical", 4 * c);
                var focal = K.CategoricalFocalCrossentropy(hot, x, fromLogits: logits);
                True(K.Subtract(K.Multiply(K.CategoricalCrossentropy(hot, x, logits), K.Constant(0.25, DType.Float64)), focal).ToDoubleArray().All(v => v >= -1e-12),
                    "categorical_focal <= alpha * categorical (the focal factor is at most 1)");
                var t = K.Cast(K.Constant(Enumerable.Range(0, b * c).Select(_ => rnd.Next(2)).ToArray(), DType.Int32, [b, c]), DType.Float64);
                Close(K.BinaryCrossentropy(t, x, logits), K.BinaryFocalCrossentropy(t, x, gamma: 0, fromLogits: logits), "binary_focal(gamma 0) = binary", 4);
                var balanced = K.BinaryFocalCrossentropy(t, x, applyClassBalancing: true, alpha: 0.5, gamma: 0, fromLogits: logits);
                Close(K.Multiply(K.BinaryCrossentropy(t, x, logits), K.Constant(0.5, DType.Float64)), balanced, "binary_focal(balanced, alpha 0.5, gamma 0) = binary / 2", 4);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];

    private static List<Law> ShapeLaws() =>
    [
        new("one_hot rows pick their class; arange counts", ["one_hot", "arange"], () =>
            Gen.Select(Gen.Int[0, 4].Array[0, 3], Gen.Int[1, 6], Gen.Int).Sample((s, c, seed) =>
            {
                var rnd = new Random(seed);
                int n = s.Aggregate(1, (a, b) => a * b);
                var idx = Enumerable.Range(0, n).Select(_ => rnd.Next(-1, c + 1)).ToArray();
                var h = K.OneHot(K.Constant(idx, DType.Int32, s), c);
                True(h.DType == DType.Float32 && h.Shape == new Shape([.. s, c]), $"one_hot shape {h.Shape}");
                var rows = K.Sum(h, -1).ToDoubleArray();
                for (int i = 0; i < n; i++)
                    True(rows[i] == (idx[i] >= 0 && idx[i] < c ? 1 : 0), $"one_hot row {i} sums to {rows[i]} for index {idx[i]}");
                var hv = h.ToDoubleArray();
                for (int i = 0; i < n; i++) if (idx[i] >= 0 && idx[i] < c) True(hv[i * c + idx[i]] == 1, $"one_hot row {i} misses class {idx[i]}");
                var r = K.Arange(c);
                Exact(K.Constant(Enumerable.Range(0, c).ToArray(), DType.Int32), r, "arange(n) = 0..n-1");
                Exact(K.Constant(Enumerable.Range(0, c).Select(k => 1 + 2 * k).ToArray(), DType.Int32), K.Arange(1, 1 + 2 * c, 2), "arange(1, 1 + 2n, 2)");
                True(K.Arange(-c).Size == 0, "arange(-n) is empty");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("slices tile the tensor back together", ["slice"], () =>
            Gen.Select(Shape(1, 4), Gen.Int, Gen.Int[0, 3]).Sample((s, seed, p) =>
            {
                int axis = p % s.Length, cut = new Random(seed).Next(0, s[axis] + 1);
                var x = R(seed, s);
                var start = new int[s.Length];
                var size = s.Select(_ => -1).ToArray();
                size[axis] = cut;
                var head = K.Slice(x, start, size);
                var start2 = new int[s.Length];
                start2[axis] = cut;
                var tail = K.Slice(x, start2, s.Select(_ => -1).ToArray());
                Exact(x, K.Concatenate([head, tail], axis), $"concatenate(slice(x, :{cut}), slice(x, {cut}:)) along {axis}");
                Exact(x, K.Slice(x, new int[s.Length], s), "slice(x, 0, shape) = x");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("flatten, batch_flatten, repeat and repeat_elements keep and copy values", ["flatten", "batch_flatten", "repeat", "repeat_elements"], () =>
            Gen.Select(Shape(1, 4), Gen.Int, Gen.Int[0, 3], Gen.Int[0, 3]).Sample((s, seed, p, rep) =>
            {
                var x = R(seed, s);
                var f = K.Flatten(x);
                True(f.Shape == new Shape([x.Size]) && f.ToDoubleArray().SequenceEqual(x.ToDoubleArray()), "flatten keeps row-major order");
                var bf = K.BatchFlatten(x);
                True(bf.Shape == new Shape([s[0], x.Size / s[0]]) && bf.ToDoubleArray().SequenceEqual(x.ToDoubleArray()), $"batch_flatten shape {bf.Shape}");
                int axis = p % s.Length;
                var re = K.RepeatElements(x, rep, axis);
                True(re.Shape[axis] == s[axis] * rep, $"repeat_elements shape {re.Shape}");
                Close(K.Multiply(K.Sum(x, axis), K.Constant((double)rep, DType.Float64)), K.Sum(re, axis), "sum(repeat_elements(x, r)) = r sum(x)", x.Size * Math.Max(rep, 1));
                var m = K.Reshape(x, [s[0], -1]);
                Exact(K.RepeatElements(K.ExpandDims(m, 1), rep, 1), K.Repeat(m, rep), "repeat(x, n) = repeat_elements(expand_dims(x, 1), n, 1)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];

    private static List<Law> NormalizationLaws() =>
    [
        new("normalized batches have mean 0 and unit variance; l2_normalize gives unit norms", ["batch_normalization", "normalize_batch_in_training", "l2_normalize"], () =>
            Gen.Select(Gen.Int[2, 6], Gen.Int[1, 4], Gen.Int).Sample((b, f, seed) =>
            {
                var x = K.Add(K.Multiply(R(seed, [b, f]), K.Constant(3.0, DType.Float64)), K.Constant(1.5, DType.Float64));
                var r = K.NormalizeBatchInTraining(x, null, null, [0], epsilon: 1e-12);
                var (n, mean, variance) = (r[0], r[1], r[2]);
                Close(K.Mean(x, 0), mean, "mean", b);
                Close(K.Var(x, 0), variance, "variance (population)", 4 * b);
                // A constant column has variance 0: its normalized values are 0, not 1.
                var v = variance.ToDoubleArray();
                True(K.Mean(n, 0).ToDoubleArray().All(m => Math.Abs(m) < 1e-9), "normalized mean 0");
                var nv = K.Var(n, 0).ToDoubleArray();
                for (int j = 0; j < f; j++) True(v[j] < 1e-9 || Math.Abs(nv[j] - 1) < 1e-6, $"normalized variance {nv[j]} of column {j}");
                var gamma = R(seed + 1, [f]);
                var beta = R(seed + 2, [f]);
                var r2 = K.NormalizeBatchInTraining(x, gamma, beta, [0], epsilon: 1e-3);
                Close(K.BatchNormalization(x, mean, variance, beta, gamma, epsilon: 1e-3), r2[0], "normalize_batch_in_training = batch_normalization with the batch moments", 8);
                var l2 = K.L2Normalize(x, 1);
                var norms = K.Sum(K.Square(l2), 1).ToDoubleArray();
                var xs = K.Sum(K.Square(x), 1).ToDoubleArray();
                True(norms.Select((q, i) => xs[i] == 0 ? q == 0 : Math.Abs(q - 1) < 1e-9).All(ok => ok), "rows of l2_normalize(x, 1) have norm 1 (a zero row stays 0)");
                Close(K.L2Normalize(x), K.Divide(x, K.Sqrt(K.Sum(K.Square(x)))), "l2_normalize(x) over every element", 4 * x.Size);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];
}
