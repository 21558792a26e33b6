using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>
/// One finite-difference property per differentiable op (float64, random shapes, both backends): the
/// gradient K.Gradients builds agrees with central differences. Failures name the op, shapes, attributes
/// and the CsCheck seed.
/// </summary>
public class GradientPropertyTests
{
    private const int Iterations = 25;

    private static void Unary(string backend, string op, Func<Tensor, Tensor> f, double lo = -2, double hi = 2, double minAbs = 0) =>
        Gen.Select(Gens.Shape(), Gens.Case).Sample((shape, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"{op} x.shape={GradCheck.Show(shape)}", xs => f(xs[0]),
                [(GradCheck.Values(rnd, shape, lo, hi, minAbs), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    private static void Binary(string backend, string op, Func<Tensor, Tensor, Tensor> f, double yMinAbs = 0) =>
        Gen.Select(Gens.BroadcastPair, Gens.Case).Sample((p, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"{op} x.shape={GradCheck.Show(p.X)} y.shape={GradCheck.Show(p.Y)}", xs => f(xs[0], xs[1]),
                [(GradCheck.Values(rnd, p.X), p.X), (GradCheck.Values(rnd, p.Y, -2, 2, yMinAbs), p.Y)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("add")]
    public void Add(string backend) => Binary(backend, "add", K.Add);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("subtract")]
    public void Subtract(string backend) => Binary(backend, "subtract", K.Subtract);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("multiply")]
    public void Multiply(string backend) => Binary(backend, "multiply", K.Multiply);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("divide")]
    public void Divide(string backend) => Binary(backend, "divide", K.Divide, yMinAbs: 0.5);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("negative")]
    public void Negative(string backend) => Unary(backend, "negative", K.Negative);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("exp")]
    public void Exp(string backend) => Unary(backend, "exp", K.Exp);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("tanh")]
    public void Tanh(string backend) => Unary(backend, "tanh", K.Tanh);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sigmoid")]
    public void Sigmoid(string backend) => Unary(backend, "sigmoid", K.Sigmoid);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("cast")]
    public void Cast(string backend) => Unary(backend, "cast", x => K.Cast(K.Cast(x, DType.Float64), DType.Float64));

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("transpose")]
    public void Transpose(string backend) => Unary(backend, "transpose", K.Transpose);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sum")]
    public void Sum(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int.Array[4], Gen.Bool, Gen.Bool, Gens.Case).Sample((shape, pick, all, keepdims, c) =>
        {
            // A random subset of axes, written with random signs; or null (every axis).
            int[]? axes = all ? null : Enumerable.Range(0, shape.Length).Where(i => (pick[i] & 1) == 1)
                .Select(i => (pick[i] & 2) == 2 ? i - shape.Length : i).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"sum x.shape={GradCheck.Show(shape)} axis={Format.Py(axes)} keepdims={keepdims}",
                xs => K.Sum(xs[0], axes, keepdims), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("dot")]
    public void Dot(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gens.Shape(1, 3), Gen.Int[1, 4], Gens.Case).Sample((xs0, ys0, k, c) =>
        {
            // Make the contracted axes agree: x's last and y's second-to-last (a rank-1 y's only axis).
            var xs = xs0.ToArray(); xs[^1] = k;
            var ys = ys0.ToArray(); ys[ys.Length >= 2 ? ys.Length - 2 : 0] = k;
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"dot x.shape={GradCheck.Show(xs)} y.shape={GradCheck.Show(ys)}", t => K.Dot(t[0], t[1]),
                [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ys), ys)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("concatenate")]
    public void Concatenate(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[1, 4].Array[1, 3], Gen.Int[0, 5], Gens.Case).Sample((shape, sizes, axisPick, c) =>
        {
            int axis = axisPick % shape.Length - (axisPick >= 3 ? shape.Length : 0);
            int abs = axis < 0 ? axis + shape.Length : axis;
            var shapes = sizes.Select(s => { var d = shape.ToArray(); d[abs] = s; return d; }).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"concatenate shapes=[{string.Join(", ", shapes.Select(GradCheck.Show))}] axis={axis}",
                t => K.Concatenate(t, axis), shapes.Select(s => (GradCheck.Values(rnd, s), s)).ToArray(), c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);
}
