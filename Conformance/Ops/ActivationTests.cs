using KerasBackend.Backends.Cpu;

namespace KerasBackend.Conformance.Ops;

/// <summary>Activation values on every backend, and the float32 polynomials of the cpu backend against double math.</summary>
public class ActivationTests
{
    /// <summary>Relative error with an absolute floor, so values near zero are judged absolutely.</summary>
    private static double Err(double want, float got) =>
        double.IsNaN(want) ? (float.IsNaN(got) ? 0 : double.PositiveInfinity)
        : double.IsInfinity(want) ? (want == got ? 0 : double.PositiveInfinity)
        : Math.Abs(want - got) / Math.Max(Math.Abs(want), 1e-30);

    private static float[] Sweep()
    {
        // Dense near 0 and across the whole float32 exp range, plus tanh's branch points (4e-4, the ±7.905 clamp, ±8.7).
        var v = new List<float> { 0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, 1e-30f,
            4e-4f, -4e-4f, 4.01e-4f, 7.905f, -7.905f, 7.91f, 8.69f, 8.7f, -8.71f, 9f };
        for (int i = -20000; i <= 20000; i++) v.Add(i * 0.0045f);
        var rnd = new Random(5);
        for (int i = 0; i < 20000; i++) v.Add((float)(rnd.NextDouble() * 210 - 105));
        return v.ToArray();
    }

