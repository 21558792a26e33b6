namespace KerasBackend.Conformance.EndToEnd;

/// <summary>The spec → generator → facade → backend path, through K, on every built-in backend.</summary>
public class FirstOpsTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Add_broadcasts_rows_and_promotes(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var y = K.Constant(new[] { 10.0, 20.0, 30.0 }, DType.Float64);
        var z = x + y;
        Assert.Equal(DType.Float64, z.DType);
        Assert.Equal(new Shape(2, 3), z.Shape);
        Assert.Equal(new[] { 11.0, 22, 33, 14, 25, 36 }, z.ToArray<double>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Scalars_are_weakly_typed(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Constant(new[] { 1, 2, 3 }, DType.Int32);
        Assert.Equal(DType.Int32, (x * 2).DType);
        Assert.Equal(new[] { 2, 4, 6 }, (x * 2).ToArray<int>());
        var h = K.Ones([3], DType.Float16) * 0.5;
        Assert.Equal(DType.Float16, h.DType);
        Assert.Equal(DType.Float32, (x * 0.5).DType);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f }, (x * 0.5).ToArray<float>());
        Assert.Equal(new[] { -1, -2, -3 }, (-x).ToArray<int>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Integer_division_gives_floats(string backend)
    {
        using var _ = Backend.Use(backend);
        var q = K.Constant(new[] { 1, -1, 0 }, DType.Int32) / K.Constant(new[] { 0, 0, 0 }, DType.Int32);
        Assert.Equal(DType.Float32, q.DType);
        var v = q.ToArray<float>();
        Assert.Equal(float.PositiveInfinity, v[0]);
        Assert.Equal(float.NegativeInfinity, v[1]);
        Assert.True(float.IsNaN(v[2]));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Dot_follows_theano_nd_rule(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Constant(Enumerable.Range(0, 6).Select(i => (float)i).ToArray(), shape: [2, 3]);
        var y = K.Constant(Enumerable.Range(0, 60).Select(i => (float)i).ToArray(), shape: [4, 3, 5]);
        var z = K.Dot(x, y);
        Assert.Equal(new Shape(2, 4, 5), z.Shape);
        // z[1, 2, 3] = Σ_t x[1, t] · y[2, t, 3]
        float want = 0;
        for (int t = 0; t < 3; t++) want += (3 + t) * (2 * 15 + t * 5 + 3);
        Assert.Equal(want, z.ToArray<float>()[(1 * 4 + 2) * 5 + 3]);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Sum_over_axis_lists_and_keepdims(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Constant(Enumerable.Range(0, 24).Select(i => (double)i).ToArray(), DType.Float64, shape: [2, 3, 4]);
        var s = K.Sum(x, [0, -1], keepdims: true);
        Assert.Equal(new Shape(1, 3, 1), s.Shape);
        Assert.Equal(new[] { 0.0 + 1 + 2 + 3 + 12 + 13 + 14 + 15, 4 + 5 + 6 + 7 + 16 + 17 + 18 + 19, 8 + 9 + 10 + 11 + 20 + 21 + 22 + 23 }, s.ToArray<double>());
        Assert.Equal(276.0, K.Sum(x).ToArray<double>()[0]);
        Assert.Equal(DType.Int32, K.Sum(K.Ones([3], DType.Bool)).DType);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Transpose_and_concatenate(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new[] { 1f, 4, 2, 5, 3, 6 }, K.Transpose(x).ToArray<float>());
        var c = K.Concatenate([x, K.Zeros([2, 1])], axis: -1);
        Assert.Equal(new Shape(2, 4), c.Shape);
        Assert.Equal(new[] { 1f, 2, 3, 0, 4, 5, 6, 0 }, c.ToArray<float>());
    }

    [Fact]
    public void Errors_name_the_op_argument_and_shapes()
    {
        var e = Assert.Throws<KerasValueException>(() => K.Dot(K.Ones([2, 3]), K.Ones([4, 5])));
        Assert.Equal("dot", e.Op);
        Assert.Equal("y", e.ParamName);
        Assert.Contains("x.shape=(2, 3), y.shape=(4, 5)", e.Message);
        var a = Assert.Throws<KerasValueException>(() => K.Sum(K.Ones([2]), 3));
        Assert.Equal("axis", a.ParamName);
        Assert.Contains("axis=[3]", a.Message);
        Assert.Throws<KerasValueException>(() => K.Add(K.Ones([2, 3]), K.Ones([4])));
        Assert.Throws<KerasTypeException>(() => K.Add(null!, K.Ones([4])));
    }

    [Fact]
    public void Registry_invokes_by_keras_name()
    {
        var r = (Tensor)OpRegistry.Invoke("sum", new Dictionary<string, object?> { ["x"] = K.Ones([2, 2]), ["axis"] = 0L })!;
        Assert.Equal(new[] { 2f, 2f }, r.ToArray<float>());
        Assert.Contains(OpRegistry.All, o => o.Name == "dot" && o.Signature == "dot(x, y)");
        Assert.Equal("sum(x, axis=None, keepdims=False)", OpRegistry.Find("sum")!.Signature);
    }
}
