using CsCheck;

namespace KerasBackend.Conformance.Ops;

/// <summary>Helpers shared by the math and reduction tests: run on a backend, compare with numpy-style tolerance.</summary>
internal static class OpsTestKit
{
    /// <summary>Runs <paramref name="f"/> with <paramref name="backend"/> active.</summary>
    public static Tensor On(string backend, Func<Tensor> f)
    {
        using var _ = Backend.Use(backend);
        return f();
    }

    /// <summary>Equal shapes and dtypes; values equal within rtol/atol, NaN matching NaN and infinities matching exactly.</summary>
    public static void AssertClose(Tensor want, Tensor got, double rtol = 1e-5, double atol = 1e-6, string? what = null)
    {
        string tag = what is null ? "" : what + ": ";
        Assert.True(want.Shape == got.Shape, $"{tag}shape: want {want.Shape}, got {got.Shape}");
        Assert.True(want.DType == got.DType, $"{tag}dtype: want {want.DType.Name()}, got {got.DType.Name()}");
        for (int i = 0; i < want.Size; i++)
        {
            double w = want.GetDouble(i), g = got.GetDouble(i);
            if (double.IsNaN(w) || double.IsNaN(g)) { Assert.True(double.IsNaN(w) && double.IsNaN(g), $"{tag}[{i}] want {w}, got {g}"); continue; }
            if (double.IsInfinity(w) || double.IsInfinity(g)) { Assert.True(w == g, $"{tag}[{i}] want {w}, got {g}"); continue; }
            Assert.True(Math.Abs(w - g) <= atol + rtol * Math.Abs(w), $"{tag}[{i}] want {w}, got {g} (shape {want.Shape}, {want.DType.Name()})");
        }
    }

    /// <summary>Compares the elements with literal expectations (NaN matches NaN, infinities exactly).</summary>
    public static void AssertValues(double[] want, Tensor got, double rtol = 1e-6, double atol = 1e-7)
    {
        Assert.Equal(want.Length, got.Size);
        for (int i = 0; i < want.Length; i++)
        {
            double w = want[i], g = got.GetDouble(i);
            if (double.IsNaN(w) || double.IsNaN(g)) { Assert.True(double.IsNaN(w) && double.IsNaN(g), $"[{i}] want {w}, got {g}"); continue; }
            if (double.IsInfinity(w) || double.IsInfinity(g)) { Assert.True(w == g, $"[{i}] want {w}, got {g}"); continue; }
            Assert.True(Math.Abs(w - g) <= atol + rtol * Math.Abs(w), $"[{i}] want {w}, got {g}");
        }
    }

    /// <summary>A tensor of <paramref name="dtype"/> with values drawn uniformly from [-2, 2).</summary>
    public static Tensor Uniform(Random rnd, DType dtype, params int[] shape)
    {
        var t = Tensor.Uninitialized(dtype, new Shape(shape));
        for (int i = 0; i < t.Size; i++) t.SetDouble(i, rnd.NextDouble() * 4 - 2);
        return t;
    }

    /// <summary>A tensor of <paramref name="dtype"/> from doubles (NaN/inf allowed for floats).</summary>
    public static Tensor Make(DType dtype, int[] shape, params double[] values)
    {
        var t = Tensor.Uninitialized(dtype, new Shape(shape));
        for (int i = 0; i < values.Length; i++) { if (dtype.IsFloat()) t.SetDouble(i, values[i]); else t.SetLong(i, (long)values[i]); }
        return t;
    }

    public static readonly DType[] Floats = [DType.Float16, DType.Float32, DType.Float64];
    public static readonly DType[] Numeric = [DType.Float16, DType.Float32, DType.Float64, DType.Int8, DType.Int16, DType.Int32, DType.Int64, DType.UInt8, DType.Bool];

    /// <summary>Shapes of rank 0..5 with dimensions 0..4 (empty dimensions included).</summary>
    public static readonly Gen<int[]> Shapes = Gen.Int[0, 5].SelectMany(r => Gen.Int[0, 4].Array[r]);

    /// <summary>Shapes without empty dimensions.</summary>
    public static readonly Gen<int[]> NonEmptyShapes = Gen.Int[0, 5].SelectMany(r => Gen.Int[1, 4].Array[r]);

    /// <summary>A tensor of the given dtype and shape with values drawn per element: small integers for integer
    /// dtypes; for floats, values in [-range, range] with occasional NaN, ±inf and ±0.</summary>
    public static Gen<Tensor> TensorOf(DType dtype, int[] shape, bool special = true, double range = 3)
    {
        int n = 1; foreach (var d in shape) n *= d;
        Gen<double> v = dtype switch
        {
            DType.Bool => Gen.Int[0, 1].Select(i => (double)i),
            DType.UInt8 => Gen.Int[0, 9].Select(i => (double)i),
            _ when !dtype.IsFloat() => Gen.Int[-9, 9].Select(i => (double)i),
            _ when special => Gen.Frequency((20, Gen.Double[-range, range]), (1, Gen.OneOf(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0))),
            _ => Gen.Double[-range, range],
        };
        return v.Array[n].Select(a => Make(dtype, shape, a));
    }

    /// <summary>A random subset of the axes of a rank-r tensor, each written as negative or positive at random; null = all.</summary>
    public static Gen<int[]?> AxesOf(int rank) =>
        Gen.Frequency(
            (1, Gen.Const((int[]?)null)),
            (4, Gen.Bool.Array[rank].SelectMany(pick => Gen.Bool.Array[rank].Select(neg =>
                (int[]?)Enumerable.Range(0, rank).Where(i => pick[i]).Select(i => neg[i] ? i - rank : i).ToArray()))));
}
