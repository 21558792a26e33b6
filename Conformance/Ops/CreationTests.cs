namespace KerasBackend.Conformance.Ops;

/// <summary>eye, zeros_like, ones_like, identity and the seeded random ops on every built-in backend.</summary>
public class CreationTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Eye_takes_an_int_or_a_pair(string backend)
    {
        using var _ = Backend.Use(backend);
        Assert.Equal(new[] { 1f, 0, 0, 0, 1, 0, 0, 0, 1 }, K.Eye(3).ToArray<float>());
        var r = K.Eye([3, 2], DType.Int32);
        Assert.Equal(new Shape(3, 2), r.Shape);
        Assert.Equal(new[] { 1, 0, 0, 1, 0, 0 }, r.ToArray<int>());
        Assert.Equal(new[] { 1.0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, K.Eye([3, 4], DType.Float64).ToArray<double>());
        Assert.Equal(new Shape(0, 0), K.Eye(0).Shape);
        Assert.Equal(DType.Float16, K.Eye(2, DType.Float16).DType);
        Assert.Equal(new[] { true, false, false, true }, K.Eye(2, DType.Bool).ToArray<bool>());
        var e = Assert.Throws<KerasValueException>(() => K.Eye([2, 3, 4]));
        Assert.Equal(("eye", "size"), (e.Op, e.ParamName));
        Assert.Throws<KerasValueException>(() => K.Eye(-1));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Zeros_like_and_ones_like_keep_the_dtype_unless_given(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Constant(new[,] { { 1, 2, 3 }, { 4, 5, 6 } }, DType.Int64);
        var z = K.ZerosLike(x);
        Assert.Equal((DType.Int64, new Shape(2, 3)), (z.DType, z.Shape));
        Assert.All(z.ToArray<long>(), v => Assert.Equal(0L, v));
        var o = K.OnesLike(x, DType.Float16);
        Assert.Equal(DType.Float16, o.DType);
        Assert.All(o.ToArray<Half>(), v => Assert.Equal(Half.One, v));
        Assert.Equal(new[] { true }, K.OnesLike(K.Constant(false, DType.Bool)).ToArray<bool>());
        Assert.Equal(new Shape(0, 2), K.OnesLike(K.Zeros([0, 2])).Shape);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Identity_is_a_copy(string backend)
    {
        using var _ = Backend.Use(backend);
        var v = K.Variable(new[] { 1.0, double.NaN, double.NegativeInfinity });
        var c = K.Identity(v);
        Assert.False(ReferenceEquals(c, v));
        K.Update(v, K.Zeros([3]));
        var got = c.ToArray<float>();
        Assert.Equal(1f, got[0]);
        Assert.True(float.IsNaN(got[1]));
        Assert.Equal(float.NegativeInfinity, got[2]);
    }

    [Fact]
    public void A_seed_gives_the_same_values_on_every_backend()
    {
        float[] Draw(string b, Func<Tensor> f) { using var _ = Backend.Use(b); return f().ToArray<float>(); }
        foreach (var make in new Func<Tensor>[]
                 {
                     () => K.RandomUniform([300, 500], -2, 3, seed: 42),
                     () => K.RandomNormal([7, 11], 1, 0.5, seed: -5),
                     () => K.RandomUniformVariable([200, 700], 0, 1, seed: 7),
                     () => K.RandomNormalVariable([3], 0, 1, seed: 7),
                 })
        {
            var a = Draw("cpu", make);
            Assert.Equal(a, Draw("numpy", make));
            Assert.Equal(a, Draw("cpu", make));
        }
        using (Backend.Use("cpu"))
        {
            Assert.NotEqual(K.RandomUniform([50], seed: 1).ToArray<float>(), K.RandomUniform([50], seed: 2).ToArray<float>());
            Assert.NotEqual(K.RandomUniform([50]).ToArray<float>(), K.RandomUniform([50]).ToArray<float>());
        }
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Random_statistics_follow_keras_backend_tests(string backend)
    {
        using var _ = Backend.Use(backend);
        // Keras 2.3 backend_test: 200 x 200 samples, mean/std within 0.015 · std, uniform extremes within 0.015 of the bounds.
        var n = K.RandomNormal([200, 200], -10, 5, seed: 3).ToArray<float>().Select(v => (double)v).ToArray();
        double mean = n.Average(), std = Math.Sqrt(n.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -10 - 0.015 * 5, -10 + 0.015 * 5);
        Assert.InRange(std, 5 - 0.015 * 5, 5 + 0.015 * 5);
        var u = K.RandomUniform([200, 200], -1, 1, seed: 4).ToArray<float>();
        Assert.InRange(u.Average(), -0.015, 0.015);
        Assert.InRange(u.Max(), 1 - 0.015f, 1f);
        Assert.InRange(u.Min(), -1f, -1 + 0.015f);
        Assert.All(u, v => Assert.True(v >= -1 && v < 1));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Uniform_stays_below_maxval_in_float16(string backend)
    {
        using var _ = Backend.Use(backend);
        var h = K.RandomUniform([20000], 0, 1, DType.Float16, seed: 9).ToArray<Half>();
        Assert.All(h, v => Assert.True(v >= Half.Zero && v < Half.One));
        var d = K.RandomUniform([1000], 5, 6, DType.Float64, seed: 9).ToArray<double>();
        Assert.All(d, v => Assert.True(v >= 5 && v < 6));
        Assert.True(d.Distinct().Count() > 990);
    }

    [Fact]
    public void Random_ops_reject_bad_arguments_and_make_variables()
    {
        Assert.Throws<KerasValueException>(() => K.RandomUniform([2], dtype: DType.Int32));
        Assert.Throws<KerasValueException>(() => K.RandomNormal([-1, 2]));
        var v = K.RandomNormalVariable([2, 3], 0, 1, name: "w", seed: 1);
        Assert.Equal("w", v.Name);
        Assert.Equal(new Shape(2, 3), v.Shape);
        Assert.Equal(DType.Float32, v.DType);
        Assert.Equal(new Shape(0, 3), K.RandomUniform([0, 3], seed: 1).Shape);
    }
}