    // Auto takes Vector512 where it is accelerated; Vector256 forces the fallback path (what DOTNET_EnableAVX512F=0 selects).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Exp_is_within_3_ulp_of_double_exp(bool vector256)
    {
        var width = vector256 ? VectorWidth.Vector256 : VectorWidth.Auto;
        var x = Sweep();
        var y = new float[x.Length];
        Transcendental.Exp(x, y, width);
        for (int i = 0; i < x.Length; i++)
        {
            double want = (float)Math.Exp(x[i]);
            // Below float32's normal range only absolute accuracy is meaningful.
            if (Math.Abs(want) < 1.2e-38) { Assert.True(Math.Abs(want - y[i]) < 1e-44, $"exp({x[i]:R}) = {y[i]:R}, want {want:R}"); continue; }
            Assert.True(Err(want, y[i]) <= 3.6e-7, $"exp({x[i]:R}) = {y[i]:R}, want {want:R}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tanh_and_sigmoid_are_within_4_ulp(bool vector256)
    {
        var width = vector256 ? VectorWidth.Vector256 : VectorWidth.Auto;
        var x = Sweep();
        var t = new float[x.Length];
        var s = new float[x.Length];
        Transcendental.Tanh(x, t, width);
        Transcendental.Sigmoid(x, s, width);
        for (int i = 0; i < x.Length; i++)
        {
            double tw = Math.Tanh(x[i]), sw = 1 / (1 + Math.Exp(-(double)x[i]));
            Assert.True(Err(tw, t[i]) <= 4.8e-7 || Math.Abs(tw - t[i]) < 1e-45, $"tanh({x[i]:R}) = {t[i]:R}, want {tw:R}");
            if (x[i] == 0) Assert.Equal(float.IsNegative(x[i]), float.IsNegative(t[i]));
            if (double.IsNaN(sw) || sw >= 1.2e-38) Assert.True(Err(sw, s[i]) <= 4.8e-7, $"sigmoid({x[i]:R}) = {s[i]:R}, want {sw:R}");
            else Assert.True(Math.Abs(sw - s[i]) < 1.2e-38, $"sigmoid({x[i]:R}) = {s[i]:R}, want {sw:R}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fused_shifted_exp_is_within_5_ulp_of_double_exp_and_sums_it(bool vector256)
    {
        // Softmax's one-pass row kernel: every length around the 16/64-element steps, at every float offset from a
        // cache line (the Vector512 form aligns its stores), out of place and in place, on both vector widths.
        var width = vector256 ? VectorWidth.Vector256 : VectorWidth.Auto;
        var rnd = new Random(11);
        foreach (int n in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 79, 80, 81, 100, 127, 128, 129, 1024 })
            for (int offset = 0; offset < 16; offset += n > 200 ? 5 : 1)
                foreach (bool inPlace in new[] { false, true })
                {
                    var x = Enumerable.Range(0, n).Select(_ => (float)(rnd.NextDouble() * 30 - 15)).ToArray();
                    if (n > 3) { x[n / 3] = -120f; x[n - 1] = float.NegativeInfinity; }
                    float shift = n == 0 ? 0 : x.Max();
                    var buffer = Enumerable.Repeat(float.NaN, n + 32).ToArray();
                    var got = buffer.AsSpan(offset, n);
                    if (inPlace) x.CopyTo(got);
                    float sum = Transcendental.ExpShiftedSum(inPlace ? got : x, shift, got, width);
                    string what = $"n={n} offset={offset} inPlace={inPlace}";
                    double want = 0;
                    for (int i = 0; i < n; i++)
                    {
                        double e = Math.Exp(x[i] - shift); // of the float32 difference, which the kernel takes
                        want += got[i];
                        if (e < 1.2e-38) Assert.True(Math.Abs(e - got[i]) < 1.2e-38, $"{what}: exp({x[i]:R} - {shift:R}) = {got[i]:R}, want {e:R}");
                        else Assert.True(Err(e, got[i]) <= 6e-7, $"{what}: exp({x[i]:R} - {shift:R}) = {got[i]:R}, want {e:R}");
                    }
                    Assert.True(float.IsNaN(buffer[offset + n]) && (offset == 0 || float.IsNaN(buffer[offset - 1])), $"{what}: wrote outside the row");
                    Assert.Equal(want, sum, 1e-5 * Math.Max(1, n));
                }
    }

    [Fact]
    public void Fused_shifted_exp_propagates_nan()
    {
        foreach (int n in new[] { 5, 16, 40, 64, 200 })
            foreach (int at in new[] { 0, n / 2, n - 1 })
            {
                var x = Enumerable.Range(0, n).Select(i => (float)Math.Sin(i)).ToArray();
                x[at] = float.NaN;
                var y = new float[n];
                float sum = Transcendental.ExpShiftedSum(x, 1f, y);
                Assert.True(float.IsNaN(sum) && float.IsNaN(y[at]), $"n={n} NaN at {at}: sum {sum}, y {y[at]}");
                // A NaN shift (a row maximum that is NaN) makes every value NaN.
                Transcendental.ExpShiftedSum(x, float.NaN, y);
                Assert.All(y, v => Assert.True(float.IsNaN(v)));
            }
    }

    [Fact]
    public void Large_arrays_split_across_cores_give_the_same_bits()
    {
        int n = Transcendental.ParallelElements * 3 + 5;
        var rnd = new Random(9);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rnd.NextDouble() * 40 - 20);
        var whole = new float[n];
        Transcendental.Tanh(x, whole);
        var piece = new float[1000];
        for (int start = 0; start + 1000 <= n; start += 77_777)
        {
            Transcendental.Tanh(x.AsSpan(start, 1000), piece);
            Assert.True(piece.AsSpan().SequenceEqual(whole.AsSpan(start, 1000)), $"chunk at {start}");
        }
        // In place is allowed.
        Transcendental.Tanh(x, x);
        Assert.True(x.AsSpan().SequenceEqual(whole));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Relu_branches(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Constant(new[] { -3f, -1f, 0f, 0.5f, 2f, 7f, float.NaN, float.NegativeInfinity, float.PositiveInfinity });
        Assert.Equal(new[] { 0f, 0, 0, 0.5f, 2, 7, float.NaN, 0, float.PositiveInfinity }, K.Relu(x).ToArray<float>());
        Assert.Equal(new[] { -0.3f, -0.1f, 0, 0.5f, 2, 6, float.NaN, float.NegativeInfinity, 6 }, K.Relu(x, alpha: 0.1, maxValue: 6).ToArray<float>());
        // tf-keras's code: x above the threshold (x * (x > threshold), so -inf gives NaN), capped, minus alpha * (threshold - x) below it.
        Assert.Equal(new[] { -2f, -1, -0.5f, -0.25f, 1.5f, 1.5f, float.NaN, float.NaN, 1.5f },
            K.Relu(x, alpha: 0.5, maxValue: 1.5, threshold: 1).ToArray<float>());
        var i = K.Constant(new[] { -5, -1, 0, 3, 9 }, DType.Int32);
        var r = K.Relu(i, alpha: 0.5, maxValue: 4);
        Assert.Equal(DType.Int32, r.DType);
        Assert.Equal(new[] { -2, 0, 0, 3, 4 }, r.ToArray<int>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Tanh_and_sigmoid_dtypes_and_symbolic_shapes(string backend)
    {
        using var _ = Backend.Use(backend);
        var i = K.Constant(new[] { -2, 0, 2 }, DType.Int32);
        Assert.Equal(DType.Float32, K.Tanh(i).DType);
        Assert.Equal(DType.Float32, K.Sigmoid(i).DType);
        Assert.Equal(0.5f, K.Sigmoid(i).ToArray<float>()[1]);
        var h = K.Constant(new[] { 0.5, -30 }, DType.Float16);
        Assert.Equal(DType.Float16, K.Tanh(h).DType);
        Assert.Equal((Half)Math.Tanh(0.5), K.Tanh(h).ToArray<Half>()[0]);
        var p = K.Placeholder(new int?[] { null, 3 });
        Assert.Equal("(None, 3)", K.Relu(p, alpha: 0.1).Shape.ToString());
        Assert.Equal("(None, 3)", K.Sigmoid(p).Shape.ToString());
    }
}
