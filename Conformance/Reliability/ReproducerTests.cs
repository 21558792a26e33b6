namespace KerasBackend.Conformance.Reliability;

/// <summary>
/// Every reproducer of the reliability issue (hostile input through the public API) as a test: each now ends in
/// a typed Keras error naming the op, or in the right result — never a wrong result, a .NET exception or a crash.
/// </summary>
public sealed class ReproducerTests
{
    public static TheoryData<string> Backends => new() { "cpu", "numpy" };

    private static KerasValueException Refused(Func<object?> call, string op)
    {
        var e = Assert.ThrowsAny<KerasValueException>(() => call());
        Assert.Equal(op, e.Op);
        Assert.StartsWith(op + ":", e.Reason);
        return e;
    }

    [Theory, MemberData(nameof(Backends))]
    public void Element_counts_that_overflow_are_refused_naming_the_op_and_shape(string backend)
    {
        using var _ = Backend.Use(backend);
        // 65536^4 = 2^64 wrapped to 0 elements; 65536^5 wraps the same way.
        var e = Refused(() => K.Ones([65536, 65536, 65536, 65536]), "ones");
        Assert.Contains("(65536, 65536, 65536, 65536)", e.Message);
        Assert.Contains("too big", e.Message);
        Refused(() => K.Zeros([65536, 65536, 65536, 65536, 65536]), "zeros");
        Refused(() => K.Ones([int.MaxValue, int.MaxValue, int.MaxValue]), "ones");
        // Empty, but the strides of the other dimensions would not fit: numpy refuses it too.
        Refused(() => K.Zeros([0, int.MaxValue, int.MaxValue]), "zeros");
        Refused(() => K.Eye([65536, 65536]), "eye");
        Refused(() => K.RandomUniform([65536, 65536, 65536, 65536], seed: 1), "random_uniform");
    }

    [Theory, MemberData(nameof(Backends))]
    public void Shape_rules_that_multiply_or_add_dimensions_never_wrap(string backend)
    {
        using var _ = Backend.Use(backend);
        // 3 * 1431655766 = 2^32 + 2 wrapped to a shape (2,) before; 2 * (2^31 - 1) wrapped negative.
        Refused(() => K.Tile(K.Ones([3]), [1431655766]), "tile");
        Refused(() => K.Tile(K.Ones([2]), [int.MaxValue]), "tile");
        var big = K.Placeholder([int.MaxValue]);
        Assert.Equal(int.MaxValue, K.Concatenate([big, big]).Shape[0]); // saturated, not wrapped
        // Reshape to a shape whose product wraps (2^64 = 0 mod 2^64) does not match an empty tensor.
        Refused(() => K.Reshape(K.Zeros([0]), [65536, 65536, 65536, 65536, 0]), "reshape");
    }

    [Fact]
    public void The_size_limit_is_exact_for_every_dtype_and_checked_without_allocating()
    {
        foreach (var d in DTypes.All)
        {
            long atLimit = Shape.MaxBytes / d.ItemSize();
            Assert.True(atLimit <= int.MaxValue);
            // At the limit: accepted (no buffer is made by the check); one more element: refused.
            Assert.Equal((int)atLimit, new Shape((int)atLimit).CheckConcrete(d, "zeros"));
            var e = Assert.Throws<KerasValueException>(() => new Shape((int)atLimit + 1).CheckConcrete(d, "zeros"));
            Assert.Contains(Shape.MaxBytes.ToString(), e.Message);
            // The same bytes as two dimensions.
            Assert.Throws<KerasValueException>(() => new Shape(2, (int)(atLimit / 2) + 1).CheckConcrete(d, "zeros"));
        }
        Assert.Equal(2_147_483_591L, Shape.MaxBytes);
        Assert.Equal(Array.MaxLength, Shape.MaxBytes);
    }

    [Fact]
    public void Tensors_of_2_GiB_or_more_are_refused_before_allocation()
    {
        // K.Zeros of 4 GiB cleared only part of its buffer; Npy.Save of 2 GiB crashed. Now neither tensor can exist.
        long before = GC.GetTotalAllocatedBytes();
        Refused(() => K.Zeros([1 << 30], DType.Float32), "zeros");
        Refused(() => K.Ones([1 << 28, 2], DType.Float64), "ones");
        Refused(() => K.Zeros([int.MaxValue], DType.Bool), "zeros");
        Assert.Throws<KerasValueException>(() => new Tensor(DType.Int64, new Shape(1 << 28)));
        Assert.True(GC.GetTotalAllocatedBytes() - before < 64 << 20, "a refused tensor must not allocate its buffer");
    }

