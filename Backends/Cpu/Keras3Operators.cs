using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

// Elementwise operators of the Keras 3 ops (issue 16): erf, rsqrt, floor, ceil, mod, floor_divide, nan_to_num, the
// logical ops and gelu. The scalar form is the definition the sweep tests hold every vector path to.

/// <summary>erf(x): the scalar in float64 (<see cref="ErfMath"/>), rounded once; the vector forms are <see cref="ErrorFunction"/>.</summary>
internal readonly struct ErfOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.CreateTruncating(ErfMath.Erf(double.CreateTruncating(x)));
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => ErrorFunction.Erf(x);
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => ErrorFunction.Erf(x);
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => ErrorFunction.Erf(x);
}

/// <summary>1 / √x, both steps rounded as numpy's 1.0 / np.sqrt(x) rounds them: +0 → +inf, −0 → −inf, negative → NaN.</summary>
internal readonly struct RsqrtOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.One / T.Sqrt(x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector128<T>.One / Vector128.Sqrt(x);
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector256<T>.One / Vector256.Sqrt(x);
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector512<T>.One / Vector512.Sqrt(x);
}

/// <summary>numpy.floor (round toward −inf; ±0, ±inf, NaN unchanged).</summary>
internal readonly struct FloorOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Floor(x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector128.Floor(x.AsSingle()).As<float, T>() : Vector128.Floor(x.AsDouble()).As<double, T>();
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Floor(x.AsSingle()).As<float, T>() : Vector256.Floor(x.AsDouble()).As<double, T>();
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.Floor(x.AsSingle()).As<float, T>() : Vector512.Floor(x.AsDouble()).As<double, T>();
}

/// <summary>numpy.ceil (round toward +inf; ±0, ±inf, NaN unchanged).</summary>
internal readonly struct CeilOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Ceiling(x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector128.Ceiling(x.AsSingle()).As<float, T>() : Vector128.Ceiling(x.AsDouble()).As<double, T>();
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Ceiling(x.AsSingle()).As<float, T>() : Vector256.Ceiling(x.AsDouble()).As<double, T>();
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.Ceiling(x.AsSingle()).As<float, T>() : Vector512.Ceiling(x.AsDouble()).As<double, T>();
}

/// <summary>numpy.mod (the remainder with the divisor's sign); see <see cref="FloorDivision"/>.</summary>
internal readonly struct ModOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => FloorDivision.Scalar(x, y, mod: true);
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> => FloorDivision.Vector(x, y, mod: true);
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> => FloorDivision.Vector(x, y, mod: true);
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> => FloorDivision.Vector(x, y, mod: true);
}

/// <summary>numpy.floor_divide (the quotient rounded toward −inf); see <see cref="FloorDivision"/>.</summary>
internal readonly struct FloorDivideOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => FloorDivision.Scalar(x, y, mod: false);
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> => FloorDivision.Vector(x, y, mod: false);
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> => FloorDivision.Vector(x, y, mod: false);
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> => FloorDivision.Vector(x, y, mod: false);
}

