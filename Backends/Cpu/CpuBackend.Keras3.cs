using System.Numerics;

namespace KerasBackend.Backends.Cpu;

// Wiring of the Keras 3 ops of issue 16 that are not one-line elementwise operators: gelu, layer_normalization,
// where, linspace, tril, triu (kernels in Keras3Operators.cs, LayerNorm.cs and below).
public sealed partial class CpuBackend
{
    /// <summary>gelu, exact (erf) or tanh-approximated; one vector pass (integers → floatx first).</summary>
    public void Gelu(Tensor x, bool approximate, Tensor output) => Elementwise.FloatUnary(x, output, new GeluOperator { Approximate = approximate });

    /// <summary>
    /// layer_normalization: the fused row kernel (<see cref="LayerNorm"/>) on x viewed as (rows, n) when the axes are the
    /// trailing ones; otherwise on a copy with the axes moved last, permuted back. float32 and float16 compute in float32
    /// (Keras 3: result_type(x, float32)); float64, integers and bool in float64; rounded once into x's dtype.
    /// </summary>
    public void LayerNormalization(Tensor x, Tensor? gamma, Tensor? beta, int[]? axis, double? epsilon, Tensor output)
    {
        if (output.Size == 0) return;
        int r = x.Rank;
        var axes = Normalize.Axes(axis ?? [-1], r);
        double eps = epsilon ?? Config.Epsilon;
        int n = 1;
        foreach (var a in axes) n *= x.Shape[a];
        var g = gamma is null ? null : NormalizationParams.Expand(x, gamma, axes);
        var b = beta is null ? null : NormalizationParams.Expand(x, beta, axes);
        bool trailing = axes[^1] == r - 1 && axes[0] == r - axes.Length;
        if (trailing) { NormalizeRows(x, g, b, n, eps, output); return; }
        var perm = Enumerable.Range(0, r).Where(d => Array.IndexOf(axes, d) < 0).Concat(axes).ToArray();
        var inverse = new int[r];
        for (int i = 0; i < r; i++) inverse[perm[i]] = i;
        var moved = new Shape(perm.Select(p => x.Shape[p]).ToArray());
        using var xp = Tensor.Uninitialized(x.DType, moved);
        using var yp = Tensor.Uninitialized(output.DType, moved);
        Layout.Permute(x, perm, xp);
        NormalizeRows(xp, g, b, n, eps, yp);
        Layout.Permute(yp, inverse, output);
    }

    private static void NormalizeRows(Tensor x, double[]? gamma, double[]? beta, int n, double eps, Tensor output)
    {
        int rows = x.Size / n;
        if (x.DType is not (DType.Float32 or DType.Float16))
        {
            // float64, and integers and bool (whose truncation back to x's dtype must not hang on float32's rounding at ±1).
            var xd = As(x, DType.Float64);
            var yd = output.DType == DType.Float64 ? output : Tensor.Uninitialized(DType.Float64, output.Shape);
            LayerNorm.Run(xd.ReadOnlySpan<double>(), yd.Span<double>(), rows, n, gamma ?? Ones<double>(n), beta ?? new double[n], eps, xd, yd);
            Release(xd, x);
            if (!ReferenceEquals(yd, output)) { Casting.Cast(yd, output); yd.Dispose(); }
            return;
        }
        var xs = As(x, DType.Float32);
        var ys = output.DType == DType.Float32 ? output : Tensor.Uninitialized(DType.Float32, output.Shape);
        LayerNorm.Run(xs.ReadOnlySpan<float>(), ys.Span<float>(), rows, n, ToFloats(gamma, 1, n), ToFloats(beta, 0, n), (float)eps, xs, ys);
        Release(xs, x);
        if (!ReferenceEquals(ys, output)) { Casting.Cast(ys, output); ys.Dispose(); }
    }

    private static T[] Ones<T>(int n) where T : INumber<T> { var a = new T[n]; Array.Fill(a, T.One); return a; }

    private static float[] ToFloats(double[]? v, float fill, int n)
    {
        var a = new float[n];
        if (v is null) Array.Fill(a, fill);
        else for (int i = 0; i < n; i++) a[i] = (float)v[i];
        return a;
    }

    /// <summary>numpy.where: the condition as bool with numpy's left-aligned broadcasting, both values in the output dtype, selected row by row.</summary>
    public void Where(Tensor condition, Tensor x1, Tensor x2, Tensor output) =>
        Select(condition, new Shape(Enumerable.Repeat(1, Math.Max(0, output.Rank - condition.Rank)).Concat(condition.Shape.ToArray()).ToArray()), x1, x2, output);

    /// <summary>numpy.linspace in float64 (numpy's step and its step == 0 branch, the endpoint set to stop), rounded once into the output.</summary>
    public void Linspace(double start, double stop, int num, bool endpoint, Tensor output) =>
        Dispatch.On(output.DType, new LinspaceKernel(start, stop, num, endpoint, output));

    private readonly struct LinspaceKernel(double start, double stop, int num, bool endpoint, Tensor output) : IDTypeKernel
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T>
        {
            var d = output.Span<T>();
            for (int i = 0; i < num; i++) d[i] = T.CreateTruncating(LinspaceMath.At(start, stop, num, endpoint, i));
        }

        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => throw new InvalidOperationException("linspace: float dtypes only (checked)");
        public void Bool() => throw new InvalidOperationException("linspace: float dtypes only (checked)");
    }

    /// <summary>numpy.tril over the last two axes: each row's prefix up to column i + k copied, the rest cleared (byte spans, any dtype).</summary>
    public void Tril(Tensor x, int k, Tensor output) => Triangle(x, k, lower: true, output);

    /// <summary>numpy.triu over the last two axes: each row cleared before column i + k, the rest copied.</summary>
    public void Triu(Tensor x, int k, Tensor output) => Triangle(x, k, lower: false, output);

    private static void Triangle(Tensor x, int k, bool lower, Tensor output)
    {
        int r = x.Rank, rows = x.Shape[r - 2], cols = x.Shape[r - 1];
        if (output.Size == 0) return;
        int es = x.DType.ItemSize(), mats = output.Size / (rows * cols);
        var src = x.Bytes();
        var dst = output.Bytes();
        for (int m = 0; m < mats; m++)
            for (int i = 0; i < rows; i++)
            {
                int at = (m * rows + i) * cols * es;
                // Columns kept: j <= i + k (tril) or j >= i + k (triu), clamped to the row.
                int edge = (int)Math.Clamp(lower ? (long)i + k + 1 : (long)i + k, 0, cols);
                int keep0 = lower ? 0 : edge, keep1 = lower ? edge : cols;
                src.Slice(at + keep0 * es, (keep1 - keep0) * es).CopyTo(dst.Slice(at + keep0 * es)); // in place: a copy onto itself
                dst.Slice(at + (lower ? edge : 0) * es, (lower ? cols - edge : edge) * es).Clear();
            }
    }
}
