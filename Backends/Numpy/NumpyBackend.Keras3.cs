namespace KerasBackend.Backends.Numpy;

// The Keras 3 elementwise ops of issue 16, element by element: floats in double (rounded once into the output),
// integers exactly in long.
public sealed partial class NumpyBackend
{
    /// <summary>scipy.special.erf in double (fdlibm's approximations, <see cref="ErfMath"/>).</summary>
    public void Erf(Tensor x, Tensor output) => Unary(x, output, ErfMath.Erf);

    /// <summary>1.0 / numpy.sqrt(x) in double.</summary>
    public void Rsqrt(Tensor x, Tensor output) => Unary(x, output, v => 1 / Math.Sqrt(v));

    /// <summary>numpy.floor in double.</summary>
    public void Floor(Tensor x, Tensor output) => Unary(x, output, Math.Floor);

    /// <summary>numpy.ceil in double.</summary>
    public void Ceil(Tensor x, Tensor output) => Unary(x, output, Math.Ceiling);

    /// <summary>numpy.mod: floats by npy_divmod in double; integers with the divisor's sign, x % 0 = 0.</summary>
    public void Mod(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => DivMod(a, b).Mod, (a, b) => IntDivMod(a, b).Mod);

    /// <summary>numpy.floor_divide: floats by npy_divmod in double; integers rounded toward −inf, x // 0 = 0.</summary>
    public void FloorDivide(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => DivMod(a, b).Div, (a, b) => IntDivMod(a, b).Div);

    /// <summary>
    /// numpy's npy_divmod: mod = fmod(a, b); b = 0 gives (a / b, mod); the remainder moves to b's sign (the quotient
    /// down by one), a zero remainder takes b's sign, the quotient snaps to the nearest integer of (a − mod) / b and a
    /// zero quotient takes the sign of a / b.
    /// </summary>
    private static (double Div, double Mod) DivMod(double a, double b)
    {
        double mod = a % b; // C# % on doubles is fmod, exact
        if (b == 0) return (a / b, mod);
        double div = (a - mod) / b;
        if (mod != 0)
        {
            if (b < 0 != mod < 0) { mod += b; div -= 1; }
        }
        else mod = Math.CopySign(0, b);
        double q;
        if (div != 0)
        {
            q = Math.Floor(div);
            if (div - q > 0.5) q += 1;
        }
        else q = Math.CopySign(0, a / b);
        return (q, mod);
    }

    /// <summary>Integer floor division and remainder as numpy 1.24 gives them: b = 0 → (0, 0); MIN // −1 wraps to MIN (the caller's narrowing), remainder 0.</summary>
    private static (long Div, long Mod) IntDivMod(long a, long b)
    {
        if (b == 0) return (0, 0);
        if (b == -1) return (unchecked(-a), 0);
        long q = a / b, m = a % b;
        if (m != 0 && (m < 0) != (b < 0)) { q--; m += b; }
        return (q, m);
    }

    /// <summary>numpy.nan_to_num: NaN → nan, ±inf → posinf/neginf (null: the output dtype's extremes); integers and bool unchanged.</summary>
    public void NanToNum(Tensor x, double nan, double? posinf, double? neginf, Tensor output)
    {
        double max = output.DType switch { DType.Float16 => 65504, DType.Float32 => float.MaxValue, _ => double.MaxValue };
        double pos = posinf ?? max, neg = neginf ?? -max;
        Unary(x, output, v => double.IsNaN(v) ? nan : double.IsPositiveInfinity(v) ? pos : double.IsNegativeInfinity(v) ? neg : v, v => v);
    }

    /// <summary>numpy.logical_and: nonzero (NaN included) is true.</summary>
    public void LogicalAnd(Tensor x, Tensor y, Tensor output) => Truth(x, y, output, (a, b) => a && b);

    /// <summary>numpy.logical_or: nonzero (NaN included) is true.</summary>
    public void LogicalOr(Tensor x, Tensor y, Tensor output) => Truth(x, y, output, (a, b) => a || b);

    /// <summary>numpy.logical_not: true where x is ±0.</summary>
    public void LogicalNot(Tensor x, Tensor output)
    {
        for (int i = 0; i < output.Size; i++) output.SetLong(i, x.GetDouble(i) == 0 ? 1 : 0);
    }

    private static void Truth(Tensor x, Tensor y, Tensor output, Func<bool, bool, bool> f)
    {
        var mx = Indexing.BroadcastMap(x.Shape, output.Shape);
        var my = Indexing.BroadcastMap(y.Shape, output.Shape);
        for (int i = 0; i < output.Size; i++) output.SetLong(i, f(x.GetDouble(mx[i]) != 0, y.GetDouble(my[i]) != 0) ? 1 : 0);
    }

    /// <summary>numpy.isnan (never true for integers and bool).</summary>
    public void IsNan(Tensor x, Tensor output) => Test(x, output, double.IsNaN);

    /// <summary>numpy.isinf.</summary>
    public void IsInf(Tensor x, Tensor output) => Test(x, output, double.IsInfinity);

    /// <summary>numpy.isfinite.</summary>
    public void IsFinite(Tensor x, Tensor output) => Test(x, output, double.IsFinite);

    private static void Test(Tensor x, Tensor output, Func<double, bool> f)
    {
        for (int i = 0; i < output.Size; i++) output.SetLong(i, f(x.GetDouble(i)) ? 1 : 0);
    }
}
