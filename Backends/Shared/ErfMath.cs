namespace KerasBackend.Backends;

/// <summary>
/// The Gauss error function in double precision, by the rational approximations of fdlibm's s_erf.c (Sun Microsystems,
/// 1993; error below one ulp): four ranges of |x| with their own polynomials, erf(x) = 1 − erfc(x) beyond 1.25, and
/// ±1 from 6 on. The coefficients are shared with the cpu backend's vector form (<c>Backends/Cpu/ErrorFunction.cs</c>).
/// </summary>
public static class ErfMath
{
    internal const double Erx = 8.45062911510467529297e-01;

    // |x| < 0.84375: erf(x) = x + x·P(x²)/Q(x²)
    internal static readonly double[] Pp = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
    internal static readonly double[] Qq = [1.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
    // 0.84375 <= |x| < 1.25: erf(x) = erx + P(s)/Q(s), s = |x| - 1
    internal static readonly double[] Pa = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
    internal static readonly double[] Qa = [1.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
    // 1.25 <= |x| < 1/0.35: erfc(x) = exp(-x² - 0.5625 + R(s)/S(s)) / x, s = 1/x²
    internal static readonly double[] Ra = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
    internal static readonly double[] Sa = [1.0, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
    // 1/0.35 <= |x| < 6: the same with these
    internal static readonly double[] Rb = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
    internal static readonly double[] Sb = [1.0, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];

    /// <summary>Σ c[i]·z^i by Horner's rule.</summary>
    internal static double Poly(double[] c, double z)
    {
        double r = c[^1];
        for (int i = c.Length - 2; i >= 0; i--) r = r * z + c[i];
        return r;
    }

    /// <summary>erf(x); ±inf give ±1, NaN stays NaN, −0 stays −0.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x);
        if (ax < 0.84375)
        {
            double z = x * x; // tiny and subnormal x: x + x·pp0 (fdlibm's special cases differ from it by at most one ulp)
            return x + x * (Poly(Pp, z) / Poly(Qq, z));
        }
        if (ax < 1.25)
        {
            double s = ax - 1;
            double r = Erx + Poly(Pa, s) / Poly(Qa, s);
            return x < 0 ? -r : r;
        }
        if (ax >= 6) return x < 0 ? -1.0 : 1.0;
        return x < 0 ? -(1 - ErfcTail(ax)) : 1 - ErfcTail(ax);
    }

    /// <summary>erfc(a) for 1.25 &lt;= a &lt; 6: exp(−z² − 0.5625)·exp((z − a)(z + a) + R/S) / a, z = a with its low 32 bits cleared (exact square).</summary>
    internal static double ErfcTail(double a)
    {
        double s = 1 / (a * a);
        double rs = a < 1 / 0.35 ? Poly(Ra, s) / Poly(Sa, s) : Poly(Rb, s) / Poly(Sb, s);
        double z = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & unchecked((long)0xFFFFFFFF00000000UL));
        return Math.Exp(-z * z - 0.5625) * Math.Exp((z - a) * (z + a) + rs) / a;
    }
}
