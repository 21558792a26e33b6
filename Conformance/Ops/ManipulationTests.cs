namespace KerasBackend.Conformance.Ops;

/// <summary>reshape, expand_dims, squeeze, tile, stack, reverse, permute_dimensions, gather, switch on every built-in backend.</summary>
public class ManipulationTests
{
    private static Tensor Range(DType dtype, params int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        return K.Constant(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), dtype, shape: shape);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Reshape_infers_the_minus_one(string backend)
    {
        using var _ = Backend.Use(backend);
        var y = K.Reshape(Range(DType.Int32, 2, 3, 4), [4, -1]);
        Assert.Equal(new Shape(4, 6), y.Shape);
        Assert.Equal(Enumerable.Range(0, 24).ToArray(), y.ToArray<int>());
        Assert.Equal(new Shape(0, 5), K.Reshape(K.Zeros([5, 0]), [0, 5]).Shape);
        Assert.Equal(Shape.Scalar, K.Reshape(K.Ones([1, 1]), []).Shape);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Reshape_rejects_bad_shapes(string backend)
    {
        using var _ = Backend.Use(backend);
        var e = Assert.Throws<KerasValueException>(() => K.Reshape(K.Ones([2, 3]), [4, -1]));
        Assert.Equal("reshape", e.Op);
        Assert.Equal("shape", e.ParamName);
        Assert.Contains("(2, 3)", e.Message);
        Assert.Throws<KerasValueException>(() => K.Reshape(K.Ones([2, 3]), [-1, -1]));
        Assert.Throws<KerasValueException>(() => K.Reshape(K.Zeros([0, 3]), [0, -1]));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Expand_dims_and_squeeze(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Range(DType.Float32, 2, 3);
        Assert.Equal(new Shape(2, 3, 1), K.ExpandDims(x).Shape);
        Assert.Equal(new Shape(1, 2, 3), K.ExpandDims(x, 0).Shape);
        Assert.Equal(new Shape(2, 1, 3), K.ExpandDims(x, -2).Shape);
        Assert.Equal(new Shape(1), K.ExpandDims(K.Constant(3.0)).Shape);
        Assert.Throws<KerasValueException>(() => K.ExpandDims(x, 3));
        var s = K.Squeeze(K.ExpandDims(x, 1), 1);
        Assert.Equal(new Shape(2, 3), s.Shape);
        Assert.Equal(x.ToArray<float>(), s.ToArray<float>());
        Assert.Equal(new Shape(2, 3), K.Squeeze(K.ExpandDims(x, -1), -1).Shape);
        var e = Assert.Throws<KerasValueException>(() => K.Squeeze(x, 0));
        Assert.Equal("axis", e.ParamName);
        Assert.Throws<KerasValueException>(() => K.Squeeze(K.Constant(1.0), 0));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Tile_follows_numpy(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Range(DType.Int32, 2, 3);
        var t = K.Tile(x, [2, 2]);
        Assert.Equal(new Shape(4, 6), t.Shape);
        Assert.Equal(new[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5 }, t.ToArray<int>());
        Assert.Equal(new[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5 }, K.Tile(x, 2).ToArray<int>());
        var t3 = K.Tile(x, [3, 1, 2]);
        Assert.Equal(new Shape(3, 2, 6), t3.Shape);
        Assert.Equal(new Shape(2, 0), K.Tile(x, [1, 0]).Shape);
        Assert.Equal(new[] { 7, 7, 7 }, K.Tile(K.Constant(7, DType.Int32), 3).ToArray<int>());
        Assert.Throws<KerasValueException>(() => K.Tile(x, [-1, 2]));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Stack_inserts_an_axis_and_promotes(string backend)
    {
        using var _ = Backend.Use(backend);
        var a = Range(DType.Int32, 2, 3);
        var b = K.Ones([2, 3], DType.Float32);
        var s0 = K.Stack([a, b]);
        Assert.Equal(new Shape(2, 2, 3), s0.Shape);
        Assert.Equal(DType.Float32, s0.DType);
        var s1 = K.Stack([a, a], axis: -1);
        Assert.Equal(new Shape(2, 3, 2), s1.Shape);
        Assert.Equal(new[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 }, s1.ToArray<int>());
        var s2 = K.Stack([a, a + 10], axis: 1);
        Assert.Equal(new[] { 0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15 }, s2.ToArray<int>());
        Assert.Equal(new Shape(3), K.Stack([K.Constant(1.0), K.Constant(2.0), K.Constant(3.0)]).Shape);
        Assert.Throws<KerasValueException>(() => K.Stack([a, K.Ones([3, 2])]));
        Assert.Throws<KerasValueException>(() => K.Stack([]));
        Assert.Throws<KerasValueException>(() => K.Stack([a], axis: 3));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Reverse_flips_the_axes(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Range(DType.Float64, 2, 3);
        Assert.Equal(new[] { 2.0, 1, 0, 5, 4, 3 }, K.Reverse(x, -1).ToArray<double>());
        Assert.Equal(new[] { 3.0, 4, 5, 0, 1, 2 }, K.Reverse(x, 0).ToArray<double>());
        Assert.Equal(new[] { 5.0, 4, 3, 2, 1, 0 }, K.Reverse(x, [0, 1]).ToArray<double>());
        Assert.Equal(new[] { 5.0, 4, 3, 2, 1, 0 }, K.Reverse(x, (int[]?)null).ToArray<double>());
        Assert.Throws<KerasValueException>(() => K.Reverse(x, [0, 0]));
        Assert.Throws<KerasValueException>(() => K.Reverse(x, 2));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Permute_dimensions_matches_numpy_transpose(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Range(DType.Int64, 2, 3, 4);
        var y = K.PermuteDimensions(x, [2, 0, 1]);
        Assert.Equal(new Shape(4, 2, 3), y.Shape);
        var got = y.ToArray<long>();
        for (int i = 0; i < 4; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 3; k++)
            Assert.Equal(j * 12 + k * 4 + i, got[(i * 2 + j) * 3 + k]);
        var e = Assert.Throws<KerasValueException>(() => K.PermuteDimensions(x, [0, 1]));
        Assert.Equal("pattern", e.ParamName);
        Assert.Throws<KerasValueException>(() => K.PermuteDimensions(x, [0, 1, 1]));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Gather_takes_rows_and_wraps_negative_indices(string backend)
    {
        using var _ = Backend.Use(backend);
        var r = K.Constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var g = K.Gather(r, K.Constant(new[] { 0, 1, 0 }, DType.Int32));
        Assert.Equal(new Shape(3, 3), g.Shape);
        Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6, 1, 2, 3 }, g.ToArray<float>());
        var g2 = K.Gather(r, K.Constant(new long[,] { { -1 }, { 0 } }, DType.Int64));
        Assert.Equal(new Shape(2, 1, 3), g2.Shape);
        Assert.Equal(new[] { 4f, 5, 6, 1, 2, 3 }, g2.ToArray<float>());
        Assert.Equal(new Shape(3), K.Gather(r, K.Constant(1, DType.Int32)).Shape);
        Assert.Equal(new Shape(0, 3), K.Gather(r, K.Zeros([0], DType.Int32)).Shape);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Gather_errors_are_typed(string backend)
    {
        using var _ = Backend.Use(backend);
        var r = K.Constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var e = Assert.Throws<KerasIndexException>(() => K.Gather(r, K.Constant(new[] { 0, 2 }, DType.Int32)));
        Assert.Equal("indices", e.ParamName);
        Assert.Contains("2", e.Message);
        Assert.Throws<KerasIndexException>(() => K.Gather(r, K.Constant(new[] { -3 }, DType.Int32)));
        Assert.Throws<KerasTypeException>(() => K.Gather(r, K.Constant(new[] { 0.0 })));
        Assert.Throws<KerasValueException>(() => K.Gather(K.Constant(1.0), K.Constant(0, DType.Int32)));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Switch_selects_with_a_right_padded_condition(string backend)
    {
        using var _ = Backend.Use(backend);
        var then = K.Constant(new float[,] { { 1, 2 }, { 3, 4 } });
        var els = K.Constant(new float[,] { { -1, -2 }, { -3, -4 } });
        var c = K.Constant(new[] { true, false }, DType.Bool);
        Assert.Equal(new[] { 1f, 2, -3, -4 }, K.Switch(c, then, els).ToArray<float>());
        var full = K.Constant(new[,] { { 1, 0 }, { 0, 2 } }, DType.Int32);
        Assert.Equal(new[] { 1f, -2, -3, 4 }, K.Switch(full, then, els).ToArray<float>());
        Assert.Equal(new[] { 8.0 }, K.Switch(K.Constant(1.0), K.Constant(8.0), K.Constant(9.0)).ToDoubleArray());
        Assert.Equal(new[] { 9.0 }, K.Switch(K.Constant(0.0), K.Constant(8.0), K.Constant(9.0)).ToDoubleArray());
        var nan = K.Switch(K.Constant(new[] { double.NaN, 0 }), K.Constant(new[] { 1.0, 1 }), K.Constant(new[] { 2.0, 2 }));
        Assert.Equal(new[] { 1f, 2 }, nan.ToArray<float>());
        var e = Assert.Throws<KerasValueException>(() => K.Switch(K.Ones([2, 2, 2]), then, els));
        Assert.Equal("condition", e.ParamName);
        Assert.Throws<KerasValueException>(() => K.Switch(K.Ones([3]), then, els));
    }

    [Fact]
    public void Symbolic_shapes_propagate_unknown_dimensions()
    {
        var x = K.Placeholder([null, 3, 4]);
        Assert.Equal(new Shape(-1, 12), K.Reshape(x, [-1, 12]).Shape);
        Assert.Equal(new Shape(3, -1), K.Reshape(x, [3, -1]).Shape);
        Assert.Equal(new Shape(-1, 3, 1, 4), K.ExpandDims(x, 2).Shape);
        Assert.Equal(new Shape(4, -1, 3), K.PermuteDimensions(x, [2, 0, 1]).Shape);
        Assert.Equal(new Shape(5, 6, 3, 4), K.Gather(x, K.Placeholder([5, 6], dtype: DType.Int32)).Shape);
        Assert.Equal(new Shape(2, -1, 3, 4), K.Stack([x, x]).Shape);
        Assert.Equal(new Shape(-1, 6, 4), K.Tile(x, [1, 2, 1]).Shape);
    }
}
