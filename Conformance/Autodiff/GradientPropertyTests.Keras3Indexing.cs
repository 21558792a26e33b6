using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>Finite-difference properties of Keras 3's split, broadcast_to, pad, slice_update, cond, while_loop, fori_loop
/// and scan (composites: the gradient flows through the ops they record).</summary>
public partial class GradientPropertyTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("split")]
    public void Split(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gens.Case).Sample((shape, c) =>
        {
            var rnd = new Random(c.Seed);
            int axis = rnd.Next(shape.Length), cut = rnd.Next(0, shape[axis] + 1);
            GradCheck.Check(backend, $"split x.shape={GradCheck.Show(shape)} [{cut}] axis={axis}",
                xs => { var p = K.Split(xs[0], new[] { cut }, axis); return K.Concatenate([p[0] * 2.0, p[1] * 3.0], axis); },
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("broadcast_to")]
    public void BroadcastTo(string backend) =>
        Gen.Select(Gens.Shape(0, 3), Gens.Case).Sample((shape, c) =>
        {
            var rnd = new Random(c.Seed);
            var xShape = shape.Select(d => rnd.Next(2) == 0 ? 1 : d).ToArray();
            int[] target = [rnd.Next(1, 3), .. shape];
            GradCheck.Check(backend, $"broadcast_to x.shape={GradCheck.Show(xShape)} shape={GradCheck.Show(target)}", xs => K.BroadcastTo(xs[0], target),
                [(GradCheck.Values(rnd, xShape), xShape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("pad")]
    public void Pad(string backend) =>
        Gen.Select(Gen.Int[2, 4].Array[1, 3], Gen.Int[0, 2], Gens.Case).Sample((shape, m, c) =>
        {
            var rnd = new Random(c.Seed);
            string mode = m switch { 0 => "constant", 1 => "reflect", _ => "symmetric" };
            var pw = shape.Select(d => new[] { rnd.Next(0, d), rnd.Next(0, d) }).ToArray();
            GradCheck.Check(backend, $"pad x.shape={GradCheck.Show(shape)} {mode} {string.Join(" ", pw.Select(p => $"({p[0]}, {p[1]})"))}",
                xs => K.Pad(xs[0], pw, mode, mode == "constant" ? 1.5 : null), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("slice_update")]
    public void SliceUpdate(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gens.Case).Sample((shape, c) =>
        {
            var rnd = new Random(c.Seed);
            var start = shape.Select(d => rnd.Next(0, d)).ToArray();
            var size = shape.Select((d, i) => rnd.Next(0, d - start[i] + 1)).ToArray();
            // updates need known dimensions: the graph keeps them (no unknown-dimension variant).
            GradCheck.Check(backend, $"slice_update x.shape={GradCheck.Show(shape)} start={GradCheck.Show(start)} u.shape={GradCheck.Show(size)}",
                xs => K.SliceUpdate(xs[0], start, xs[1]), [(GradCheck.Values(rnd, shape), shape), (GradCheck.Values(rnd, size), size)], c.Seed);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("cond")]
    public void Cond(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Bool, Gens.Case).Sample((shape, pick, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"cond({pick}) x.shape={GradCheck.Show(shape)}",
                xs => K.Cond(pick, () => K.Square(xs[0]), () => K.Sin(xs[0])), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("while_loop")]
    public void WhileLoop(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int[0, 3], Gens.Case).Sample((shape, n, c) =>
        {
            var rnd = new Random(c.Seed);
            // A counter decides the steps (so finite differences never flip the condition); x is squashed each step.
            GradCheck.Check(backend, $"while_loop {n} steps x.shape={GradCheck.Show(shape)}",
                xs => K.WhileLoop(v => K.Less(v[1], K.Constant((double)n)), v => [K.Tanh(v[0]) * 1.5, v[1] + 1.0], [xs[0], K.Constant(0.0)], 4)[0],
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("fori_loop")]
    public void ForiLoop(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int[0, 3], Gens.Case).Sample((shape, n, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"fori_loop(0, {n}) x.shape={GradCheck.Show(shape)}",
                xs => K.ForiLoop(0, n, (i, v) => K.Sin(v) * xs[0] + K.Cast(i, DType.Float64), xs[0]), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("scan")]
    public void Scan(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Bool, Gens.Case).Sample((shape, reverse, c) =>
        {
            var rnd = new Random(c.Seed);
            var inner = shape.Skip(1).ToArray();
            // scan needs xs' first dimension known: no unknown-dimension variant.
            GradCheck.Check(backend, $"scan xs.shape={GradCheck.Show(shape)} reverse={reverse}",
                xs =>
                {
                    var r = K.Scan((cr, x) => (K.Tanh(cr * x!) + x!, cr * 2.0), xs[1], xs[0], reverse: reverse);
                    return K.Concatenate([K.ExpandDims(r[0], 0), r[1]], 0);
                },
                [(GradCheck.Values(rnd, shape), shape), (GradCheck.Values(rnd, inner), inner)], c.Seed);
        }, iter: Iterations, threads: 1);
}
