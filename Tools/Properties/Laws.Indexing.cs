using CsCheck;

namespace KerasBackend.Properties;

// Laws of numpy basic indexing: the C# indexer (strided_slice) and the update form x.At[...].Set (strided_slice_update).
public static partial class Laws
{
    private static List<Law> IndexingLaws() =>
    [
        new("indexing: whole and double-reversed selections are x, a new axis adds a 1, and a graph with unknown dimensions agrees with eager", ["strided_slice"], () =>
            Gen.Select(Shape(1, 4), Gen.Int).Sample((s, seed) =>
            {
                var x = R(seed, s);
                Exact(x, x[..], "x[:] = x");
                Exact(x, x[TensorIndex.Ellipsis], "x[...] = x");
                Exact(x, x[TensorIndex.Step(-1)][TensorIndex.Step(-1)], "x[::-1][::-1] = x");
                Exact(x, x[TensorIndex.NewAxis][0], "x[None][0] = x");
                True(x[TensorIndex.Ellipsis, TensorIndex.NewAxis].Shape == new Shape([.. s, 1]), "x[..., None] adds a trailing 1");
                var idx = IndexGen.Draw(new Random(seed), s);
                var eager = x[idx];
                var p = K.Placeholder(shape: s.Select(_ => (int?)null).ToArray(), dtype: DType.Float64);
                var sym = p[idx];
                True(sym.Rank == eager.Rank, $"x[{string.Join(", ", idx)}]: symbolic rank {sym.Rank}, eager {eager.Rank}");
                Exact(eager, K.Function([p], [sym]).Call(x)[0], $"K.Function(x[{string.Join(", ", idx)}]) = eager");
                // Concatenating x[:k] and x[k:] along the first axis gives x back.
                int cut = seed % (s[0] + 1);
                if (cut < 0) cut += s[0] + 1;
                Exact(x, K.Concatenate([x[..cut], x[cut..]], 0), $"concatenate(x[:{cut}], x[{cut}:]) = x");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("x.At[i].Set(v): reads back v, leaves the rest of x, leaves x itself alone, and Set(x[i]) is x", ["strided_slice_update"], () =>
            Gen.Select(Shape(1, 4), Gen.Int).Sample((s, seed) =>
            {
                var x = R(seed, s);
                var before = x.ToDoubleArray();
                var idx = IndexGen.Draw(new Random(seed), s);
                var region = x[idx];
                var v = R(seed + 1, region.Shape.ToArray());
                var y = x.At[idx].Set(v);
                Exact(v, y[idx], $"x.At[{string.Join(", ", idx)}].Set(v)[...] = v");
                True(x.ToDoubleArray().SequenceEqual(before), "x is unchanged");
                Exact(x, x.At[idx].Set(region), "x.At[i].Set(x[i]) = x");
                // Outside the region nothing moves: set through a 0/1 mask of the region.
                var mask = K.ZerosLike(x).At[idx].Set(1);
                Exact(K.Multiply(x, K.Subtract(K.Constant(1.0, DType.Float64), mask)), K.Multiply(y, K.Subtract(K.Constant(1.0, DType.Float64), mask)), "outside the region y = x");
                Exact(K.Add(x, K.ZerosLike(x).At[idx].Set(v)), x.At[idx].Add(v), "At[i].Add(v) = x + zeros.At[i].Set(v)");
                Exact(y.At[idx].Set(region), x.At[idx].Set(v).At[idx].Set(region), "the last Set wins");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];
}

// Laws of Keras 3's split, broadcast_to, pad, slice_update and of cond, while_loop, fori_loop, scan.
public static partial class Laws
{
    private static List<Law> Keras3IndexingLaws() =>
    [
        new("split pieces concatenate back to x, with sections or indices, eagerly and in a graph", ["split"], () =>
            Gen.Select(Shape(1, 3), Gen.Int, Gen.Int[1, 3]).Sample((s, seed, n) =>
            {
                var rnd = new Random(seed);
                int axis = rnd.Next(s.Length);
                var x = R(seed, [.. s.Take(axis), s[axis] * n, .. s.Skip(axis + 1)]);
                var parts = K.Split(x, n, axis);
                True(parts.Count == n && parts.All(p => p.Shape[axis] == s[axis]), $"split into {n} equal sections");
                Exact(x, K.Concatenate(parts, axis), "concatenate(split(x, n)) = x");
                var cuts = new[] { rnd.Next(-2, x.Shape[axis] + 2), rnd.Next(0, x.Shape[axis] + 1) }.OrderBy(v => v < 0 ? v + x.Shape[axis] : v).ToArray();
                if (cuts[0] < 0 && cuts[0] + x.Shape[axis] < 0) cuts[0] = 0;
                var pieces = K.Split(x, cuts, axis - s.Length);
                Exact(x, K.Concatenate(pieces, axis), $"concatenate(split(x, [{string.Join(", ", cuts)}])) = x");
                var p = K.Placeholder(shape: x.Shape.ToArray().Select(_ => (int?)null).ToArray(), dtype: DType.Float64);
                var sym = K.Function([p], K.Split(p, cuts, axis)).Call(x);
                for (int i = 0; i < pieces.Count; i++) Exact(pieces[i], sym[i], $"piece {i} in a graph");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("broadcast_to(x, shape) agrees with x + zeros(shape) and keeps -0.0", ["broadcast_to"], () =>
            Gen.Select(Shape(0, 3), Gen.Int, Gen.Int[0, 2]).Sample((s, seed, extra) =>
            {
                var rnd = new Random(seed);
                var xs = s.Select(d => rnd.Next(2) == 0 ? 1 : d).ToArray();
                var x = R(seed, xs);
                int[] target = [.. Enumerable.Range(0, extra).Select(_ => rnd.Next(1, 4)), .. s];
                var y = K.BroadcastTo(x, target);
                True(y.Shape == new Shape(target), $"broadcast_to shape {y.Shape}");
                Exact(K.Add(x, K.Zeros(target, DType.Float64)), y, "broadcast_to = x + zeros");
                var z = K.BroadcastTo(K.Constant(-0.0, DType.Float64), [2]);
                True(z.ToDoubleArray().All(v => double.IsNegative(v)), "-0.0 stays -0.0");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("pad: the interior is x, reflect and symmetric mirror around the edge, constant fills", ["pad"], () =>
            Gen.Select(Shape(1, 3, 4), Gen.Int, Gen.Int[0, 2]).Sample((s, seed, m) =>
            {
                var rnd = new Random(seed);
                string mode = m switch { 0 => "constant", 1 => "reflect", _ => "symmetric" };
                var pw = s.Select(d => new[] { rnd.Next(0, mode == "reflect" ? d : d + 1), rnd.Next(0, mode == "reflect" ? d : d + 1) }).ToArray();
                var x = R(seed, s);
                var y = K.Pad(x, pw, mode);
                var inner = pw.Select((p, a) => (TensorIndex)(p[0]..(p[0] + s[a]))).ToArray();
                Exact(x, y[inner], $"pad(x, {mode}) interior = x");
                int axis = rnd.Next(s.Length);
                var b = pw[axis][0];
                if (b > 0)
                {
                    var items = new TensorIndex[axis + 1];
                    for (int i = 0; i < axis; i++) items[i] = ..;
                    items[axis] = 0;
                    var first = y[items];
                    items[axis] = mode == "reflect" ? 2 * b : mode == "symmetric" ? 2 * b - 1 : b;
                    var mirror = mode == "constant" ? K.ZerosLike(first) : y[items];
                    Exact(mirror, first, $"pad {mode}: the first padded row mirrors its partner");
                }
                var p = K.Placeholder(shape: s.Select(_ => (int?)null).ToArray(), dtype: DType.Float64);
                Exact(y, K.Function([p], [K.Pad(p, pw, mode)]).Call(x)[0], $"pad {mode} in a graph with unknown dimensions");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("slice_update(x, start, u) = x.At[start:start+u.shape].Set(u)", ["slice_update"], () =>
            Gen.Select(Shape(1, 3), Gen.Int).Sample((s, seed) =>
            {
                var rnd = new Random(seed);
                var start = s.Select(d => rnd.Next(0, d + 1)).ToArray();
                var size = s.Select((d, i) => rnd.Next(0, d - start[i] + 1)).ToArray();
                var x = R(seed, s);
                var u = R(seed + 1, size);
                var want = x.At[start.Select((a, i) => (TensorIndex)(a..(a + size[i]))).ToArray()].Set(u);
                Exact(want, K.SliceUpdate(x, start, u), "slice_update = At[...].Set");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("cond picks a branch; in a graph the fed predicate picks per call", ["cond"], () =>
            Gen.Select(Shape(0, 2), Gen.Int).Sample((s, seed) =>
            {
                var x = R(seed, s);
                Exact(K.Square(x), K.Cond(true, () => K.Square(x), () => K.Negative(x)), "cond(true)");
                Exact(K.Negative(x), K.Cond(K.Constant(0.0), () => K.Square(x), () => K.Negative(x)), "cond(0.0)");
                var pred = K.Placeholder(shape: [], dtype: DType.Bool);
                var p = K.Placeholder(shape: s.Select(_ => (int?)null).ToArray(), dtype: DType.Float64);
                var f = K.Function([pred, p], [K.Cond(pred, () => K.Square(p), () => K.Negative(p))]);
                Exact(K.Square(x), f.Call(K.Constant(true, DType.Bool), x)[0], "graph cond fed true");
                Exact(K.Negative(x), f.Call(K.Constant(false, DType.Bool), x)[0], "graph cond fed false");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("while_loop counts to its bound (or to maximum_iterations), eagerly and unrolled in a graph", ["while_loop"], () =>
            Gen.Select(Gen.Int[0, 6], Gen.Int[0, 8]).Sample((n, max) =>
            {
                Tensor Less(IReadOnlyList<Tensor> v) => K.Less(v[0], K.Constant((double)n));
                IReadOnlyList<Tensor> Inc(IReadOnlyList<Tensor> v) => [K.Add(v[0], K.Constant(1.0)), K.Multiply(v[1], K.Constant(2.0))];
                var r = K.WhileLoop(Less, Inc, [K.Constant(0.0), K.Constant(1.0)]);
                True(r[0].GetDouble(0) == n && r[1].GetDouble(0) == Math.Pow(2, n), $"while i < {n}: i = {r[0].GetDouble(0)}, 2^i = {r[1].GetDouble(0)}");
                var capped = K.WhileLoop(Less, Inc, [K.Constant(0.0), K.Constant(1.0)], max);
                True(capped[0].GetDouble(0) == Math.Min(n, max), $"maximum_iterations {max}: {capped[0].GetDouble(0)}");
                var p = K.Placeholder(shape: [], dtype: DType.Float64);
                var g = K.Function([p], K.WhileLoop(Less, Inc, [p, K.Constant(1.0)], max)).Call(K.Constant(0.0));
                True(g[0].GetDouble(0) == Math.Min(n, max) && g[1].GetDouble(0) == Math.Pow(2, Math.Min(n, max)), $"graph while_loop: {g[0].GetDouble(0)}");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("fori_loop adds 0 + 1 + ... + (n - 1)", ["fori_loop"], () =>
            Gen.Select(Shape(0, 2), Gen.Int, Gen.Int[-2, 6]).Sample((s, seed, n) =>
            {
                var x = R(seed, s);
                var y = K.ForiLoop(0, n, (i, v) => K.Add(v, K.Cast(i, DType.Float64)), x);
                Close(K.Add(x, K.Constant(Math.Max(n, 0) * (Math.Max(n, 0) - 1) / 2.0)), y, $"fori_loop(0, {n})");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("scan with a running sum is cumsum (forwards and reversed), its carry the total", ["scan"], () =>
            Gen.Select(Shape(1, 3), Gen.Int).Sample((s, seed) =>
            {
                var xs = R(seed, s);
                var init = K.Zeros(s.Skip(1).ToArray(), DType.Float64);
                (Tensor, Tensor?) Step(Tensor c, Tensor? x) { var t = K.Add(c, x!); return (t, t); }
                var r = K.Scan(Step, init, xs);
                Close(K.Cumsum(xs, 0), r[1], "scan ys = cumsum", s[0]);
                Close(K.Sum(xs, 0), r[0], "scan carry = sum", s[0]);
                var back = K.Scan(Step, init, xs, reverse: true);
                Close(K.Reverse(K.Cumsum(K.Reverse(xs, 0), 0), 0), back[1], "reversed scan = reversed cumsum", s[0]);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
    ];
}
