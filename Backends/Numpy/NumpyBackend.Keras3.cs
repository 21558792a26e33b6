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

// The other Keras 3 kernels of issue 16: gelu, layer_normalization, where, linspace, tril, triu.
public sealed partial class NumpyBackend
{
    /// <summary>Keras 3's gelu in double: x·(erf(x/√2) + 1)/2, or 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³), written
    /// x / (1 + e^(−2u)) (the same function; 1 + tanh(u) would cancel for negative x).</summary>
    public void Gelu(Tensor x, bool approximate, Tensor output) => Unary(x, output, v => approximate
        ? v / (1 + Math.Exp(-2 * Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))
        : v * (ErfMath.Erf(v / Math.Sqrt(2)) + 1) / 2);

    /// <summary>
    /// layer_normalization in double: per group (the elements sharing every index outside the axes) the mean and the
    /// population variance by two passes, then (x − mean) / √(var + ε) · γ + β, stored with the output's rounding.
    /// </summary>
    public void LayerNormalization(Tensor x, Tensor? gamma, Tensor? beta, int[]? axis, double? epsilon, Tensor output)
    {
        if (output.Size == 0) return;
        int r = x.Rank;
        var axes = Normalize.Axes(axis ?? [-1], r);
        double eps = epsilon ?? Config.Epsilon;
        var g = gamma is null ? null : NormalizationParams.Expand(x, gamma, axes);
        var b = beta is null ? null : NormalizationParams.Expand(x, beta, axes);
        // Each element's group (its index with the axes' coordinates dropped) and position in the block (the axes' coordinates).
        int n = 1;
        foreach (var a in axes) n *= x.Shape[a];
        int groups = x.Size / n;
        var group = new int[x.Size];
        var pos = new int[x.Size];
        var idx = new int[r];
        for (int i = 0; i < x.Size; i++)
        {
            int gi = 0, pi = 0;
            for (int d = 0; d < r; d++)
            {
                if (Array.IndexOf(axes, d) >= 0) pi = pi * x.Shape[d] + idx[d];
                else gi = gi * x.Shape[d] + idx[d];
            }
            group[i] = gi;
            pos[i] = pi;
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < x.Shape[d]) break; idx[d] = 0; }
        }
        var mean = new double[groups];
        var variance = new double[groups];
        for (int i = 0; i < x.Size; i++) mean[group[i]] += x.GetDouble(i);
        for (int k = 0; k < groups; k++) mean[k] /= n;
        for (int i = 0; i < x.Size; i++) { double dv = x.GetDouble(i) - mean[group[i]]; variance[group[i]] += dv * dv; }
        for (int i = 0; i < x.Size; i++)
        {
            double v = (x.GetDouble(i) - mean[group[i]]) / Math.Sqrt(variance[group[i]] / n + eps);
            if (g is not null) v *= g[pos[i]];
            if (b is not null) v += b[pos[i]];
            output.SetDouble(i, v);
        }
    }

    /// <summary>numpy.where(condition, x1, x2) with broadcasting; the values converted to the promoted (output) dtype.</summary>
    public void Where(Tensor condition, Tensor x1, Tensor x2, Tensor output)
    {
        var mc = Indexing.BroadcastMap(condition.Shape, output.Shape);
        var m1 = Indexing.BroadcastMap(x1.Shape, output.Shape);
        var m2 = Indexing.BroadcastMap(x2.Shape, output.Shape);
        for (int i = 0; i < output.Size; i++)
        {
            var (t, at) = condition.GetDouble(mc[i]) != 0 ? (x1, m1[i]) : (x2, m2[i]);
            if (output.DType.IsFloat()) output.SetDouble(i, t.GetDouble(at));
            else output.SetLong(i, t.GetLong(at));
        }
    }

    /// <summary>numpy.linspace in double (<see cref="LinspaceMath"/>), rounded into the output.</summary>
    public void Linspace(double start, double stop, int num, bool endpoint, Tensor output)
    {
        for (int i = 0; i < num; i++) output.SetDouble(i, LinspaceMath.At(start, stop, num, endpoint, i));
    }

    /// <summary>numpy.tril: element (…, i, j) kept when j − i ≤ k, else 0.</summary>
    public void Tril(Tensor x, int k, Tensor output) => Triangle(x, output, (i, j) => (long)j - i <= k);

    /// <summary>numpy.triu: element (…, i, j) kept when j − i ≥ k, else 0.</summary>
    public void Triu(Tensor x, int k, Tensor output) => Triangle(x, output, (i, j) => (long)j - i >= k);

    private static void Triangle(Tensor x, Tensor output, Func<int, int, bool> keep)
    {
        int rows = x.Shape[^2], cols = x.Shape[^1];
        for (int e = 0; e < output.Size; e++)
        {
            int j = e % cols, i = e / cols % rows;
            bool kept = keep(i, j);
            if (output.DType.IsFloat()) output.SetDouble(e, kept ? x.GetDouble(e) : 0);
            else output.SetLong(e, kept ? x.GetLong(e) : 0);
        }
    }
}
