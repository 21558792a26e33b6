using System.Numerics;

namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    private static readonly BigInteger TwoTo64 = BigInteger.One << 64;

    public void Add(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => a + b, (a, b) => unchecked(a + b));
    public void Subtract(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => a - b, (a, b) => unchecked(a - b));
    public void Multiply(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => a * b, (a, b) => unchecked(a * b));
    public void Divide(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => a / b, (a, b) => throw new InvalidOperationException("divide has a float output"));
    public void Negative(Tensor x, Tensor output) => Unary(x, output, a => -a, a => unchecked(-a));
    public void Exp(Tensor x, Tensor output) => Unary(x, output, Math.Exp);

    /// <summary>|x|; integers wrap as numpy's do: -(-128) stored in int8 is -128 again.</summary>
    public void Abs(Tensor x, Tensor output) => Unary(x, output, Math.Abs, a => a < 0 ? unchecked(-a) : a);

    /// <summary>ln(x): log(0) = -inf, log(negative) = NaN.</summary>
    public void Log(Tensor x, Tensor output) => Unary(x, output, Math.Log);

    /// <summary>√max(x, 0) (tf-keras clips negatives to 0 first); NaN stays NaN, -0 stays -0.</summary>
    public void Sqrt(Tensor x, Tensor output) => Unary(x, output, v => Math.Sqrt(v < 0 ? 0 : v));

    /// <summary>x·x, wrapping for integers.</summary>
    public void Square(Tensor x, Tensor output) => Unary(x, output, a => a * a, a => unchecked(a * a));

    /// <summary>x ** a: floats by C pow; integers by exact modular exponentiation (x^a mod 2^64, then wrapped to the output width).</summary>
    public void Pow(Tensor x, double a, Tensor output)
    {
        if (output.DType.IsFloat()) { Unary(x, output, v => Math.Pow(v, a)); return; }
        var e = new BigInteger(a);
        Unary(x, output, v => Math.Pow(v, a), v =>
        {
            var b = new BigInteger(unchecked((ulong)v));
            return unchecked((long)(ulong)BigInteger.ModPow(b, e, TwoTo64));
        });
    }

    /// <summary>numpy.maximum: NaN in either operand wins; of two equal values (±0) the second, as numpy returns.</summary>
    public void Maximum(Tensor x, Tensor y, Tensor output) =>
        Binary(x, y, output, (a, b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a > b ? a : b, Math.Max);

    /// <summary>numpy.minimum: NaN in either operand wins; of two equal values (±0) the second, as numpy returns.</summary>
    public void Minimum(Tensor x, Tensor y, Tensor output) =>
        Binary(x, y, output, (a, b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a < b ? a : b, Math.Min);
}
