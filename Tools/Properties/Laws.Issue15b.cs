using CsCheck;

namespace KerasBackend.Properties;

// Laws of the random ops and of control flow.
public static partial class Laws
{
    private static List<Law> RandomLaws() =>
    [
        new("seeded Bernoulli and truncated normal draws repeat, have the right support and moments", ["random_bernoulli", "random_binomial", "truncated_normal"], () =>
            Gen.Select(Gen.Int[0, 4].Array[0, 3], Gen.Int, Gen.Double[0.1, 0.9]).Sample((s, seed, p) =>
            {
                var b = K.RandomBernoulli(s, p, seed: seed);
                Exact(b, K.RandomBernoulli(s, p, seed: seed), "random_bernoulli with one seed twice");
                Exact(b, K.RandomBinomial(s, p, seed: seed), "random_binomial = random_bernoulli");
                True(b.ToDoubleArray().All(v => v is 0 or 1), "Bernoulli values are 0 or 1");
                var big = K.RandomBernoulli([4000], p, DType.Float64, seed).ToDoubleArray();
                True(Math.Abs(big.Average() - p) < 0.05, $"Bernoulli mean {big.Average()} for p {p}");
                var t = K.TruncatedNormal(s, 1.0, 2.0, seed: seed);
                Exact(t, K.TruncatedNormal(s, 1.0, 2.0, seed: seed), "truncated_normal with one seed twice");
                var z = K.TruncatedNormal([4000], 0, 1, DType.Float64, seed).ToDoubleArray();
                True(z.All(v => Math.Abs(v) <= 2), "truncated normal within 2 standard deviations");
                // A standard normal truncated to [-2, 2] has variance 0.7737 and fourth moment 1.4162, so over 4000 draws the
                // sample mean has a standard error of 0.0139 and the mean square 0.0143: the bounds are 6 standard errors,
                // which a correct sampler misses about once in 10^8 samples (0.05, 3.5 of them, failed a few runs in a hundred).
                double var = z.Select(v => v * v).Average();
                True(Math.Abs(z.Average()) < 0.084 && Math.Abs(var - 0.7737) < 0.086, $"truncated normal mean {z.Average()} variance {var}");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("dropout zeroes or scales each entry, keeps the mean, and draws once per K.Function run", ["dropout"], () =>
            Gen.Select(Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int, Gen.Double[0.1, 0.7]).Sample((b, f, seed, level) =>
            {
                var x = K.Add(K.Abs(R(seed, [b, f])), K.Constant(0.5, DType.Float64));
                var y = K.Dropout(x, level, seed: seed);
                var xv = x.ToDoubleArray();
                var yv = y.ToDoubleArray();
                for (int i = 0; i < xv.Length; i++)
                    True(yv[i] == 0 || Math.Abs(yv[i] - xv[i] / (1 - level)) < 1e-12, $"dropout entry {yv[i]} of {xv[i]}");
                Exact(y, K.Dropout(x, level, seed: seed), "eager dropout with one seed twice");
                var ones = K.Dropout(K.Ones([4000], DType.Float64), level, seed: seed).ToDoubleArray();
                // Standard error sqrt(level / (1 - level) / 4000), at most 0.024 for level 0.7: 0.15 is over 6 of them.
                True(Math.Abs(ones.Average() - 1) < 0.15, $"E[dropout(1)] = {ones.Average()}");
                var cols = K.Dropout(K.Ones([3, 50], DType.Float64), level, [1, 50], seed).ToDoubleArray();
                for (int j = 0; j < 50; j++) True(cols[j] == cols[50 + j] && cols[j] == cols[100 + j], "noise_shape (1, 50): one mask shared by the rows");
                // In a graph: the mask is one node, so y and dy/dx agree within a run; runs draw new masks.
                var p = K.Placeholder(shape: [null, f], dtype: DType.Float64);
                var yp = K.Dropout(p, level);
                var g = K.Gradients(K.Sum(yp), [p])[0];
                var fn = K.Function([p], [yp, g]);
                var feed = K.Ones([64, f], DType.Float64);
                var r1 = fn.Call(feed);
                Exact(r1[0], r1[1], "dropout(1) = d sum(dropout(x)) / dx within one run");
                var r2 = fn.Call(feed);
                True(!r1[0].ToDoubleArray().SequenceEqual(r2[0].ToDoubleArray()), "a new mask on the next run");
                var seeded = K.Function([p], [K.Dropout(p, level, seed: seed)]);
                var s1 = seeded.Call(feed)[0];
                var again = K.Function([p], [K.Dropout(p, level, seed: seed)]).Call(feed)[0];
                Exact(s1, again, "a seeded dropout graph draws the same sequence of masks");
                Exact(K.Dropout(feed, level, seed: seed), s1, "its first run uses the seed itself, as eager dropout does");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 4), threads: 1)),
    ];

    private static List<Law> ControlFlowLaws() =>
    [
        new("in_train_phase follows the learning phase eagerly and in a K.Function", ["in_train_phase", "in_test_phase"], () =>
            Gen.Select(Gen.Int[1, 4], Gen.Int).Sample((n, seed) =>
            {
                var a = R(seed, [n]);
                var b = R(seed + 1, [n]);
                Exact(b, K.InTrainPhase(a, b), "eager, phase unset (0): alt");
                using (Session.LearningPhaseScope(1)) Exact(a, K.InTrainPhase(a, b), "eager, phase 1: x");
                using (Session.LearningPhaseScope(1)) Exact(b, K.InTestPhase(a, b), "in_test_phase, phase 1: alt");
                Func<Tensor> boom = () => throw new PropertyFailure("the branch not taken was called");
                Exact(a, K.InTrainPhase(a, boom, training: 1), "training 1 calls only x");
                Exact(b, K.InTrainPhase(boom, () => b, training: false), "training false calls only alt");
                var p = K.Placeholder(shape: [n], dtype: DType.Float64);
                var f = K.Function([p], [K.InTrainPhase(K.Multiply(p, K.Constant(2.0, DType.Float64)), p)]);
                Exact(a, f.Call(a)[0], "K.Function without a fed phase: the phase at the call (0)");
                Exact(K.Multiply(a, K.Constant(2.0, DType.Float64)), f.CallWithLearningPhase(1, a)[0], "K.Function fed phase 1");
                using (Session.LearningPhaseScope(1)) Exact(K.Multiply(a, K.Constant(2.0, DType.Float64)), f.Call(a)[0], "K.Function under a phase scope");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 4), threads: 1)),
        new("map_fn, foldl and foldr agree with reductions", ["map_fn", "foldl", "foldr"], () =>
            Gen.Select(Gen.Int[1, 6], Gen.Int[1, 4], Gen.Int).Sample((n, f, seed) =>
            {
                var x = R(seed, [n, f]);
                Close(K.Sum(x, 1), K.MapFn(r => K.Sum(r), x), "map_fn(sum) = sum(x, 1)", f);
                Close(K.Sum(x, 0), K.Foldl((acc, r) => acc + r, x), "foldl(+) = sum(x, 0)", n);
                Close(K.Sum(x, 0), K.Foldr((acc, r) => acc + r, x), "foldr(+) = sum(x, 0)", n);
                Exact(K.Max(x, 0), K.Foldr(K.Maximum, x, K.Max(x, 0)), "foldr(maximum, x, max) = max");
                var order = K.Foldl((acc, r) => acc * 2.0 + r, x, K.Zeros([f], DType.Float64));
                var reversed = K.Foldr((acc, r) => acc * 2.0 + r, K.Reverse(x, 0), K.Zeros([f], DType.Float64));
                Close(order, reversed, "foldl over x = foldr over reversed x", n * 4);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
    ];
}