/// <summary>
/// numpy's floor division and remainder. Floats follow npy_divmod (numpy/core/src/npymath/npy_math_internal.h.src):
/// mod = fmod(a, b); b = 0 gives (a / b, mod); else div = (a − mod) / b, and when mod ≠ 0 has the other sign than b,
/// mod += b and div −= 1; a zero mod takes b's sign; the quotient is floor(div), plus 1 when div − floor(div) &gt; 0.5,
/// and a zero quotient takes the sign of a / b. float16 computes in float32 (as numpy's half loops do). Integers: b = 0
/// gives 0 for both, MIN // −1 gives MIN and MIN % −1 gives 0 (numpy 1.24), else the quotient rounded toward −inf and
/// the remainder with b's sign. Vectors: there is no SIMD integer division, so integer lanes run the scalar form; float
/// lanes compute t = trunc(a / b) and mod = fma(−t, b, a), which is fmod(a, b) exactly whenever it is a valid
/// remainder (|mod| &lt; |b| with a's sign), and run the rest of npy_divmod on vectors; a vector with any other lane
/// (b = 0, NaN, ±inf, a quotient beyond the mantissa) runs the scalar form lane by lane.
/// </summary>
internal static class FloorDivision
{
    public static T Scalar<T>(T a, T b, bool mod) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(double)) { var r = Float(Unsafe.As<T, double>(ref a), Unsafe.As<T, double>(ref b), mod); return Unsafe.As<double, T>(ref r); }
        if (typeof(T) == typeof(float)) { var r = Float(Unsafe.As<T, float>(ref a), Unsafe.As<T, float>(ref b), mod); return Unsafe.As<float, T>(ref r); }
        if (typeof(T) == typeof(Half)) return T.CreateTruncating(Float(float.CreateTruncating(a), float.CreateTruncating(b), mod));
        if (b == T.Zero) return T.Zero;
        if (T.IsNegative(b) && b == T.Zero - T.One) return mod ? T.Zero : T.Zero - a; // wraps: MIN // -1 = MIN
        T q = a / b, m = a - q * b;
        if (m != T.Zero && T.IsNegative(m) != T.IsNegative(b)) { q -= T.One; m += b; }
        return mod ? m : q;
    }

    private static TF Float<TF>(TF a, TF b, bool wantMod) where TF : IFloatingPointIeee754<TF>
    {
        TF m = a % b; // IEEE fmod, exact
        if (b == TF.Zero) return wantMod ? m : a / b;
        TF div = (a - m) / b;
        if (m != TF.Zero)
        {
            if (b < TF.Zero != m < TF.Zero) { m += b; div -= TF.One; }
        }
        else m = TF.CopySign(TF.Zero, b);
        if (wantMod) return m;
        if (div == TF.Zero) return TF.CopySign(TF.Zero, a / b);
        TF fd = TF.Floor(div);
        return div - fd > TF.CreateTruncating(0.5) ? fd + TF.One : fd;
    }

    /// <summary>The Vector256 form on a doubled Vector128 (lanes compute independently).</summary>
    public static Vector128<T> Vector<T>(Vector128<T> a, Vector128<T> b, bool mod) where T : unmanaged, INumber<T> =>
        Vector(Vector256.Create(a, a), Vector256.Create(b, b), mod).GetLower();

    /// <summary>The Vector256 form on each half of a Vector512.</summary>
    public static Vector512<T> Vector<T>(Vector512<T> a, Vector512<T> b, bool mod) where T : unmanaged, INumber<T> =>
        Vector512.Create(Vector(a.GetLower(), b.GetLower(), mod), Vector(a.GetUpper(), b.GetUpper(), mod));

    public static Vector256<T> Vector<T>(Vector256<T> a, Vector256<T> b, bool mod) where T : unmanaged, INumber<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double)) return Lanes(a, b, mod);
        var zero = Vector256<T>.Zero;
        var m = Fma(-Trunc(a / b), b, a);
        var valid = ~Vector256.Equals(b, zero) & Vector256.LessThan(Vector256.Abs(m), Vector256.Abs(b))
            & (Vector256.Equals(m, zero) | ~(Vector256.LessThan(m, zero) ^ Vector256.LessThan(a, zero)));
        if (!Vector256.EqualsAll(valid.AsByte(), Vector256<byte>.AllBitsSet)) return Lanes(a, b, mod);
        var div = (a - m) / b;
        var adjust = ~Vector256.Equals(m, zero) & (Vector256.LessThan(b, zero) ^ Vector256.LessThan(m, zero));
        m = Vector256.ConditionalSelect(adjust, m + b, m);
        if (mod) return Vector256.ConditionalSelect(Vector256.Equals(m, zero), Vector256.CopySign(zero, b), m);
        div = Vector256.ConditionalSelect(adjust, div - Vector256<T>.One, div);
        var fd = Floor(div);
        fd = Vector256.ConditionalSelect(Vector256.GreaterThan(div - fd, Vector256.Create(T.CreateTruncating(0.5))), fd + Vector256<T>.One, fd);
        return Vector256.ConditionalSelect(Vector256.Equals(div, zero), Vector256.CopySign(zero, a / b), fd);
    }

    private static Vector256<T> Lanes<T>(Vector256<T> a, Vector256<T> b, bool mod) where T : unmanaged, INumber<T>
    {
        Span<T> r = stackalloc T[Vector256<T>.Count];
        for (int i = 0; i < r.Length; i++) r[i] = Scalar(a.GetElement(i), b.GetElement(i), mod);
        return Vector256.Create((ReadOnlySpan<T>)r);
    }

    private static Vector256<T> Trunc<T>(Vector256<T> v) =>
        typeof(T) == typeof(float) ? Vector256.Truncate(v.AsSingle()).As<float, T>() : Vector256.Truncate(v.AsDouble()).As<double, T>();

    private static Vector256<T> Floor<T>(Vector256<T> v) =>
        typeof(T) == typeof(float) ? Vector256.Floor(v.AsSingle()).As<float, T>() : Vector256.Floor(v.AsDouble()).As<double, T>();

    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z) =>
        typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>()
            : Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
}

