using CsCheck;

namespace KerasBackend.Properties;

// Laws of matmul, einsum, tensordot (Spec/ops/contraction.json) and of sort, argsort, top_k (Spec/ops/sorting.json).
public static partial class Laws
{
    private static List<Law> ContractionLaws() =>
    [
        new("matmul is dot on matrices and batch_dot on batches, broadcasts a shared operand, and promotes 1-D operands", ["matmul"], () =>
            Gen.Select(Gen.Int[1, 4], Gen.Int[1, 6], Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int).Sample((m, k, n, b, seed) =>
            {
                var x = R(seed, [m, k]);
                var y = R(seed + 1, [k, n]);
                Close(K.Dot(x, y), K.Matmul(x, y), "matmul(x, y) = dot(x, y)", k);
                var xb = R(seed + 2, [b, m, k]);
                var yb = R(seed + 3, [b, k, n]);
                Close(K.BatchDot(xb, yb, [2, 1]), K.Matmul(xb, yb), "matmul of batches = batch_dot", k);
                Close(K.Matmul(K.Tile(K.ExpandDims(x, 0), [b, 1, 1]), yb), K.Matmul(x, yb), "a 2-D x1 broadcasts over x2's batches", k);
                var v = R(seed + 4, [k]);
                Close(K.Squeeze(K.Matmul(K.ExpandDims(v, 0), y), 0), K.Matmul(v, y), "1-D x1 = a row", k);
                Close(K.Squeeze(K.Matmul(x, K.ExpandDims(v, 1)), 1), K.Matmul(x, v), "1-D x2 = a column", k);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("einsum: matmul, transposes, traces and sums agree with the ops that define them; tensordot is einsum", ["einsum", "tensordot"], () =>
            Gen.Select(Gen.Int[1, 4], Gen.Int[1, 5], Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int).Sample((m, k, n, b, seed) =>
            {
                var x = R(seed, [m, k]);
                var y = R(seed + 1, [k, n]);
                Close(K.Matmul(x, y), K.Einsum("ij,jk->ik", [x, y]), "einsum ij,jk->ik = matmul", k);
                Close(K.Transpose(K.Matmul(x, y)), K.Einsum("ij,jk->ki", [x, y]), "einsum ij,jk->ki = (x y)ᵀ", k);
                Close(K.Matmul(x, K.Transpose(K.Transpose(y))), K.Einsum("ij,kj->ik", [x, K.Transpose(y)]), "einsum ij,kj->ik = x yᵀ", k);
                Close(K.Sum(x, 1), K.Einsum("ij->i", [x]), "einsum ij->i = sum over j", k);
                Close(K.Sum(x), K.Einsum("ij->", [x]), "einsum ij-> = sum", x.Size);
                var sq = R(seed + 2, [k, k]);
                Close(K.Sum(K.Multiply(sq, K.Eye([k], DType.Float64))), K.Einsum("ii", [sq]), "einsum ii = trace", k);
                var xb = R(seed + 3, [b, m, k]);
                var yb = R(seed + 4, [b, k, n]);
                Close(K.Matmul(xb, yb), K.Einsum("...ij,...jk->...ik", [xb, yb]), "ellipsis batches = matmul", k);
                Close(K.Matmul(K.Matmul(x, y), K.Transpose(y)), K.Einsum("ij,jk,lk->il", [x, y, y]), "three operands", k * n);
                Close(K.Matmul(x, y), K.Tensordot(x, y, [1]), "tensordot axes 1 = matmul", k);
                Close(K.Reshape(K.Matmul(K.Reshape(xb, [b * m, k]), y), [b, m, n]), K.Tensordot(xb, y, [2, 0]), "tensordot ((2,), (0,))", k);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("sort is take_along_axis by argsort, ascending with NaN last; argsort is stable; top_k is the reversed stable order's head", ["sort", "argsort", "top_k", "top_k_indices"], () =>
            Gen.Select(Shape(1, 3, 7), Gen.Int, Gen.Int[0, 2], Gen.Bool).Sample((s, seed, p, nan) =>
            {
                int axis = p % s.Length;
                var rnd = new Random(seed);
                // Few distinct values (ties), NaN sometimes.
                var v = Enumerable.Range(0, s.Aggregate(1, (a, c) => a * c)).Select(_ => nan && rnd.Next(6) == 0 ? double.NaN : rnd.Next(-3, 4)).ToArray();
                var x = FromDoubles(v, s);
                var order = K.Argsort(x, axis);
                var sorted = K.Sort(x, axis);
                Exact(sorted, K.TakeAlongAxis(x, order, axis), "sort = take_along_axis(x, argsort(x))");
                var (outer, n, inner) = (s.Take(axis).Aggregate(1, (a, c) => a * c), s[axis], s.Skip(axis + 1).Aggregate(1, (a, c) => a * c));
                var sv = sorted.ToDoubleArray();
                var ov = order.ToDoubleArray();
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < inner; j++)
                        for (int i = 1; i < n; i++)
                        {
                            int at = (o * n + i) * inner + j, before = at - inner;
                            double a = sv[before], c = sv[at];
                            True(double.IsNaN(c) || !double.IsNaN(a) && a <= c, $"sorted line not ascending with NaN last: {a} then {c}");
                            True(!(a == c || double.IsNaN(a) && double.IsNaN(c)) || ov[before] < ov[at], $"argsort not stable at a tie of {a}");
                        }
                int k = rnd.Next(0, s[^1] + 1);
                var top = K.TopK(x, k);
                // Keras' numpy top_k: n - 1 - reverse(argsort(reverse(x)))[..., :k] with a stable argsort (NaN last there, so first here).
                var head = K.Slice(K.Reverse(K.Argsort(K.Reverse(x, -1), -1), -1), new int[s.Length], [.. s[..^1], k]);
                Exact(K.Subtract(K.Constant(s[^1] - 1, DType.Int32), head), top[1], "top_k indices = Keras' reverse-argsort-reverse");
                Exact(top[1], K.TopKIndices(x, k), "top_k_indices = top_k's indices");
                Exact(K.TakeAlongAxis(x, top[1], -1), top[0], "top_k values = x at its indices");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];
}
