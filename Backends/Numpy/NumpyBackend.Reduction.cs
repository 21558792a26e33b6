namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>Visits every output element and the input elements reduced into it.</summary>
    private static void Reduce(Tensor x, int[] axes, Tensor output, Action<int, IReadOnlyList<int>> reduce)
    {
        var shape = x.Shape;
        var keep = Enumerable.Range(0, shape.Rank).Where(d => Array.IndexOf(axes, d) < 0).ToArray();
        var groups = new List<int>[Math.Max(output.Size, 0)];
        for (int i = 0; i < groups.Length; i++) groups[i] = new List<int>();
        var idx = new int[shape.Rank];
        for (int flat = 0; flat < shape.ElementCount; flat++)
        {
            int o = 0;
            foreach (var d in keep) o = o * shape[d] + idx[d];
            groups[o].Add(flat);
            for (int d = shape.Rank - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
        }
        for (int o = 0; o < groups.Length; o++) reduce(o, groups[o]);
    }

    /// <summary>Σ x over the group; integers wrap.</summary>
    public void Sum(Tensor x, int[] axis, bool keepdims, Tensor output) => Reduce(x, axis, output, (o, items) =>
    {
        if (output.DType.IsFloat()) { double s = 0; foreach (var i in items) s += x.GetDouble(i); output.SetDouble(o, s); }
        else { long s = 0; foreach (var i in items) s = unchecked(s + x.GetLong(i)); output.SetLong(o, s); }
    });

    /// <summary>Π x over the group (the empty product is 1); integers wrap.</summary>
    public void Prod(Tensor x, int[] axis, bool keepdims, Tensor output) => Reduce(x, axis, output, (o, items) =>
    {
        if (output.DType.IsFloat()) { double p = 1; foreach (var i in items) p *= x.GetDouble(i); output.SetDouble(o, p); }
        else { long p = 1; foreach (var i in items) p = unchecked(p * x.GetLong(i)); output.SetLong(o, p); }
    });

    /// <summary>max over the group; any NaN makes it NaN.</summary>
    public void Max(Tensor x, int[] axis, bool keepdims, Tensor output) => Extreme(x, axis, output, +1);

    /// <summary>min over the group; any NaN makes it NaN.</summary>
    public void Min(Tensor x, int[] axis, bool keepdims, Tensor output) => Extreme(x, axis, output, -1);

    private static void Extreme(Tensor x, int[] axis, Tensor output, int sign) => Reduce(x, axis, output, (o, items) =>
    {
        if (output.DType.IsFloat())
        {
            double m = sign > 0 ? double.NegativeInfinity : double.PositiveInfinity;
            foreach (var i in items)
            {
                double v = x.GetDouble(i);
                if (double.IsNaN(v)) { m = double.NaN; break; }
                if (sign > 0 ? v > m : v < m) m = v;
            }
            output.SetDouble(o, m);
        }
        else
        {
            long m = sign > 0 ? long.MinValue : long.MaxValue;
            foreach (var i in items) { long v = x.GetLong(i); if (sign > 0 ? v > m : v < m) m = v; }
            output.SetLong(o, m);
        }
    });

    /// <summary>Σ x / n in double; the mean of nothing is NaN (0/0).</summary>
    public void Mean(Tensor x, int[] axis, bool keepdims, Tensor output) => Reduce(x, axis, output, (o, items) =>
    {
        double s = 0;
        foreach (var i in items) s += x.GetDouble(i);
        output.SetDouble(o, s / items.Count);
    });

    /// <summary>Population variance Σ (x - mean)² / n, two passes in double.</summary>
    public void Var(Tensor x, int[] axis, bool keepdims, Tensor output) =>
        Reduce(x, axis, output, (o, items) => output.SetDouble(o, Variance(x, items)));

    /// <summary>√var.</summary>
    public void Std(Tensor x, int[] axis, bool keepdims, Tensor output) =>
        Reduce(x, axis, output, (o, items) => output.SetDouble(o, Math.Sqrt(Variance(x, items))));

    private static double Variance(Tensor x, IReadOnlyList<int> items)
    {
        double s = 0;
        foreach (var i in items) s += x.GetDouble(i);
        double mean = s / items.Count, q = 0;
        foreach (var i in items) { double d = x.GetDouble(i) - mean; q += d * d; }
        return q / items.Count;
    }

    /// <summary>out[.., j, ..] = Σ_{k≤j} x[.., k, ..] along the axis.</summary>
    public void Cumsum(Tensor x, int axis, Tensor output) => Scan(x, axis, output, (a, b) => a + b, (a, b) => unchecked(a + b));

    /// <summary>out[.., j, ..] = Π_{k≤j} x[.., k, ..] along the axis.</summary>
    public void Cumprod(Tensor x, int axis, Tensor output) => Scan(x, axis, output, (a, b) => a * b, (a, b) => unchecked(a * b));

    private static void Scan(Tensor x, int axis, Tensor output, Func<double, double, double> f, Func<long, long, long> g)
    {
        var (outer, n, inner) = Indexing.AroundAxis(x.Shape, axis);
        bool useFloat = output.DType.IsFloat();
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double accF = 0; long accI = 0;
                for (int j = 0; j < n; j++)
                {
                    int at = (o * n + j) * inner + i;
                    // numpy accumulates in the output dtype: each partial result is rounded to it before the next step
                    // (float32 -huge * huge is -inf there, and stays -inf, where a double chain would stay finite).
                    if (useFloat) { accF = j == 0 ? x.GetDouble(at) : f(accF, x.GetDouble(at)); output.SetDouble(at, accF); accF = output.GetDouble(at); }
                    else { accI = j == 0 ? x.GetLong(at) : g(accI, x.GetLong(at)); output.SetLong(at, accI); }
                }
            }
    }

    /// <summary>exp(x - max) / Σ exp(x - max) along the axis, per slice.</summary>
    public void Softmax(Tensor x, int axis, Tensor output)
    {
        var (outer, n, inner) = Indexing.AroundAxis(x.Shape, axis);
        var e = new double[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double m = double.NegativeInfinity;
                for (int j = 0; j < n; j++)
                {
                    double v = x.GetDouble((o * n + j) * inner + i);
                    m = double.IsNaN(v) || double.IsNaN(m) ? double.NaN : Math.Max(m, v);
                }
                double s = 0;
                for (int j = 0; j < n; j++) { e[j] = Math.Exp(x.GetDouble((o * n + j) * inner + i) - m); s += e[j]; }
                for (int j = 0; j < n; j++) output.SetDouble((o * n + j) * inner + i, e[j] / s);
            }
    }
}
