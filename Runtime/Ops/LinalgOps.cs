using System.Text.Json;

namespace KerasBackend.Composites;

/// <summary>keras.ops.norm (numpy.linalg.norm) built from K reductions, so its gradient flows through them.</summary>
internal static class LinalgOps
{
    /// <summary>An ord as given: a number (Value), "fro" or "nuc" (Name), or something norm does not take (Invalid).</summary>
    internal readonly record struct OrdValue(double? Value, string? Name, bool Invalid);

    /// <summary>Reads ord: null, a number (±inf as double infinities, or the case files' "Infinity"/"-Infinity"), "fro" or "nuc".</summary>
    internal static OrdValue Ord(object? ord)
    {
        if (ord is JsonElement e)
            ord = e.ValueKind switch { JsonValueKind.Null => null, JsonValueKind.String => e.GetString(), JsonValueKind.Number => e.GetDouble(), _ => e };
        return ord switch
        {
            null => new(null, null, false),
            "fro" or "nuc" => new(null, (string)ord, false),
            "Infinity" or "inf" => new(double.PositiveInfinity, null, false),
            "-Infinity" or "-inf" => new(double.NegativeInfinity, null, false),
            double d when !double.IsNaN(d) => new(d, null, false),
            float f when !float.IsNaN(f) => new(f, null, false),
            int i => new(i, null, false),
            long l => new(l, null, false),
            _ => new(null, null, true),
        };
    }

    /// <summary>
    /// numpy.linalg.norm(x, ord, axis, keepdims) on floats (integers and bool as floatx, float16 in float32 and cast back).
    /// Vectors (one axis, or a rank-1 x): ord null/2 √Σx², ±inf max/min |x|, 0 the count of nonzeros, p (Σ|x|^p)^(1/p).
    /// Matrices (two axes, or a rank-2 x): null/"fro" √Σx², 1/−1 the max/min column sum of |x|, ±inf the max/min row sum.
    /// axis and ord both null: √Σx² over every element, whatever the rank.
    /// </summary>
    public static Tensor Norm(Tensor x, object? ord, int[]? axis, bool keepdims)
    {
        var o = Ord(ord);
        int r = x.Rank;
        var cd = x.DType is DType.Float64 or DType.Float32 ? x.DType : x.DType == DType.Float16 ? DType.Float32 : Config.Floatx;
        var xf = x.DType == cd ? x : K.Cast(x, cd);
        Tensor y;
        if (axis is null && o.Value is null && o.Name is null) y = K.Sqrt(K.Sum(K.Square(xf), null, keepdims));
        else
        {
            var ax = (axis ?? Enumerable.Range(0, r).ToArray()).Select(a => Normalize.Axis(a, r)).ToArray();
            y = ax.Length == 1 ? VectorNorm(xf, o.Value, ax[0], keepdims) : MatrixNorm(xf, o, ax[0], ax[1], keepdims);
        }
        var want = x.DType.IsFloat() ? x.DType : Config.Floatx;
        return y.DType == want ? y : K.Cast(y, want);
    }

    private static Tensor VectorNorm(Tensor x, double? p, int axis, bool keepdims)
    {
        int[] a = [axis];
        return p switch
        {
            null or 2 => K.Sqrt(K.Sum(K.Square(x), a, keepdims)),
            double.PositiveInfinity => K.Max(K.Abs(x), a, keepdims),
            double.NegativeInfinity => K.Min(K.Abs(x), a, keepdims),
            0 => K.Sum(K.Cast(K.NotEqual(x, Tensor.WeakScalar(0)), x.DType), a, keepdims),
            1 => K.Sum(K.Abs(x), a, keepdims),
            double q => K.Pow(K.Sum(K.Pow(K.Abs(x), q), a, keepdims), 1 / q),
        };
    }

    // numpy.linalg.norm's matrix branch: ord 1 reduces rows first (column sums), ord inf columns first (row sums).
    private static Tensor MatrixNorm(Tensor x, OrdValue o, int row, int col, bool keepdims)
    {
        Tensor y = o.Value switch
        {
            null => K.Sqrt(K.Sum(K.Square(x), [row, col], keepdims: true)),
            1 => K.Max(K.Sum(K.Abs(x), row, keepdims: true), col, keepdims: true),
            -1 => K.Min(K.Sum(K.Abs(x), row, keepdims: true), col, keepdims: true),
            double.PositiveInfinity => K.Max(K.Sum(K.Abs(x), col, keepdims: true), row, keepdims: true),
            double.NegativeInfinity => K.Min(K.Sum(K.Abs(x), col, keepdims: true), row, keepdims: true),
            _ => throw new KerasValueException("norm", "ord", $"norm: ord={Format.Py(o.Value)} is not a matrix norm."),
        };
        if (keepdims) return y;
        return K.Squeeze(K.Squeeze(y, Math.Max(row, col)), Math.Min(row, col));
    }
}
