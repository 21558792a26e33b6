namespace KerasBackend.Conformance.Ops;

/// <summary>batch_dot on every built-in backend: Keras' literal shape cases, values against per-sample tensordot, errors.</summary>
public class LinalgTests
{
    private static Tensor Rand(int seed, DType dtype, params int[] shape) => K.Cast(K.RandomUniform(shape, -1, 1, DType.Float64, seed), dtype);

    /// <summary>numpy.tensordot(x[b], y[b], (a0-1, a1-1)) per sample, written as loops over flat indices.</summary>
    private static double[] Oracle(Tensor x, Tensor y, int a0, int a1)
    {
        var xv = x.ToDoubleArray();
        var yv = y.ToDoubleArray();
        var xs = x.Shape.Strides();
        var ys = y.Shape.Strides();
        var xf = Enumerable.Range(1, x.Rank - 1).Where(i => i != a0).ToArray();
        var yf = Enumerable.Range(1, y.Rank - 1).Where(i => i != a1).ToArray();
        var res = new List<double>();
        for (int b = 0; b < x.Shape[0]; b++)
            foreach (var xi in Indices(x.Shape, xf))
                foreach (var yi in Indices(y.Shape, yf))
                {
                    double s = 0;
                    for (int t = 0; t < x.Shape[a0]; t++)
                    {
                        int xo = b * xs[0] + t * xs[a0], yo = b * ys[0] + t * ys[a1];
                        for (int j = 0; j < xf.Length; j++) xo += xi[j] * xs[xf[j]];
                        for (int j = 0; j < yf.Length; j++) yo += yi[j] * ys[yf[j]];
                        s += xv[xo] * yv[yo];
                    }
                    res.Add(s);
                }
        return res.ToArray();
    }

    private static IEnumerable<int[]> Indices(Shape s, int[] axes)
    {
        var idx = new int[axes.Length];
        int total = axes.Aggregate(1, (p, a) => p * s[a]);
        for (int n = 0; n < total; n++)
        {
            yield return (int[])idx.Clone();
            for (int d = axes.Length - 1; d >= 0; d--) { if (++idx[d] < s[axes[d]]) break; idx[d] = 0; }
        }
    }

    public static TheoryData<string, int[], int[], int[]?, int[]> KerasCases()
    {
        var data = new TheoryData<string, int[], int[], int[]?, int[]>();
        foreach (var b in new[] { "cpu", "numpy" })
        {
            data.Add(b, [2, 3, 4, 5], [2, 5, 6, 7], [3, 1], [2, 3, 4, 6, 7]);
            data.Add(b, [2, 20, 1], [2, 30, 20], [1, 2], [2, 1, 30]);
            data.Add(b, [32, 20, 1], [32, 30, 20], [1, 2], [32, 1, 30]);
            data.Add(b, [4, 2, 3], [4, 5, 3], [2, 2], [4, 2, 5]);
            data.Add(b, [4, 2], [4, 2, 3], [1, 1], [4, 3]);
            data.Add(b, [4, 2], [4, 2, 3], [1], [4, 3]);
            data.Add(b, [4, 2, 3], [4, 3], [2, 1], [4, 2]);
            data.Add(b, [4, 4], [4, 4], null, [4, 1]);
            data.Add(b, [3, 3, 4, 5], [3, 2, 3, 4], [2, 3], [3, 3, 5, 2, 3]);
            data.Add(b, [3, 4, 3], [3, 3, 5], [-1, -2], [3, 4, 5]);
            data.Add(b, [2, 0, 3], [2, 3, 4], [2, 1], [2, 0, 4]);
            data.Add(b, [2, 3, 0], [2, 0, 4], [2, 1], [2, 3, 4]);
        }
        return data;
    }

