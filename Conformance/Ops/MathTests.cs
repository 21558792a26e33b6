using CsCheck;
using KerasBackend.Graph;
using static KerasBackend.Conformance.Ops.OpsTestKit;

namespace KerasBackend.Conformance.Ops;

/// <summary>abs, log, sqrt, square, pow, maximum, minimum: literal values and special values on every backend,
/// cpu against the numpy reference over random dtypes/shapes, errors and symbolic shape inference.</summary>
public class MathTests
{
    private static readonly double Inf = double.PositiveInfinity, NaN = double.NaN;
    private static readonly double[] Special = [-2, -0.0, 0, 4, NaN, Inf, -Inf];

    public static TheoryData<string, DType> BackendsAndFloats()
    {
        var d = new TheoryData<string, DType>();
        foreach (var b in new[] { "cpu", "numpy" }) foreach (var f in Floats) d.Add(b, f);
        return d;
    }

    [Theory, MemberData(nameof(BackendsAndFloats))]
    public void Unary_ops_give_numpys_special_values(string backend, DType dtype)
    {
        using var _ = Backend.Use(backend);
        var x = Make(dtype, [7], Special);
        AssertValues([2, 0, 0, 4, NaN, Inf, Inf], K.Abs(x));
        // tf-keras backend.py sqrt clips negatives to 0 first: sqrt(-2) and sqrt(-inf) are 0, not NaN.
        AssertValues([0, -0.0, 0, 2, NaN, Inf, 0], K.Sqrt(x));
        AssertValues([NaN, -Inf, -Inf, Math.Log(4), NaN, Inf, NaN], K.Log(x), rtol: 1e-3);
        AssertValues([4, 0, 0, 16, NaN, Inf, Inf], K.Square(x));
        Assert.Equal(dtype, K.Abs(x).DType);
        Assert.Equal(dtype, K.Log(x).DType);
        Assert.True(double.IsNegative(K.Sqrt(x).GetDouble(1)), "sqrt(-0) is -0");
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Integer_abs_and_square_wrap_like_numpy(string backend)
    {
        using var _ = Backend.Use(backend);
        var i8 = Make(DType.Int8, [4], -128, -5, 7, 0);
        AssertValues([-128, 5, 7, 0], K.Abs(i8));
        Assert.Equal(DType.Int8, K.Abs(i8).DType);
        AssertValues([0, 25, 49, 0], K.Square(i8));
        var i32 = Make(DType.Int32, [3], int.MinValue, -3, 50000);
        AssertValues([int.MinValue, 3, 50000], K.Abs(i32));
        AssertValues([0, 9, unchecked(50000 * 50000)], K.Square(i32));
        var ints = Make(DType.Int32, [2], 4, 0);
        Assert.Equal(DType.Float32, K.Sqrt(ints).DType);
        AssertValues([2, 0], K.Sqrt(ints));
        AssertValues([Math.Log(4), -Inf], K.Log(ints), rtol: 1e-6);
        var b = Make(DType.Bool, [2], 1, 0);
        Assert.Equal(DType.Bool, K.Abs(b).DType);
        Assert.Equal(DType.Int32, K.Square(b).DType);
        AssertValues([1, 0], K.Square(b));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Pow_follows_numpy_power(string backend)
    {
        using var _ = Backend.Use(backend);
        var f = Make(DType.Float32, [5], 2, -8, 0, NaN, 1);
        AssertValues([8, -512, 0, NaN, 1], K.Pow(f, 3));
        AssertValues([Math.Sqrt(2), NaN, 0, NaN, 1], K.Pow(f, 0.5), rtol: 1e-6);
        AssertValues([1, 1, 1, 1, 1], K.Pow(f, 0));
        AssertValues([0.5, -0.125, Inf, NaN, 1], K.Pow(f, -1));
        Assert.Equal(1.0, K.Pow(Make(DType.Float64, [1], 1), NaN).GetDouble(0));
        var h = K.Pow(Make(DType.Float16, [2], 3, -2), 2);
        Assert.Equal(DType.Float16, h.DType);
        AssertValues([9, 4], h);

        var i = Make(DType.Int32, [4], 2, 3, -2, 0);
        var p = K.Pow(i, 3);
        Assert.Equal(DType.Int32, p.DType);
        AssertValues([8, 27, -8, 0], p);
        AssertValues([1, 1, 1, 1], K.Pow(i, 0));
        AssertValues([32, -13], K.Pow(Make(DType.Int8, [2], 2, 3), 5));
        AssertValues([0], K.Pow(Make(DType.Int8, [1], 2), 8));
        AssertValues([1L << 62, 1], K.Pow(Make(DType.Int64, [2], 2, 1), 62));
        AssertValues([0], K.Pow(Make(DType.Int64, [1], 2), 64));
        var half = K.Pow(i, 0.5);
        Assert.Equal(DType.Float32, half.DType);
        AssertValues([Math.Sqrt(2), Math.Sqrt(3), NaN, 0], half, rtol: 1e-6);
        var bp = K.Pow(Make(DType.Bool, [2], 1, 0), 2);
        Assert.Equal(DType.Int32, bp.DType);
        AssertValues([1, 0], bp);
    }

    [Fact]
    public void Integers_to_negative_integer_powers_are_a_value_error()
    {
        var e = Assert.Throws<KerasValueException>(() => K.Pow(Make(DType.Int32, [2], 1, 2), -1));
        Assert.Equal("pow", e.Op);
        Assert.Equal("a", e.ParamName);
        Assert.Contains("a=-1", e.Message);
        Assert.Contains("x.dtype=int32", e.Message);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Maximum_and_minimum_broadcast_promote_and_propagate_nan(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Make(DType.Float32, [2, 3], 1, 5, NaN, -Inf, 0, 2);
        var y = Make(DType.Int32, [3], 3, 3, 3);
        var mx = K.Maximum(x, y);
        Assert.Equal(DType.Float32, mx.DType);
        Assert.Equal(new Shape(2, 3), mx.Shape);
        AssertValues([3, 5, NaN, 3, 3, 3], mx);
        AssertValues([1, 3, NaN, -Inf, 0, 2], K.Minimum(x, y));
        // y first: NaN still wins whichever side it is on.
        AssertValues([3, 5, NaN, 3, 3, 3], K.Maximum(y, x));
        var col = Make(DType.Float64, [2, 1], NaN, 1);
        AssertValues([NaN, NaN, NaN, 1, 1, 2], K.Maximum(col, Make(DType.Float64, [3], 0, 1, 2)));
        var b = K.Maximum(Make(DType.Bool, [2], 1, 0), Make(DType.Bool, [2], 0, 0));
        Assert.Equal(DType.Bool, b.DType);
        AssertValues([1, 0], b);
        var i8 = K.Minimum(Make(DType.Int8, [2], -128, 127), Make(DType.Int8, [], 0));
        AssertValues([-128, 0], i8);
        var s = K.Maximum(Make(DType.Float32, [], 2), Make(DType.Float32, [0, 3]));
        Assert.Equal(new Shape(0, 3), s.Shape);
    }

    [Fact]
    public void Maximum_of_incompatible_shapes_is_a_value_error()
    {
        var e = Assert.Throws<KerasValueException>(() => K.Maximum(K.Ones([2, 3]), K.Ones([4])));
        Assert.Equal("maximum", e.Op);
        Assert.Contains("x.shape=(2, 3), y.shape=(4,)", e.Message);
        Assert.Throws<KerasValueException>(() => K.Minimum(K.Ones([2]), K.Ones([3])));
    }

    private static double Rtol(DType d) => d == DType.Float16 ? 2e-3 : d == DType.Float32 ? 2e-6 : 1e-12;

    [Fact]
    public void Cpu_matches_numpy_on_random_unary_inputs()
    {
        Gen.Select(Gen.OneOf(Numeric), Shapes).SelectMany((d, s) => TensorOf(d, s).Select(t => (d, t)))
            .Sample(((DType d, Tensor t) c) =>
            {
                var ops = new (string, Func<Tensor, Tensor>)[]
                {
                    ("abs", K.Abs), ("log", K.Log), ("sqrt", K.Sqrt), ("square", K.Square),
                    ("pow3", x => K.Pow(x, 3)), ("pow0.5", x => K.Pow(x, 0.5)), ("pow-2.5", x => K.Pow(x, -2.5)),
                };
                foreach (var (name, op) in ops)
                    AssertClose(On("numpy", () => op(c.t)), On("cpu", () => op(c.t)), Rtol(K.Log(c.t).DType), 1e-12, $"{name} {c.d.Name()} {c.t.Shape}");
            }, iter: 300);
    }

    [Fact]
    public void Cpu_matches_numpy_on_random_broadcast_pairs()
    {
        // y's shape is a suffix of x's with some dimensions set to 1, or the other way round.
        var pairs = Gen.Select(Gen.OneOf(Numeric), Gen.OneOf(Numeric), Shapes, Gen.Int[0, 5], Gen.Bool.Array[5], Gen.Bool)
            .SelectMany((dx, dy, s, cut, ones, swap) =>
            {
                var tail = s.Skip(Math.Min(cut, s.Length)).Select((v, i) => ones[i] ? 1 : v).ToArray();
                var (sx, sy) = swap ? (tail, s) : (s, tail);
                return Gen.Select(TensorOf(dx, sx), TensorOf(dy, sy));
            });
        pairs.Sample(((Tensor x, Tensor y) p) =>
        {
            var dt = DTypeRules.Promote(p.x, p.y);
            AssertClose(On("numpy", () => K.Maximum(p.x, p.y)), On("cpu", () => K.Maximum(p.x, p.y)), 0, 0, $"maximum {p.x.Shape} {p.x.DType.Name()} {p.y.Shape} {p.y.DType.Name()}");
            AssertClose(On("numpy", () => K.Minimum(p.x, p.y)), On("cpu", () => K.Minimum(p.x, p.y)), 0, 0, $"minimum {p.x.Shape} {p.y.Shape} → {dt.Name()}");
        }, iter: 300);
    }

    [Fact]
    public void Large_inputs_use_both_cores_and_agree_with_numpy()
    {
        // Above the threshold (1 << 17 elements) the cpu kernels split the work; the result must not change.
        int n = 300_001;
        var v = new double[n];
        var rnd = new Random(7);
        for (int i = 0; i < n; i++) v[i] = rnd.NextDouble() * 8 - 4;
        v[12345] = NaN; v[n - 1] = -Inf;
        var x = Make(DType.Float32, [n], v);
        var y = Make(DType.Float32, [1], 0.5);
        foreach (var (name, op) in new (string, Func<Tensor>)[] { ("abs", () => K.Abs(x)), ("log", () => K.Log(x)), ("sqrt", () => K.Sqrt(x)), ("square", () => K.Square(x)), ("max", () => K.Maximum(x, y)) })
            AssertClose(On("numpy", op), On("cpu", op), 2e-6, 0, name);
        var xi = Make(DType.Int32, [n], v.Select(d => double.IsFinite(d) ? Math.Round(d * 1000) : 0).ToArray());
        AssertClose(On("numpy", () => K.Abs(xi)), On("cpu", () => K.Abs(xi)), 0, 0, "int abs");
    }

    [Fact]
    public void Symbolic_inputs_infer_shape_and_dtype()
    {
        var p = GraphBuilder.Placeholder(new Shape(Shape.Unknown, 3), DType.Float16, "p");
        var q = GraphBuilder.Placeholder(new Shape(Shape.Unknown, 1), DType.Int32, "q");
        foreach (var t in new[] { K.Abs(p), K.Square(p), K.Log(p), K.Sqrt(p), K.Pow(p, 2) })
        {
            Assert.True(t.IsSymbolic);
            Assert.Equal(new Shape(Shape.Unknown, 3), t.Shape);
            Assert.Equal(DType.Float16, t.DType);
        }
        Assert.Equal(DType.Float32, K.Log(q).DType);
        Assert.Equal(DType.Int32, K.Pow(q, 2).DType);
        Assert.Equal(DType.Float32, K.Pow(q, 1.5).DType);
        var m = K.Maximum(p, q);
        Assert.Equal(new Shape(Shape.Unknown, 3), m.Shape);
        Assert.Equal(DTypes.Promote(DType.Float16, DType.Int32), m.DType);
        Assert.Throws<KerasValueException>(() => K.Minimum(p, K.Ones([4])));
    }
}
