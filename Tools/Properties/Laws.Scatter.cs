using CsCheck;

namespace KerasBackend.Properties;

// Laws of scatter and scatter_update (Spec/ops/scatter.json): identities of adding and replacing slices; and of nonzero
// (Spec/ops/nonzero.json), whose indices scatter back to x != 0.
public static partial class Laws
{
    /// <summary>Random index rows of depth k into <paramref name="target"/> (negative ones included), some repeating row 0 when <paramref name="repeats"/>.</summary>
    private static int[] ScatterIndexRows(Random rnd, int[] target, int k, int count, bool repeats)
    {
        var idx = new int[count * k];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < k; j++)
                idx[i * k + j] = repeats && i > 0 && rnd.Next(3) == 0 ? idx[j] : rnd.Next(-target[j], target[j]);
        return idx;
    }

    /// <summary>The distinct slices of depth k of <paramref name="target"/>, in a random order, as index rows (at most <paramref name="max"/>).</summary>
    private static int[] DistinctIndexRows(Random rnd, int[] target, int k, int max)
    {
        int slices = target.Take(k).Aggregate(1, (a, b) => a * b);
        var order = Enumerable.Range(0, slices).OrderBy(_ => rnd.Next()).Take(max).ToArray();
        var idx = new int[order.Length * k];
        for (int i = 0; i < order.Length; i++)
            for (int j = k - 1, f = order[i]; j >= 0; j--) { idx[i * k + j] = f % target[j]; f /= target[j]; }
        return idx;
    }

    private static List<Law> ScatterLaws() =>
    [
        new("scatter: Σ scatter = Σ values, linear in values, concatenated rows = the sum of two scatters, distinct rows = scatter_update of zeros", ["scatter"], () =>
            Gen.Select(Shape(1, 3, 4), Gen.Int, Gen.Int[1, 3], Gen.Int[0, 6], Gen.Int[0, 6]).Sample((s, seed, pick, n1, n2) =>
            {
                var rnd = new Random(seed);
                int k = 1 + pick % s.Length;
                int[] rest = s[k..];
                var i1 = ScatterIndexRows(rnd, s, k, n1, repeats: true);
                var i2 = ScatterIndexRows(rnd, s, k, n2, repeats: true);
                var a = R(seed, [n1, .. rest]);
                var b = R(seed + 1, [n1, .. rest]);
                var c = R(seed + 2, [n2, .. rest]);
                var sa = K.Scatter(Ints(i1, [n1, k]), a, s);
                Close(K.Sum(a), K.Sum(sa), "Σ scatter(indices, a) = Σ a", Math.Max(1, a.Size));
                Close(K.Add(sa, K.Scatter(Ints(i1, [n1, k]), b, s)), K.Scatter(Ints(i1, [n1, k]), K.Add(a, b), s), "scatter(a) + scatter(b) = scatter(a + b)", 4);
                Close(K.Add(sa, K.Scatter(Ints(i2, [n2, k]), c, s)), K.Scatter(Ints([.. i1, .. i2], [n1 + n2, k], DType.Int64), K.Concatenate([a, c], 0), s),
                    "scatter of concatenated rows = the sum of the two scatters", n1 + n2);
                var d = DistinctIndexRows(rnd, s, k, n1);
                int m = d.Length / k;
                var v = R(seed + 3, [m, .. rest]);
                Exact(K.ScatterUpdate(K.Zeros(s, DType.Float64), Ints(d, [m, k]), v), K.Scatter(Ints(d, [m, k]), v, s), "distinct rows: scatter = scatter_update of zeros");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("scatter_update: writing x's own values back is x, the last of repeated rows wins, distinct rows = x·(1 − mask) + scatter", ["scatter_update"], () =>
            Gen.Select(Shape(1, 3, 4), Gen.Int, Gen.Int[1, 3], Gen.Int[1, 6]).Sample((s, seed, pick, n) =>
            {
                var rnd = new Random(seed);
                int k = s.Length;
                var x = R(seed, s);
                // Full-depth rows: x's own value at each row is take(flatten(x), the row's flat position).
                var rows = ScatterIndexRows(rnd, s, k, n, repeats: true);
                var flat = Enumerable.Range(0, n).Select(i =>
                {
                    int f = 0;
                    for (int j = 0; j < k; j++) f = f * s[j] + (rows[i * k + j] + s[j]) % s[j];
                    return f;
                }).ToArray();
                var own = K.Take(K.Flatten(x), Ints(flat, [n]));
                Exact(x, K.ScatterUpdate(x, Ints(rows, [n, k]), own), "scatter_update(x, rows, x at rows) = x");
                var u = R(seed + 1, [n]);
                var last = Enumerable.Range(0, n).Where(i => !flat.Skip(i + 1).Contains(flat[i])).ToArray();
                var lastRows = last.SelectMany(i => rows.Skip(i * k).Take(k)).ToArray();
                Exact(K.ScatterUpdate(x, Ints(lastRows, [last.Length, k]), K.Take(u, Ints(last, [last.Length]))), K.ScatterUpdate(x, Ints(rows, [n, k]), u),
                    "repeated rows: only the last write of each position counts");
                int depth = 1 + pick % s.Length;
                var d = DistinctIndexRows(rnd, s, depth, n);
                int m = d.Length / depth;
                var v = R(seed + 2, [m, .. s[depth..]]);
                var di = Ints(d, [m, depth]);
                var mask = K.Scatter(di, K.Ones([m, .. s[depth..]], DType.Float64), s);
                Close(K.Add(K.Multiply(x, K.Subtract(K.OnesLike(mask), mask)), K.Scatter(di, v, s)), K.ScatterUpdate(x, di, v), "x·(1 − mask) + scatter(rows, v)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("nonzero = where(condition): its indices scatter ones back to x != 0, they pick exactly the nonzero values, and a graph with unknown dimensions gives the same", ["nonzero"], () =>
            Gen.Select(Shape(1, 3, 4), Gen.Int, Gen.OneOf(DType.Float64, DType.Int32, DType.Bool)).Sample((s, seed, d) =>
            {
                var x = K.Cast(K.Round(R(seed, s)), d);
                var idx = K.Where(x);
                True(idx.Count == s.Length && idx.All(t => t.DType == DType.Int64 && t.Rank == 1), "one int64 vector per axis");
                int count = idx[0].Shape[0];
                var nz = K.Cast(K.NotEqual(x, K.ZerosLike(x)), DType.Float64);
                Exact(K.Sum(nz), K.Constant((double)count, DType.Float64), "count = Σ (x != 0)");
                var rows = K.Stack(idx, -1);
                Exact(nz, K.Scatter(rows, K.Ones([count], DType.Float64), s), "scatter(stack(nonzero(x), -1), ones, x.shape) = x != 0");
                var picked = K.Cast(K.Take(K.Flatten(x), K.Sum(K.Multiply(rows, K.Constant(x.Shape.Strides().Select(v => (long)v).ToArray(), DType.Int64)), [1])), DType.Float64);
                Exact(K.Cast(K.NotEqual(picked, K.ZerosLike(picked)), DType.Float64), K.Ones([count], DType.Float64), "x at the indices is nonzero");
                var p = K.Placeholder(shape: s.Select(_ => (int?)null).ToArray(), dtype: d);
                var graph = K.Nonzero(p);
                True(graph.Count == s.Length && graph.All(t => t.Rank == 1 && t.Shape[0] == KerasBackend.Shape.Unknown && t.DType == DType.Int64), "in a graph: (None,) int64 per axis");
                var sym = K.Function([p], graph).Call(x);
                for (int a = 0; a < s.Length; a++) Exact(idx[a], sym[a], $"axis {a} in a graph");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];
}
