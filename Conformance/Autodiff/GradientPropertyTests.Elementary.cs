using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

// Finite-difference properties of sign, clip, sin and cos (and the activations added with them).
public partial class GradientPropertyTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sin")]
    public void Sin(string backend) => Unary(backend, "sin", K.Sin, -4, 4);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("cos")]
    public void Cos(string backend) => Unary(backend, "cos", K.Cos, -4, 4);

    // The gradient is zero (TensorFlow's _SignGrad); away from 0 the finite differences are zero too.
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sign")]
    public void Sign(string backend) => Unary(backend, "sign", K.Sign, minAbs: 0.1);

    // Values inside (-0.8, 0.8) or outside ±(1.2, 2), so none is within a difference step of the bounds ±1 (or of 1 alone when
    // max_value < min_value collapses the range, or -1 when one side is open).
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("clip")]
    public void Clip(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int[0, 3], Gens.Case).Sample((shape, form, c) =>
        {
            var rnd = new Random(c.Seed);
            var values = GradCheck.Values(rnd, shape, -0.8, 0.8).Select(v => rnd.Next(3) == 0 ? Math.Sign(v + 1e-9) * (1.2 + Math.Abs(v)) : v).ToArray();
            (double? lo, double? hi) = form switch { 0 => ((double?)-1.0, (double?)1.0), 1 => (null, 1.0), 2 => (-1.0, null), _ => (1.0, -1.0) };
            GradCheck.Check(backend, $"clip x.shape={GradCheck.Show(shape)} min_value={Format.Py(lo)} max_value={Format.Py(hi)}",
                xs => K.Clip(xs[0], lo, hi), [(values, shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);
}

public partial class GradientPropertyTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("elu")]
    public void Elu(string backend) =>
        Gen.Select(Gen.OneOf(new[] { 1.0, 0.5, 2.0 }), Gens.Shape(), Gens.Case).Sample((alpha, shape, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"elu x.shape={GradCheck.Show(shape)} alpha={alpha}", xs => K.Elu(xs[0], alpha),
                [(GradCheck.Values(rnd, shape, -3, 3, minAbs: 0.05), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("softplus")]
    public void Softplus(string backend) => Unary(backend, "softplus", K.Softplus, -6, 6);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("softsign")]
    public void Softsign(string backend) => Unary(backend, "softsign", K.Softsign, -4, 4);

    // Values away from the kinks at ±2.5.
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("hard_sigmoid")]
    public void HardSigmoid(string backend) =>
        Gen.Select(Gens.Shape(), Gens.Case).Sample((shape, c) =>
        {
            var rnd = new Random(c.Seed);
            var values = GradCheck.Values(rnd, shape, -2.3, 2.3).Select(v => rnd.Next(3) == 0 ? Math.Sign(v + 1e-9) * (2.7 + Math.Abs(v)) : v).ToArray();
            GradCheck.Check(backend, $"hard_sigmoid x.shape={GradCheck.Show(shape)}", xs => K.HardSigmoid(xs[0]), [(values, shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);
}

public partial class GradientPropertyTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("logsumexp")]
    public void LogSumExp(string backend) => Reduction(backend, "logsumexp", (x, a, k) => K.LogSumExp(x, a, k), -3, 3);
}

