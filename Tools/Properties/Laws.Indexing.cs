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
