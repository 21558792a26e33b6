using CsCheck;

namespace KerasBackend.Properties;

// Laws of take, take_along_axis (Spec/ops/selection.json) and dot_product_attention (Spec/ops/attention.json).
public static partial class Laws
{
    private static Tensor Ints(int[] values, int[] shape, DType d = DType.Int32) => K.Cast(K.Constant(values, DType.Int32, shape), d);

    private static List<Law> SelectionLaws() =>
    [
        new("take along an axis is gather of the axis moved first; a null axis is gather of the flattened x; i and i - n pick the same", ["take"], () =>
            Gen.Select(Shape(1, 4), Gen.Int, Gen.Int[0, 3], Gen.Int[0, 3].Array[0, 2], Gen.OneOf(DType.Int32, DType.Int64, DType.Int16)).Sample((s, seed, p, idxShape, it) =>
            {
                var rnd = new Random(seed);
                int axis = p % s.Length, n = s[axis], count = idxShape.Aggregate(1, (a, b) => a * b);
                var x = R(seed, s);
                var raw = Enumerable.Range(0, count).Select(_ => rnd.Next(0, n)).ToArray();
                var idx = Ints(raw, idxShape, it);
                var moved = Enumerable.Range(0, s.Length).Where(d => d != axis).Prepend(axis).ToArray();
                var g = K.Gather(K.PermuteDimensions(x, moved), idx);
                // gather gives idx.shape + rest; take puts idx.shape at axis: move the leading index axes into place.
                int ir = idxShape.Length;
                var back = Enumerable.Range(ir, axis).Concat(Enumerable.Range(0, ir)).Concat(Enumerable.Range(ir + axis, s.Length - 1 - axis)).ToArray();
                Exact(K.PermuteDimensions(g, back), K.Take(x, idx, axis), $"take(x, idx, {axis}) vs gather");
                Exact(K.Take(x, idx, axis), K.Take(x, Ints(raw.Select(v => v - n).ToArray(), idxShape, it), axis - s.Length), "negative indices and axis");
                var flat = raw.Select(_ => rnd.Next(0, x.Size)).ToArray();
                Exact(K.Gather(K.Flatten(x), Ints(flat, idxShape, it)), K.Take(x, Ints(flat, idxShape, it)), "take(x, idx) vs gather(flatten(x), idx)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("take_along_axis with an arange is the identity, with a constant column is take, and it broadcasts like numpy", ["take_along_axis"], () =>
            Gen.Select(Shape(1, 4), Gen.Int, Gen.Int[0, 3]).Sample((s, seed, p) =>
            {
                var rnd = new Random(seed);
                int axis = p % s.Length, n = s[axis];
                var x = R(seed, s);
                var along = Enumerable.Repeat(1, s.Length).ToArray();
                along[axis] = n;
                Exact(x, K.TakeAlongAxis(x, Ints(Enumerable.Range(0, n).ToArray(), along), axis), "take_along_axis(x, arange) = x");
                int k = rnd.Next(-n, n);
                var one = s.ToArray();
                one[axis] = 1;
                var col = Ints(Enumerable.Repeat(k, one.Aggregate(1, (a, b) => a * b)).ToArray(), one);
                Exact(K.Take(x, Ints([k], [1]), axis), K.TakeAlongAxis(x, col, axis), $"take_along_axis with every index {k} = take(x, [{k}])");
                var rev = Enumerable.Range(0, n).Reverse().ToArray();
                Exact(K.Reverse(x, axis), K.TakeAlongAxis(x, Ints(rev, along), axis), "take_along_axis(x, n-1..0) = reverse(x, axis)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];

    private static List<Law> AttentionLaws() =>
    [
        new("dot_product_attention: uniform when keys are zero, invariant to permuting keys, grouped heads = repeated heads, causal = the tril mask, a false mask = a huge negative bias", ["dot_product_attention"], () =>
            Gen.Select(Gen.Int[1, 2], Gen.Int[1, 70], Gen.Int[1, 70], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 5], Gen.Int).Sample((b, t, s, kv, g, h, seed) =>
            {
                var rnd = new Random(seed);
                int n = kv * g;
                var q = R(seed, [b, t, n, h]);
                var k = R(seed + 1, [b, s, kv, h]);
                var v = R(seed + 2, [b, s, kv, h]);
                var o = K.DotProductAttention(q, k, v);
                Close(K.Tile(K.Mean(K.RepeatElements(v, g, 2), 1, keepdims: true), [1, t, 1, 1]), K.DotProductAttention(q, K.ZerosLike(k), v),
                    "zero keys: the mean of the values", s);
                var perm = Enumerable.Range(0, s).OrderBy(_ => rnd.Next()).ToArray();
                var pi = K.Constant(perm, DType.Int32);
                Close(o, K.DotProductAttention(q, K.Take(k, pi, 1), K.Take(v, pi, 1)), "keys and values permuted together", s * h);
                Close(o, K.DotProductAttention(q, K.RepeatElements(k, g, 2), K.RepeatElements(v, g, 2)), "grouped heads = repeated kv heads", s * h);
                var tril = new bool[t * s];
                for (int i = 0; i < t; i++) for (int j = 0; j <= i && j < s; j++) tril[i * s + j] = true;
                var causal = K.DotProductAttention(q, k, v, isCausal: true);
                Close(causal, K.DotProductAttention(q, k, v, mask: K.Constant(tril, DType.Bool, [t, s])), "is_causal = mask tril(ones((T, S)))", s * h);
                var keep = Enumerable.Range(0, s).Select(j => j == 0 || rnd.Next(2) == 0).ToArray();
                var bias = K.Constant(keep.Select(z => z ? 0.0 : -1e300).ToArray(), DType.Float64, [s]);
                Close(K.DotProductAttention(q, k, v, bias: bias), K.DotProductAttention(q, k, v, mask: K.Constant(keep, DType.Bool, [s])),
                    "a false mask entry = a bias of -1e300", s * h);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 4), threads: 1)),
    ];
}