    [Theory, MemberData(nameof(KerasCases))]
    public void Batch_dot_matches_per_sample_tensordot(string backend, int[] xs, int[] ys, int[]? axes, int[] want)
    {
        using var _ = Backend.Use(backend);
        foreach (var dtype in new[] { DType.Float64, DType.Float32, DType.Float16 })
        {
            var x = Rand(1, dtype, xs);
            var y = Rand(2, dtype, ys);
            var z = K.BatchDot(x, y, axes);
            Assert.Equal(new Shape(want), z.Shape);
            Assert.Equal(dtype, z.DType);
            var a = Normalize.Pair(axes, xs.Length, ys.Length);
            var oracle = Oracle(x, y, a[0], a[1]);
            var got = z.ToDoubleArray();
            double tol = dtype == DType.Float16 ? 2e-2 : dtype == DType.Float32 ? 1e-5 : 1e-12;
            for (int i = 0; i < got.Length; i++) Assert.True(Math.Abs(got[i] - oracle[i]) <= tol * (1 + Math.Abs(oracle[i])), $"{i}: {got[i]} vs {oracle[i]}");
        }
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Batch_dot_docstring_example_and_integers(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Constant(new[,] { { 1, 2 }, { 3, 4 } }, DType.Int32);
        var y = K.Constant(new[,] { { 5, 6 }, { 7, 8 } }, DType.Int32);
        var z = K.BatchDot(x, y, 1);
        Assert.Equal((DType.Int32, new Shape(2, 1)), (z.DType, z.Shape));
        Assert.Equal(new[] { 17, 53 }, z.ToArray<int>());
        var z8 = K.BatchDot(K.Cast(x, DType.Int8), K.Cast(y, DType.Int8), 1);
        Assert.Equal(new[] { 17, 53 }, z8.ToArray<sbyte>().Select(v => (int)v).ToArray());
        Assert.Equal(DType.Float32, K.BatchDot(x, K.Cast(y, DType.Float32), 1).DType);
    }

    [Fact]
    public void Batch_dot_errors_follow_keras()
    {
        void Bad(string param, Func<Tensor> f)
        {
            var e = Assert.Throws<KerasValueException>(() => f());
            Assert.Equal(("batch_dot", param), (e.Op, e.ParamName));
        }
        Bad("x", () => K.BatchDot(K.Ones([3]), K.Ones([3, 2])));
        Bad("y", () => K.BatchDot(K.Ones([3, 2]), K.Ones([4, 2])));
        Bad("axes", () => K.BatchDot(K.Ones([3, 2]), K.Ones([3, 2]), [1, 1, 1]));
        Bad("axes", () => K.BatchDot(K.Ones([3, 2]), K.Ones([3, 2]), 0));
        Bad("axes", () => K.BatchDot(K.Ones([3, 2, 4]), K.Ones([3, 2]), [-3, 1]));
        Bad("axes", () => K.BatchDot(K.Ones([3, 2]), K.Ones([3, 2]), [1, 5]));
        Bad("axes", () => K.BatchDot(K.Ones([3, 2, 4]), K.Ones([3, 3, 2]), [2, 1]));
        var e = Assert.Throws<KerasValueException>(() => K.BatchDot(K.Ones([3, 2]), K.Ones([3, 2]), 0));
        Assert.Contains("axis 0", e.Message);
    }

    [Fact]
    public void Batch_dot_static_shapes_with_unknown_batch()
    {
        // Keras 2.3 backend_test placeholder cases.
        Assert.Equal(new Shape(-1, 3, 5, 2, 3), K.BatchDot(K.Placeholder([null, 3, 4, 5]), K.Placeholder([null, 2, 3, 4]), [2, 3]).Shape);
        Assert.Equal(new Shape(-1, 3, 5, 2), K.BatchDot(K.Placeholder([null, 3, 4, 5]), K.Placeholder([null, 2, 4]), 2).Shape);
        Assert.Equal(new Shape(-1, 3, 2, 3), K.BatchDot(K.Placeholder([null, 3, 4]), K.Placeholder([null, 2, 3, 4]), [2, 3]).Shape);
        Assert.Equal(new Shape(-1, 4, 5), K.BatchDot(K.Placeholder([null, 4, 3]), K.Placeholder([null, 3, 5]), [2, 1]).Shape);
        Assert.Equal(new Shape(-1, 3), K.BatchDot(K.Placeholder([null, 4]), K.Placeholder([null, 3, 4]), [1, 2]).Shape);
        Assert.Equal(new Shape(-1, 1), K.BatchDot(K.Placeholder([null, 4]), K.Placeholder([null, 4])).Shape);
    }
}
