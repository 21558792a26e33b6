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
}
