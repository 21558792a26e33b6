using KerasBackend.Backends.Cpu;

namespace KerasBackend.Conformance.Kernels;

/// <summary>The packed GEMM against a naive triple loop, across micro-tile, KC and MC edges.</summary>
public class GemmTests
{
    private static readonly int[] Edges = [0, 1, 7, 8, 9, 31, 32, 33, 65, 70];
    private static readonly int[] Depths = [0, 1, 3, 512, 513]; // 512: KC

    private static T[] Fill<T>(int count, Random rnd, Func<double, T> make)
    {
        var a = new T[count];
        for (int i = 0; i < count; i++) a[i] = make(rnd.Next(-8, 9) / 4.0);
        return a;
    }

    /// <summary>c[bt, i, j] = Σ_t a[bt, i, t] · b[bt, t, j] in double precision.</summary>
    private static double[] Naive(double[] a, double[] b, int m, int k, int n, int batches)
    {
        var c = new double[batches * m * n];
        for (int bt = 0; bt < batches; bt++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int t = 0; t < k; t++) s += a[(bt * m + i) * k + t] * b[(bt * k + t) * n + j];
                    c[(bt * m + i) * n + j] = s;
                }
        return c;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the Vector256 micro-kernels, forced on this machine (what DOTNET_EnableAVX512F=0 would select)
    public void Float32_matches_naive_across_tile_edges(bool vector256)
    {
        var width = vector256 ? VectorWidth.Vector256 : VectorWidth.Auto;
        var rnd = new Random(7);
        foreach (int m in Edges)
            foreach (int n in Edges)
                foreach (int k in Depths)
                {
                    // Quarter steps in [-2, 2] keep every partial sum exact in float32, so equality is exact.
                    var a = Fill(m * k, rnd, v => (float)v);
                    var b = Fill(k * n, rnd, v => (float)v);
                    var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    Gemm.MatMul<float>(a, b, c, m, k, n, width);
                    var want = Naive(a.Select(v => (double)v).ToArray(), b.Select(v => (double)v).ToArray(), m, k, n, 1);
                    Assert.True(want.Select(v => (float)v).SequenceEqual(c), $"float32 m={m} k={k} n={n}");
                }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the Vector256 micro-kernels, forced on this machine (what DOTNET_EnableAVX512F=0 would select)
    public void Float64_matches_naive_across_tile_edges(bool vector256)
    {
        var width = vector256 ? VectorWidth.Vector256 : VectorWidth.Auto;
        var rnd = new Random(8);
        foreach (int m in Edges)
            foreach (int n in Edges)
                foreach (int k in Depths)
                {
                    var a = Fill(m * k, rnd, v => v);
                    var b = Fill(k * n, rnd, v => v);
                    var c = Enumerable.Repeat(double.NaN, m * n).ToArray();
                    Gemm.MatMul<double>(a, b, c, m, k, n, width);
                    Assert.True(Naive(a, b, m, k, n, 1).SequenceEqual(c), $"float64 m={m} k={k} n={n}");
                }
    }

    [Fact]
    public void Vector256_kernels_match_naive_on_large_products()
    {
        // The 6×16 / 6×8 fallback kernels, threaded, across several KC blocks and a partial MC block.
        LargeProductMatchesNaive(300, 520, 270, VectorWidth.Vector256);
    }

    [Theory]
    [InlineData(300, 520, 270)]   // threaded, several KC blocks, partial MC block
    [InlineData(513, 64, 129)]    // float64 MC (128) and float32 MC (256) edges
    [InlineData(3, 700, 1030)]    // fewer row blocks than cores: split by column panels
    [InlineData(128, 128, 128)]   // medium product: one task per core, split by rows with B read in place
    [InlineData(384, 384, 384)]   // medium product split by column panels (both splits pack as much)
    [InlineData(2000, 64, 20)]    // medium and narrow: split by rows
    [InlineData(520, 600, 530)]   // large: B packed once, row blocks scheduled dynamically
    [InlineData(20, 600, 70)]     // small B read in place over two KC slabs, ragged last panel packed
    public void Large_products_match_naive(int m, int k, int n) => LargeProductMatchesNaive(m, k, n, VectorWidth.Auto);

    private static void LargeProductMatchesNaive(int m, int k, int n, VectorWidth width)
    {
        var rnd = new Random(m + k + n);
        var a = Fill(m * k, rnd, v => v);
        var b = Fill(k * n, rnd, v => v);
        var want = Naive(a, b, m, k, n, 1);
        var c = new double[m * n];
        Gemm.MatMul<double>(a, b, c, m, k, n, width);
        Assert.Equal(want, c);
        var cf = new float[m * n];
        Gemm.MatMul<float>(a.Select(v => (float)v).ToArray(), b.Select(v => (float)v).ToArray(), cf, m, k, n, width);
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], cf[i], 1e-3 * Math.Max(1, Math.Abs(want[i])));
    }

    [Theory]
    [InlineData(64, 128, 64, 128)]
    [InlineData(5, 9, 33, 17)]
    [InlineData(1, 0, 4, 3)]
    public void Batched_products_match_naive(int batches, int m, int k, int n)
    {
        var rnd = new Random(batches * 1000 + m);
        var a = Fill(batches * m * k, rnd, v => (float)v);
        var b = Fill(batches * k * n, rnd, v => (float)v);
        var c = new float[batches * m * n];
        Gemm.MatMulBatched<float>(a, b, c, m, k, n, batches);
        var want = Naive(a.Select(v => (double)v).ToArray(), b.Select(v => (double)v).ToArray(), m, k, n, batches);
        Assert.Equal(want.Select(v => (float)v), c);
    }

    [Fact]
    public void Dot_layout_writes_strided_batches()
    {
        // out[i, b, j] = Σ_t x[i, t] · y[b, t, j]
        int m = 37, k = 41, n = 35, batches = 3;
        var rnd = new Random(3);
        var x = Fill(m * k, rnd, v => v);
        var y = Fill(batches * k * n, rnd, v => v);
        var o = new double[m * batches * n];
        Gemm.DotBatched<double>(x, y, o, m, k, n, batches);
        for (int i = 0; i < m; i++)
            for (int bt = 0; bt < batches; bt++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int t = 0; t < k; t++) s += x[i * k + t] * y[(bt * k + t) * n + j];
                    Assert.Equal(s, o[(i * batches + bt) * n + j]);
                }
    }

    [Fact]
    public void Integers_and_nonfinite_values()
    {
        var ai = new long[] { 1, 2, 3, 4, 5, 6 };
        var bi = new long[] { 7, 8, 9, 10, 11, 12 };
        var ci = new long[4];
        Gemm.MatMul<long>(ai, bi, ci, 2, 3, 2);
        Assert.Equal(new long[] { 58, 64, 139, 154 }, ci);
        // 0 · inf is NaN in IEEE arithmetic (numpy agrees): zeros in A must not be skipped.
        var a = new float[] { 0, 1 };
        var b = new float[] { float.PositiveInfinity, 1 };
        var c = new float[1];
        Gemm.MatMul<float>(a, b, c, 1, 2, 1);
        Assert.True(float.IsNaN(c[0]));
    }

    [Fact]
    public void Too_small_buffers_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Gemm.MatMul<float>(new float[5], new float[6], new float[4], 2, 3, 2));
    }
}
