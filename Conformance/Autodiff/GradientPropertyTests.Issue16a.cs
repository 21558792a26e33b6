using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

// Finite-difference properties of the Keras 3 ops of issue 16 (math, activations, normalizations, norm, where, tril/triu).
public partial class GradientPropertyTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("erf")]
    public void Erf(string backend) => Unary(backend, "erf", K.Erf, -3, 3);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("rsqrt")]
    public void Rsqrt(string backend) => Unary(backend, "rsqrt", K.Rsqrt, 0.3, 3);

    // Away from the jumps (x a multiple of y) with |y| >= 0.5: d/dx = 1, d/dy = -floor(x / y).
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("mod")]
    public void Mod(string backend) => Binary(backend, "mod", K.Mod, yMinAbs: 0.5);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("nan_to_num")]
    public void NanToNum(string backend) => Unary(backend, "nan_to_num", x => K.NanToNum(x, nan: 1, posinf: 2, neginf: -2));

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("gelu")]
    public void Gelu(string backend)
    {
        Unary(backend, "gelu", x => K.Gelu(x), -3, 3);
        Unary(backend, "gelu approximate=false", x => K.Gelu(x, approximate: false), -3, 3);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("silu")]
    public void Silu(string backend) => Unary(backend, "silu", K.Silu, -4, 4);

    // Away from the kink at 0.
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("leaky_relu")]
    public void LeakyRelu(string backend) => Unary(backend, "leaky_relu", x => K.LeakyRelu(x, 0.3), minAbs: 0.05);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("log_softmax")]
    public void LogSoftmax(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[0, 2], Gens.Case).Sample((shape, p, c) =>
        {
            int axis = p % shape.Length - (p % 2) * shape.Length; // sometimes negative
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"log_softmax x.shape={GradCheck.Show(shape)} axis={axis}", xs => K.LogSoftmax(xs[0], axis),
                [(GradCheck.Values(rnd, shape, -3, 3), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("moments")]
    public void Moments(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[1, 7], Gen.Bool, Gens.Case).Sample((shape, pick, keep, c) =>
        {
            var axes = Enumerable.Range(0, shape.Length).Where(i => (pick >> i & 1) == 1).DefaultIfEmpty(0).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"moments x.shape={GradCheck.Show(shape)} axes={Format.Py(axes)} keepdims={keep}",
                xs => { var mv = K.Moments(xs[0], axes, keep); return K.Add(K.Multiply(mv[0], Tensor.WeakScalar(1.7)), mv[1]); },
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("layer_normalization")]
    public void LayerNormalization(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[1, 7], Gen.Int[0, 3], Gens.Case).Sample((shape0, pick, layout, c) =>
        {
            var shape = shape0.Select(d => d + 1).ToArray(); // groups of at least two elements: a variance away from 0
            var axes = Enumerable.Range(0, shape.Length).Where(i => (pick >> i & 1) == 1).DefaultIfEmpty(shape.Length - 1).ToArray();
            // γ and β laid out three ways: x's rank with 1s outside the axes, the axes' shape flattened (Keras reshapes it),
            // or absent; the flattened form is fed with known dimensions (its reshape needs them).
            var full = Enumerable.Range(0, shape.Length).Select(d => axes.Contains(d) ? shape[d] : 1).ToArray();
            int[] ps = layout == 1 ? [axes.Aggregate(1, (p, d) => p * shape[d])] : full;
            bool unknown = c.Unknown && layout != 1;
            var rnd = new Random(c.Seed);
            var inputs = new List<(double[], int[])> { (GradCheck.Values(rnd, shape, -2, 2), shape) };
            if (layout != 2) { inputs.Add((GradCheck.Values(rnd, ps, 0.5, 2), ps)); inputs.Add((GradCheck.Values(rnd, ps), ps)); }
            GradCheck.Check(backend, $"layer_normalization x.shape={GradCheck.Show(shape)} axis={Format.Py(axes)} gamma.shape={(layout == 2 ? "None" : GradCheck.Show(ps))}",
                xs => layout == 2 ? K.LayerNormalization(xs[0], axis: axes, epsilon: 1e-3) : K.LayerNormalization(xs[0], xs[1], xs[2], axes, 1e-3),
                inputs, c.Seed, unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("rms_normalization")]
    public void RmsNormalization(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gens.Case).Sample((shape, c) =>
        {
            var rnd = new Random(c.Seed);
            int[] ss = [shape[^1]];
            GradCheck.Check(backend, $"rms_normalization x.shape={GradCheck.Show(shape)}", xs => K.RmsNormalization(xs[0], xs[1], epsilon: 1e-3),
                [(GradCheck.Values(rnd, shape, -2, 2, 0.2), shape), (GradCheck.Values(rnd, ss), ss)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("norm")]
    public void Norm(string backend) =>
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[0, 8], Gens.Case).Sample((m, n, pick, c) =>
        {
            // Vector ords over axis 1, matrix ords over both axes; |x| >= 0.1 keeps |x| and the powers differentiable.
            (object? ord, int[]? axis) = pick switch
            {
                0 => ((object?)null, (int[]?)null), 1 => (2, [1]), 2 => (1, [1]), 3 => (3, [-1]), 4 => (double.PositiveInfinity, [1]),
                5 => ("fro", [0, 1]), 6 => (1, [0, 1]), 7 => (double.NegativeInfinity, [1, 0]), _ => (0.5, [0]),
            };
            int[] shape = [m, n];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"norm x.shape={GradCheck.Show(shape)} ord={Format.Py(ord)} axis={Format.Py(axis)}", xs => K.Norm(xs[0], ord, axis),
                [(GradCheck.Values(rnd, shape, -2, 2, 0.1), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("where")]
    public void Where(string backend) =>
        Gen.Select(Gens.BroadcastPair, Gens.Case).Sample((p, c) =>
        {
            var rnd = new Random(c.Seed);
            var cond = K.Constant(Enumerable.Range(0, p.X.Aggregate(1, (a, b) => a * b)).Select(_ => rnd.Next(2) == 1).ToArray(), DType.Bool, p.X);
            GradCheck.Check(backend, $"where condition.shape={GradCheck.Show(p.X)} x1.shape={GradCheck.Show(p.X)} x2.shape={GradCheck.Show(p.Y)}",
                xs => K.Where(cond, xs[0], xs[1]), [(GradCheck.Values(rnd, p.X), p.X), (GradCheck.Values(rnd, p.Y), p.Y)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("tril")]
    public void Tril(string backend) => Triangle(backend, "tril", K.Tril);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("triu")]
    public void Triu(string backend) => Triangle(backend, "triu", K.Triu);

    private static void Triangle(string backend, string op, Func<Tensor, int, Tensor> f) =>
        Gen.Select(Gens.Shape(2, 4), Gen.Int[-3, 3], Gens.Case).Sample((shape, k, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"{op} x.shape={GradCheck.Show(shape)} k={k}", xs => f(xs[0], k), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);
}
