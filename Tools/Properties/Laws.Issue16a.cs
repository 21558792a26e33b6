using CsCheck;

namespace KerasBackend.Properties;

// Laws of the Keras 3 ops of issue 16 (activations, normalizations, norm, where, linspace, tril/triu): identities their
// definitions imply, checked on every backend.
public static partial class Laws
{
    private static Tensor C(double v) => K.Constant(v, DType.Float64);

    private static List<Law> Keras3Laws() =>
    [
        new("odd parts: gelu(x) − gelu(−x) = x (both forms), silu(x) − silu(−x) = x, leaky_relu(x) − leaky_relu(−x) = (1 + slope)·x", ["gelu", "silu", "leaky_relu"], () =>
            Gen.Select(Shape(1, 3), Gen.Int, Gen.Double[0, 2]).Sample((s, seed, slope) =>
            {
                var x = K.Multiply(R(seed, s), C(3));
                var nx = K.Negative(x);
                Close(x, K.Subtract(K.Gelu(x), K.Gelu(nx)), "gelu (tanh form)", 4);
                Close(x, K.Subtract(K.Gelu(x, approximate: false), K.Gelu(nx, approximate: false)), "gelu (erf form)", 4);
                Close(x, K.Subtract(K.Silu(x), K.Silu(nx)), "silu", 4);
                Close(K.Multiply(x, C(1 + slope)), K.Subtract(K.LeakyRelu(x, slope), K.LeakyRelu(nx, slope)), $"leaky_relu slope {slope}", 4);
                True(K.Silu(K.Constant(new[] { 1, -2 }, DType.Int32)).DType == Config.Floatx, "silu of int32 is floatx");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("log_softmax: exp sums to 1 along the axis and a shift changes nothing", ["log_softmax"], () =>
            Gen.Select(Shape(2, 3), Gen.Int, Gen.Int[0, 2], Gen.Double[-50, 50]).Sample((s, seed, p, shift) => // K.Softmax needs rank >= 2 (tf-keras)
            {
                int axis = p % s.Length;
                var x = K.Multiply(R(seed, s), C(4));
                var l = K.LogSoftmax(x, axis);
                Close(K.OnesLike(K.Sum(l, axis)), K.Sum(K.Exp(l), axis), "Σ exp(log_softmax(x)) = 1", s[axis]);
                Close(l, K.LogSoftmax(K.Add(x, C(shift)), axis), $"log_softmax(x + {shift}) = log_softmax(x)", 64);
                Close(K.Log(K.Softmax(x, axis)), l, "log_softmax = log(softmax)", 8);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("moments are K.Mean and K.Var, and move with an affine map: (a·m + b, a²·v)", ["moments"], () =>
            Gen.Select(Shape(1, 3), Gen.Int, Gen.Int[1, 7], Gen.Bool).Sample((s, seed, pick, keep) =>
            {
                var axes = Enumerable.Range(0, s.Length).Where(i => (pick >> i & 1) == 1).DefaultIfEmpty(0).ToArray();
                var x = R(seed, s);
                var mv = K.Moments(x, axes, keep);
                Close(K.Mean(x, axes, keep), mv[0], "mean", x.Size);
                Close(K.Var(x, axes, keep), mv[1], "variance", 4 * x.Size);
                True(mv[1].ToDoubleArray().All(v => v >= 0), "variance >= 0");
                var mv2 = K.Moments(K.Add(K.Multiply(x, C(-2.5)), C(7)), axes, keep);
                Close(K.Add(K.Multiply(mv[0], C(-2.5)), C(7)), mv2[0], "mean(a·x + b) = a·mean + b", 8 * x.Size);
                Close(K.Multiply(mv[1], C(6.25)), mv2[1], "var(a·x + b) = a²·var", 16 * x.Size);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("layer_normalization: groups of mean 0 and variance var/(var + ε); gamma and beta are an affine map; invariant under a·x + b", ["layer_normalization"], () =>
            Gen.Select(Shape(1, 3, 6), Gen.Int, Gen.Int[1, 7], Gen.Double[0.5, 3]).Sample((s, seed, pick, a) =>
            {
                var axes = Enumerable.Range(0, s.Length).Where(i => (pick >> i & 1) == 1).DefaultIfEmpty(s.Length - 1).ToArray();
                var x = K.Multiply(R(seed, s), C(2));
                var y = K.LayerNormalization(x, axis: axes, epsilon: 1e-12);
                int n = axes.Aggregate(1, (p, d) => p * s[d]);
                var mean = K.Mean(y, axes).ToDoubleArray();
                True(mean.All(m => Math.Abs(m) < 1e-9), $"normalized groups have mean 0 (got {mean.Max(Math.Abs)})");
                var xv = K.Var(x, axes).ToDoubleArray();
                var yv = K.Var(y, axes).ToDoubleArray();
                for (int i = 0; i < yv.Length; i++) True(Math.Abs(yv[i] - xv[i] / (xv[i] + 1e-12)) < 1e-6, $"group {i} variance {yv[i]}");
                Close(y, K.LayerNormalization(K.Add(K.Multiply(x, C(a)), C(-3)), axis: axes, epsilon: 1e-12), $"layer_norm({a}·x − 3) = layer_norm(x)", 64 * n, 1e4);
                var gshape = Enumerable.Range(0, s.Length).Select(d => axes.Contains(d) ? s[d] : 1).ToArray();
                var gamma = R(seed + 1, gshape);
                var beta = R(seed + 2, gshape);
                Close(K.Add(K.Multiply(y, gamma), beta), K.LayerNormalization(x, gamma, beta, axes, 1e-12), "layer_norm(x, γ, β) = layer_norm(x)·γ + β", 8);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("rms_normalization(x)·√(mean(x²) + ε) = x, and scale multiplies", ["rms_normalization"], () =>
            Gen.Select(Shape(1, 3), Gen.Int).Sample((s, seed) =>
            {
                var x = R(seed, s);
                var y = K.RmsNormalization(x, epsilon: 1e-3);
                Close(x, K.Multiply(y, K.Sqrt(K.Add(K.Mean(K.Square(x), -1, keepdims: true), C(1e-3)))), "y·rms = x", 8);
                var scale = R(seed + 1, [s[^1]]);
                Close(K.Multiply(y, scale), K.RmsNormalization(x, scale, epsilon: 1e-3), "scale", 4);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("norm: 2-norm = √Σx², homogeneous, triangle inequality; the matrix 1-norm is the inf-norm of the transpose", ["norm"], () =>
            Gen.Select(Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int, Gen.Double[-3, 3]).Sample((m, n, seed, a) =>
            {
                var x = R(seed, [m, n]);
                var y = R(seed + 1, [m, n]);
                Close(K.Sqrt(K.Sum(K.Square(x))), K.Norm(x), "norm(x) = √Σx²", x.Size);
                foreach (object? ord in new object?[] { null, 1, 3.5, double.PositiveInfinity, double.NegativeInfinity })
                    Close(K.Multiply(K.Norm(x, ord, [1]), C(Math.Abs(a))), K.Norm(K.Multiply(x, C(a)), ord, [1]), $"norm(a·x, ord={ord}) = |a|·norm(x)", 8 * n);
                foreach (object? ord in new object?[] { null, "fro", 1, double.PositiveInfinity })
                {
                    var sum = K.Norm(K.Add(x, y), ord).GetDouble(0);
                    True(sum <= K.Norm(x, ord).GetDouble(0) + K.Norm(y, ord).GetDouble(0) + 1e-12, $"triangle inequality for ord={ord}");
                }
                Close(K.Norm(x, 1), K.Norm(K.Transpose(x), double.PositiveInfinity), "norm(x, 1) = norm(xᵀ, inf)", x.Size);
                Close(K.Norm(x, -1, [0, 1]), K.Norm(K.Transpose(x), double.NegativeInfinity), "norm(x, -1) = norm(xᵀ, -inf)", x.Size);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("where(c, x, y) + where(c, y, x) = x + y; where(c, x, x) = x", ["where"], () =>
            Gen.Select(Shape(0, 3), Gen.Int).Sample((s, seed) =>
            {
                var x = R(seed, s);
                var y = R(seed + 1, s);
                var c = K.Greater(R(seed + 2, s), C(0));
                Close(K.Add(x, y), K.Add(K.Where(c, x, y), K.Where(c, y, x)), "where swaps", 2);
                Exact(x, K.Where(c, x, x), "where(c, x, x)");
                Exact(x, K.Where(K.Constant(true), x, y), "where(true, x, y) = x");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("linspace: starts at start, ends at stop, with equal steps", ["linspace"], () =>
            Gen.Select(Gen.Double[-100, 100], Gen.Double[-100, 100], Gen.Int[2, 60], Gen.Bool).Sample((a, b, n, end) =>
            {
                var v = K.Linspace(a, b, n, end, DType.Float64).ToDoubleArray();
                True(v.Length == n && v[0] == a, "first value is start");
                double step = (b - a) / (end ? n - 1 : n);
                if (end) True(v[^1] == b, "last value is stop");
                for (int i = 1; i < n; i++) True(Math.Abs(v[i] - v[i - 1] - step) <= 1e-12 * (Math.Abs(a) + Math.Abs(b) + 1), $"step {i}");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("tril(x, k) + triu(x, k + 1) = x; tril(x, k) = transpose(triu(transpose(x), −k))", ["tril", "triu"], () =>
            Gen.Select(Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int, Gen.Int[-6, 6], Gen.OneOf(SpecGen.AllDTypes)).Sample((m, n, seed, k, d) =>
            {
                var x = R(seed, [m, n], d);
                var lo = K.Tril(x, k);
                Exact(K.Cast(x, DType.Float64), K.Add(K.Cast(lo, DType.Float64), K.Cast(K.Triu(x, k + 1), DType.Float64)), $"tril(x, {k}) + triu(x, {k + 1}) on {d.Name()}");
                Exact(lo, K.Transpose(K.Triu(K.Transpose(x), -k)), $"tril(x, {k}) = triu(xᵀ, {-k})ᵀ");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];
}