/// <summary>
/// numpy.nan_to_num with the replacements already rounded to the computing type: NaN → Nan, +inf → PosInf, −inf → NegInf
/// (<see cref="CpuBackend.NanToNum"/> resolves a null posinf/neginf to the output dtype's largest and lowest values).
/// </summary>
internal readonly struct NanToNumOperator : IFloatUnaryOperator
{
    public double Nan { init; get; }
    public double PosInf { init; get; }
    public double NegInf { init; get; }

    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.IsNaN(x) ? T.CreateTruncating(Nan) : T.IsPositiveInfinity(x) ? T.CreateTruncating(PosInf) : T.IsNegativeInfinity(x) ? T.CreateTruncating(NegInf) : x;
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector128.ConditionalSelect(Vector128.Equals(x, x),
            Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(T.PositiveInfinity)), Vector128.Create(T.CreateTruncating(PosInf)),
                Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(T.NegativeInfinity)), Vector128.Create(T.CreateTruncating(NegInf)), x)),
            Vector128.Create(T.CreateTruncating(Nan)));
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.Equals(x, x),
            Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(T.PositiveInfinity)), Vector256.Create(T.CreateTruncating(PosInf)),
                Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(T.NegativeInfinity)), Vector256.Create(T.CreateTruncating(NegInf)), x)),
            Vector256.Create(T.CreateTruncating(Nan)));
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.Equals(x, x),
            Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(T.PositiveInfinity)), Vector512.Create(T.CreateTruncating(PosInf)),
                Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(T.NegativeInfinity)), Vector512.Create(T.CreateTruncating(NegInf)), x)),
            Vector512.Create(T.CreateTruncating(Nan)));
}

/// <summary>numpy.logical_and: 1 where both are nonzero (NaN is nonzero), else 0.</summary>
internal readonly struct LogicalAndOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x != T.Zero && y != T.Zero ? T.One : T.Zero;
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> =>
        Vector128.AndNot(Vector128.AndNot(Vector128<T>.One, Vector128.Equals(x, Vector128<T>.Zero)), Vector128.Equals(y, Vector128<T>.Zero));
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> =>
        Vector256.AndNot(Vector256.AndNot(Vector256<T>.One, Vector256.Equals(x, Vector256<T>.Zero)), Vector256.Equals(y, Vector256<T>.Zero));
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> =>
        Vector512.AndNot(Vector512.AndNot(Vector512<T>.One, Vector512.Equals(x, Vector512<T>.Zero)), Vector512.Equals(y, Vector512<T>.Zero));
}