    public static TheoryData<string, Func<object?>> UndefinedDTypeCalls => new()
    {
        { "zeros", () => K.Zeros([2], (DType)9) },
        { "ones", () => K.Ones([2], (DType)200) },
        { "eye", () => K.Eye([2], (DType)9) },
        { "cast", () => K.Cast(K.Ones([2]), (DType)9) },
        { "constant", () => K.Constant(1.0, (DType)9) },
        { "zeros_like", () => K.ZerosLike(K.Ones([2]), (DType)9) },
        { "ones_like", () => K.OnesLike(K.Ones([2]), (DType)9) },
        { "variable", () => K.Variable(1.0, (DType)9) },
        { "placeholder", () => K.Placeholder([2], dtype: (DType)9) },
        { "random_uniform", () => K.RandomUniform([2], dtype: (DType)255, seed: 1) },
        { "tensor", () => new Tensor((DType)9, new Shape(2)) },
    };

    [Theory, MemberData(nameof(UndefinedDTypeCalls))]
    public void Undefined_dtype_values_are_a_type_error_naming_the_op(string op, Func<object?> call)
    {
        var e = Assert.Throws<KerasTypeException>(() => call());
        Assert.Equal(op, e.Op);
        Assert.Contains("invalid dtype", e.Message);
        Assert.Contains("(DType)", e.Message);
    }

    [Theory, MemberData(nameof(Backends))]
    public void Reducing_a_rank_0_tensor_over_an_axis_is_a_value_error(string backend)
    {
        using var _ = Backend.Use(backend);
        var s = K.Constant(1f);
        foreach (var (op, f) in new (string, Func<Tensor>)[]
        {
            ("sum", () => K.Sum(s, 0)), ("mean", () => K.Mean(s, 0)), ("max", () => K.Max(s, 0)), ("min", () => K.Min(s, 0)),
            ("prod", () => K.Prod(s, 0)), ("std", () => K.Std(s, 0)), ("var", () => K.Var(s, -1)),
        })
            Assert.Equal(op, Assert.ThrowsAny<KerasValueException>(f).Op);
        Assert.Equal(1f, K.Sum(s).ToArray<float>()[0]); // axis=None still reduces a scalar to itself
    }

    [Fact]
    public void A_placeholder_of_absurd_rank_is_a_value_error()
    {
        Refused(() => K.Placeholder(ndim: int.MaxValue), "placeholder");
        Refused(() => K.Placeholder(ndim: Shape.MaxRank + 1), "placeholder");
        Assert.Equal(Shape.MaxRank, K.Placeholder(ndim: Shape.MaxRank).Rank);
        Refused(() => K.Zeros(Enumerable.Repeat(1, 100_000).ToArray()), "zeros");
    }

    [Theory]
    [InlineData(DType.Bool)]
    [InlineData(DType.Int8)]
    [InlineData(DType.Int32)]
    public void Moving_average_update_of_a_non_float_variable_is_a_type_error(DType dtype)
    {
        var v = K.Variable(K.Ones([3], dtype), dtype);
        var e = Assert.Throws<KerasTypeException>(() => K.MovingAverageUpdate(v, K.Zeros([3], dtype), 0.9));
        Assert.Equal("moving_average_update", e.Op);
        Assert.Contains(dtype.Name(), e.Message);
    }

    [Fact]
    public void An_open_generic_type_named_as_backend_is_a_configuration_error()
    {
        var asm = typeof(OpenGenericBackend<>).Assembly.Location;
        var e = Assert.Throws<KerasConfigException>(() => Backend.Create($"{asm}:{typeof(OpenGenericBackend<>).FullName}"));
        Assert.Contains("open generic", e.Message);
    }

    [Fact]
    public void Shape_indexes_from_the_end_and_keeps_rank_apart_from_size()
    {
        var s = new Shape(2, 3, 4);
        Assert.Equal(3, s.Rank);
        Assert.Equal(3, s.Count);
        Assert.Equal(24, s.Size);
        Assert.Equal(24, s.ElementCount);
        Assert.Equal(4, s[^1]);
        Assert.Equal(2, s[^3]);
        Assert.Equal(4, s[-1]);
        Assert.Equal(new Shape(3, 4), s[1..]);
        Assert.Equal(new Shape(2), s[..^2]);
        Assert.Throws<KerasIndexException>(() => s[^4]);
        Assert.Throws<KerasIndexException>(() => s[3]);
        Assert.Equal(Shape.Scalar, Shape.Scalar[0..]);
        // A size past long is an error, not a wrapped number.
        Assert.Throws<KerasValueException>(() => new Shape(65536, 65536, 65536, 65536).Size);
        Assert.Equal(-1, new Shape(Shape.Unknown, 3).Size);
    }
}

/// <summary>A backend type that cannot be instantiated: an open generic.</summary>
public sealed class OpenGenericBackend<T>() : DelegatingBackend(Backend.Create("cpu"));
