using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// erf on vectors: the scalar definition's algorithm (<see cref="ErfMath"/>, fdlibm's four ranges) evaluated on every
/// range at once in float64 and selected per lane; float32 lanes are widened to float64 and rounded once at the end.
/// Written once on 256-bit vectors; the 128-bit form runs one doubled vector, the 512-bit form its two halves.
/// </summary>
internal static class ErrorFunction
{
    public static Vector128<T> Erf<T>(Vector128<T> x) => Erf(Vector256.Create(x, x)).GetLower();

    public static Vector256<T> Erf<T>(Vector256<T> x) =>
        typeof(T) == typeof(float) ? Erf(x.AsSingle()).As<float, T>() : Erf(x.AsDouble()).As<double, T>();

    public static Vector512<T> Erf<T>(Vector512<T> x) => Vector512.Create(Erf(x.GetLower()), Erf(x.GetUpper()));

    private static Vector256<float> Erf(Vector256<float> x)
    {
        var (lo, hi) = Vector256.Widen(x);
        return Vector256.Narrow(Erf(lo), Erf(hi));
    }

    private static Vector256<double> Erf(Vector256<double> x)
    {
        var ax = Vector256.Abs(x);
        var one = Vector256<double>.One;
        var z = x * x;
        var small = x + x * (Poly(ErfMath.Pp, z) / Poly(ErfMath.Qq, z));
        var s = ax - one;
        var mid = Vector256.Create(ErfMath.Erx) + Poly(ErfMath.Pa, s) / Poly(ErfMath.Qa, s);
        var inv = one / (ax * ax);
        var rs = Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(1 / 0.35)),
            Poly(ErfMath.Ra, inv) / Poly(ErfMath.Sa, inv), Poly(ErfMath.Rb, inv) / Poly(ErfMath.Sb, inv));
        var hz = (ax.AsUInt64() & Vector256.Create(0xFFFFFFFF00000000UL)).AsDouble(); // exact square
        var tail = Vector256.Exp(-(hz * hz) - Vector256.Create(0.5625)) * Vector256.Exp((hz - ax) * (hz + ax) + rs) / ax;
        var magnitude = Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(1.25)), mid,
            Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(6.0)), one - tail, one));
        var r = Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(0.84375)), small, Vector256.CopySign(magnitude, x));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), r, x); // NaN stays NaN
    }

    private static Vector256<double> Poly(double[] c, Vector256<double> z)
    {
        var r = Vector256.Create(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--) r = r * z + Vector256.Create(c[i]);
        return r;
    }
}