/// <summary>numpy.logical_or: 1 where either is nonzero (NaN is nonzero), else 0.</summary>
internal readonly struct LogicalOrOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x != T.Zero || y != T.Zero ? T.One : T.Zero;
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> =>
        Vector128.AndNot(Vector128<T>.One, Vector128.Equals(x, Vector128<T>.Zero) & Vector128.Equals(y, Vector128<T>.Zero));
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> =>
        Vector256.AndNot(Vector256<T>.One, Vector256.Equals(x, Vector256<T>.Zero) & Vector256.Equals(y, Vector256<T>.Zero));
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> =>
        Vector512.AndNot(Vector512<T>.One, Vector512.Equals(x, Vector512<T>.Zero) & Vector512.Equals(y, Vector512<T>.Zero));
}

/// <summary>numpy.logical_not: 1 where x is zero (±0), else 0 (NaN included).</summary>
internal readonly struct LogicalNotOperator : IUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, INumber<T> => x == T.Zero ? T.One : T.Zero;
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, INumber<T> => Vector128.Equals(x, Vector128<T>.Zero) & Vector128<T>.One;
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, INumber<T> => Vector256.Equals(x, Vector256<T>.Zero) & Vector256<T>.One;
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, INumber<T> => Vector512.Equals(x, Vector512<T>.Zero) & Vector512<T>.One;
}

/// <summary>|a| == b lanes (isinf with b = +inf); NaN compares false.</summary>
internal readonly struct AbsEqualOp : ICompareOp
{
    public static Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b) => Vector512.Equals(Vector512.Abs(a), b);
    public static bool Run<T>(T a, T b) where T : INumber<T> => T.Abs(a) == b;
}

/// <summary>|a| &lt; b lanes (isfinite with b = +inf); NaN compares false.</summary>
internal readonly struct AbsLessOp : ICompareOp
{
    public static Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(Vector512.Abs(a), b);
    public static bool Run<T>(T a, T b) where T : INumber<T> => T.Abs(a) < b;
}

/// <summary>
/// gelu (keras.ops.gelu). Exact: x · (erf(x / √2) + 1) / 2 (erf as <see cref="ErfOperator"/>). Approximate: Keras' 0.5 · x ·
/// (1 + tanh(u)), u = √(2/π) · (x + 0.044715 · x³), computed as x / (1 + e^(−2u)) (the same function, without 1 + tanh's
/// cancellation for negative x); −inf gives NaN in both forms, as the formulas do.
/// </summary>
internal readonly struct GeluOperator : IFloatUnaryOperator
{
    private const double TwoC = 2 * 0.7978845608028654, A = 0.044715, InvSqrt2 = 0.7071067811865476;

    public bool Approximate { init; get; }

    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Approximate
            ? x / (T.One + T.Exp(-T.CreateTruncating(TwoC) * (x + T.CreateTruncating(A) * x * x * x)))
            : x * (default(ErfOperator).Invoke(x * T.CreateTruncating(InvSqrt2)) + T.One) * T.CreateTruncating(0.5);

    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Approximate
            ? x / (Vector128<T>.One + default(ExpOperator).Invoke(-Vector128.Create(T.CreateTruncating(TwoC)) * (x + Vector128.Create(T.CreateTruncating(A)) * x * x * x)))
            : x * (ErrorFunction.Erf(x * Vector128.Create(T.CreateTruncating(InvSqrt2))) + Vector128<T>.One) * Vector128.Create(T.CreateTruncating(0.5));

    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Approximate
            ? x / (Vector256<T>.One + default(ExpOperator).Invoke(-Vector256.Create(T.CreateTruncating(TwoC)) * (x + Vector256.Create(T.CreateTruncating(A)) * x * x * x)))
            : x * (ErrorFunction.Erf(x * Vector256.Create(T.CreateTruncating(InvSqrt2))) + Vector256<T>.One) * Vector256.Create(T.CreateTruncating(0.5));

    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Approximate
            ? x / (Vector512<T>.One + default(ExpOperator).Invoke(-Vector512.Create(T.CreateTruncating(TwoC)) * (x + Vector512.Create(T.CreateTruncating(A)) * x * x * x)))
            : x * (ErrorFunction.Erf(x * Vector512.Create(T.CreateTruncating(InvSqrt2))) + Vector512<T>.One) * Vector512.Create(T.CreateTruncating(0.5));
}
