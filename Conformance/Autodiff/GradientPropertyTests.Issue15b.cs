using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

// Finite-difference properties of dropout and the control-flow composites.
public partial class GradientPropertyTests
{
    // A seeded dropout: the graph's first run uses the seed itself, as the eager calls of the finite differences do.
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("dropout")]
    public void Dropout(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Double[0, 0.8], Gens.Case).Sample((shape, level, c) =>
            GradCheck.Check(backend, $"dropout x.shape={GradCheck.Show(shape)} level={level} seed={c.Seed}", xs => K.Dropout(xs[0], level, seed: c.Seed),
                [(GradCheck.Values(new Random(c.Seed), shape), shape)], c.Seed, c.Unknown), iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("map_fn")]
    public void MapFn(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gens.Case).Sample((shape, c) =>
            GradCheck.Check(backend, $"map_fn(x -> x * x + sum(x)) elems.shape={GradCheck.Show(shape)}", xs => K.MapFn(r => r * r + K.Sum(r), xs[0]),
                [(GradCheck.Values(new Random(c.Seed), shape), shape)], c.Seed), iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("foldl"), GradientProperty("foldr")]
    public void Folds(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Bool, Gens.Case).Sample((shape, init, c) =>
        {
            var rest = shape.Skip(1).ToArray();
            var rnd = new Random(c.Seed);
            (double[], int[])[] inputs = init ? [(GradCheck.Values(rnd, shape), shape), (GradCheck.Values(rnd, rest), rest)] : [(GradCheck.Values(rnd, shape), shape)];
            GradCheck.Check(backend, $"foldl(acc * x + x) elems.shape={GradCheck.Show(shape)} initializer={init}",
                xs => K.Foldl((acc, r) => acc * r + r, xs[0], init ? xs[1] : null), inputs, c.Seed);
            GradCheck.Check(backend, $"foldr(acc * x + x) elems.shape={GradCheck.Show(shape)} initializer={init}",
                xs => K.Foldr((acc, r) => acc * r + r, xs[0], init ? xs[1] : null), inputs, c.Seed);
        }, iter: Iterations, threads: 1);
}
