namespace KerasBackend.Properties;

/// <summary>What one op call produced on one backend: a concrete result, or the Keras kind of the error it raised.</summary>
public sealed record Outcome(object? Result, string? ErrorKind, Exception? Error)
{
    /// <summary>Runs <paramref name="plan"/> on <paramref name="backend"/>; a non-Keras exception is kept as <see cref="Error"/> with no kind.</summary>
    public static Outcome Run(Plan plan, string backend)
    {
        using var _ = Backend.Use(backend);
        try
        {
            return new Outcome(OpRegistry.Invoke(plan.Op.Name, plan.Build()), null, null);
        }
        catch (KerasValueException e) { return new Outcome(null, e.KerasKind, e); }
        catch (Exception e) { return new Outcome(null, null, e); }
    }

    public override string ToString() =>
        Error is null ? Describe(Result) : ErrorKind is null ? $"crash {Error.GetType().Name}: {Error.Message}" : $"{ErrorKind}: {Error.Message}";

    internal static string Describe(object? r) => r switch
    {
        Tensor t when !t.IsSymbolic => $"{t.DType.Name()}{t.Shape} [{string.Join(", ", Enumerable.Range(0, Math.Min(t.Size, 8)).Select(i => t.GetDouble(i).ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}{(t.Size > 8 ? ", ..." : "")}]",
        null => "null",
        _ => r.ToString() ?? "",
    };
}

/// <summary>Dtype-aware comparison of two backends' tensors.</summary>
public static class Compare
{
    /// <summary>Machine epsilon of a float dtype (0 for exact dtypes).</summary>
    public static double Eps(DType d) => d switch { DType.Float16 => 9.77e-4, DType.Float32 => 1.19e-7, DType.Float64 => 2.22e-16, _ => 0 };

    /// <summary>
    /// Null when <paramref name="got"/> matches <paramref name="want"/>: same dtype and shape, integers exact, NaN where NaN,
    /// equal infinities, and |got - want| &lt;= 8·eps·|want| + 16·eps·(1 + <paramref name="terms"/>) (inputs are at most 2 in
    /// magnitude; <paramref name="terms"/> bounds how many products a result element sums). Otherwise the first difference.
    /// </summary>
    public static string? Tensors(Tensor want, Tensor got, int terms)
    {
        if (want.DType != got.DType) return $"dtype {got.DType.Name()}, want {want.DType.Name()}";
        if (want.Shape != got.Shape) return $"shape {got.Shape}, want {want.Shape}";
        double eps = Eps(want.DType);
        for (int i = 0; i < want.Size; i++)
        {
            if (!want.DType.IsFloat())
            {
                if (want.GetLong(i) != got.GetLong(i)) return $"element {i}: {got.GetLong(i)}, want {want.GetLong(i)}";
                continue;
            }
            double w = want.GetDouble(i), g = got.GetDouble(i);
            if (double.IsNaN(w) || double.IsNaN(g) || double.IsInfinity(w) || double.IsInfinity(g))
            {
                if (w.Equals(g)) continue;
                return $"element {i}: {g}, want {w}";
            }
            if (Math.Abs(g - w) > 8 * eps * Math.Abs(w) + 16 * eps * (1 + terms))
                return $"element {i}: {g:R}, want {w:R} (diff {Math.Abs(g - w):G3})";
        }
        return null;
    }
}
