using CsCheck;
using KerasBackend.Graph;
using static KerasBackend.Conformance.Ops.OpsTestKit;

namespace KerasBackend.Conformance.Ops;

/// <summary>sum, prod, max, min, mean, var, std, cumsum, cumprod and softmax: literal values (Keras' own test
/// cases), numpy's special-value and empty-axis results, cpu against the numpy reference over random shapes,
/// axes and dtypes (rank 0..5), the parallel paths, errors and symbolic shape inference.</summary>
public class ReductionTests
{
    private static readonly double Inf = double.PositiveInfinity, NaN = double.NaN;

    private delegate Tensor Red(Tensor x, int[]? axis, bool keepdims);

    private static readonly (string Name, Red Op)[] Folds =
    [
        ("sum", (x, a, k) => K.Sum(x, a, k)), ("prod", (x, a, k) => K.Prod(x, a, k)),
        ("max", (x, a, k) => K.Max(x, a, k)), ("min", (x, a, k) => K.Min(x, a, k)),
        ("mean", (x, a, k) => K.Mean(x, a, k)), ("var", (x, a, k) => K.Var(x, a, k)), ("std", (x, a, k) => K.Std(x, a, k)),
    ];

    private static Tensor Iota(DType d, params int[] shape)
    {
        int n = 1; foreach (var s in shape) n *= s;
        return Make(d, shape, Enumerable.Range(0, n).Select(i => (double)i).ToArray());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Axis_lists_negative_axes_and_keepdims(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Iota(DType.Float64, 2, 3, 4);
        var mx = K.Max(x, [1, -1]);
        Assert.Equal(new Shape(2), mx.Shape);
        AssertValues([11, 23], mx);
        var mn = K.Min(x, 1, keepdims: true);
        Assert.Equal(new Shape(2, 1, 4), mn.Shape);
        AssertValues([0, 1, 2, 3, 12, 13, 14, 15], mn);
        AssertValues([11.5], K.Mean(x));
        AssertValues([1.5, 5.5, 9.5, 13.5, 17.5, 21.5], K.Mean(x, -1));
        AssertValues([0 * 12, 1 * 13, 2 * 14, 3 * 15, 4 * 16, 5 * 17, 6 * 18, 7 * 19, 8 * 20, 9 * 21, 10 * 22, 11 * 23], K.Prod(x, 0));
        AssertValues(Enumerable.Repeat(36.0, 12).ToArray(), K.Var(x, 0));
        AssertValues(Enumerable.Repeat(6.0, 12).ToArray(), K.Std(x, [0]));
        var kd = K.Sum(x, null, keepdims: true);
        Assert.Equal(new Shape(1, 1, 1), kd.Shape);
        AssertValues([276], kd);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Var_and_std_are_population_and_ints_give_floatx(string backend)
    {
        using var _ = Backend.Use(backend);
        var i = Make(DType.Int32, [4], 1, 2, 3, 4);
        var v = K.Var(i);
        Assert.Equal(DType.Float32, v.DType);
        AssertValues([1.25], v);
        AssertValues([Math.Sqrt(1.25)], K.Std(i));
        Assert.Equal(DType.Float32, K.Mean(Make(DType.Bool, [2], 1, 0)).DType);
        AssertValues([0.5], K.Mean(Make(DType.Bool, [2], 1, 0)));
        Assert.Equal(DType.Int32, K.Prod(Make(DType.Int8, [2], 100, 100)).DType);
        AssertValues([10000], K.Prod(Make(DType.Int8, [2], 100, 100)));
        Assert.Equal(DType.Int8, K.Max(Make(DType.Int8, [2], -100, -128)).DType);
        AssertValues([-128], K.Min(Make(DType.Int8, [2], -100, -128)));
        // A large offset must not destroy the variance (two-pass, not E[x²] - E[x]²).
        AssertValues([2.0 / 3], K.Var(Make(DType.Float32, [3], 1e6 + 1, 1e6 + 2, 1e6 + 3)), rtol: 1e-5);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Special_values_propagate_like_numpy(string backend)
    {
        using var _ = Backend.Use(backend);
        foreach (var d in Floats)
        {
            var x = Make(d, [2, 3], 1, NaN, 3, -Inf, 2, Inf);
            AssertValues([NaN, Inf], K.Max(x, 1));
            AssertValues([NaN, -Inf], K.Min(x, 1));
            AssertValues([NaN, NaN], K.Sum(x, 1));
            AssertValues([NaN, NaN], K.Var(x, 1));
            AssertValues([1, NaN, Inf], K.Max(x, 0));
            AssertValues([-Inf, NaN, 3], K.Min(x, 0));
            AssertValues([NaN], K.Std(Make(d, [2], 0, Inf)));
            Assert.Equal(d, K.Max(x).DType);
            Assert.Equal(d, K.Mean(x).DType);
        }
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Rank0_and_empty_dimensions_follow_numpy(string backend)
    {
        using var _ = Backend.Use(backend);
        var s = Make(DType.Float32, [], 3);
        foreach (var (name, op) in Folds)
        {
            var r = op(s, null, false);
            Assert.Equal(Shape.Scalar, r.Shape);
            AssertValues([name switch { "var" or "std" => 0, _ => 3 }], r);
        }
        var e = Make(DType.Float32, [0, 3]);
        AssertValues([0, 0, 0], K.Sum(e, 0));
        AssertValues([1, 1, 1], K.Prod(e, 0));
        AssertValues([NaN, NaN, NaN], K.Mean(e, 0));
        AssertValues([NaN, NaN, NaN], K.Var(e, 0));
        AssertValues([NaN, NaN, NaN], K.Std(e, 0));
        Assert.Equal(new Shape(0), K.Max(e, 1).Shape);
        Assert.Equal(new Shape(0, 1), K.Min(e, 1, keepdims: true).Shape);
        Assert.Equal(new Shape(0), K.Max(Make(DType.Float32, [2, 0, 3]), [0, 2]).Shape);
        AssertValues([0], K.Sum(Make(DType.Int32, [0])));
        Assert.Equal(new Shape(0, 3), K.Cumsum(e).Shape);
    }

    [Fact]
    public void Max_and_min_of_an_empty_reduction_are_value_errors()
    {
        var e = Assert.Throws<KerasValueException>(() => K.Max(Make(DType.Float32, [0, 3]), 0));
        Assert.Equal("max", e.Op);
        Assert.Equal("x", e.ParamName);
        Assert.Contains("zero-size array to reduction operation maximum which has no identity", e.Message);
        Assert.Contains("x.shape=(0, 3)", e.Message);
        var m = Assert.Throws<KerasValueException>(() => K.Min(Make(DType.Int32, [0])));
        Assert.Contains("minimum", m.Message);
        var a = Assert.Throws<KerasValueException>(() => K.Mean(K.Ones([2, 3]), [0, 2]));
        Assert.Equal("axis", a.ParamName);
        Assert.Contains("axis=[0, 2], x.shape=(2, 3)", a.Message);
        Assert.Throws<KerasValueException>(() => K.Var(K.Ones([2, 3]), [1, -1]));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Cumsum_and_cumprod_default_to_axis_0(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Make(DType.Float32, [4, 2], 1, 2, 3, 4, 5, 6, 7, 8);
        AssertValues([1, 2, 4, 6, 9, 12, 16, 20], K.Cumsum(x));
        AssertValues([1, 3, 3, 7, 5, 11, 7, 15], K.Cumsum(x, 1));
        AssertValues([1, 2, 3, 8, 15, 48, 105, 384], K.Cumprod(x));
        AssertValues([1, 2, 3, 12, 5, 30, 7, 56], K.Cumprod(x, -1));
        var b = K.Cumsum(Make(DType.Bool, [3], 1, 1, 0));
        Assert.Equal(DType.Int32, b.DType);
        AssertValues([1, 2, 2], b);
        var h = K.Cumprod(Make(DType.Float16, [3], 2, NaN, 3));
        Assert.Equal(DType.Float16, h.DType);
        AssertValues([2, NaN, NaN], h);
        var e = Assert.Throws<KerasValueException>(() => K.Cumsum(Make(DType.Float32, [], 1)));
        Assert.Equal("cumsum", e.Op);
        Assert.Contains("x.shape=()", e.Message);
        var ax = Assert.Throws<KerasValueException>(() => K.Cumprod(x, 2));
        Assert.Equal("axis", ax.ParamName);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Softmax_is_stable_for_large_inputs(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Make(DType.Float32, [2, 3], 1000, 1001, 1002, -1e30f, 0, 1e30f);
        var s = K.Softmax(x);
        AssertValues([0.09003057, 0.24472847, 0.66524096, 0, 0, 1], s, rtol: 1e-6);
        var cols = K.Softmax(Make(DType.Float64, [2, 2], 0, 1, Math.Log(3), NaN), 0);
        AssertValues([0.25, NaN, 0.75, NaN], cols, rtol: 1e-12);
        var ints = K.Softmax(Make(DType.Int32, [1, 2], 0, 0));
        Assert.Equal(DType.Float32, ints.DType);
        AssertValues([0.5, 0.5], ints);
        var h = K.Softmax(Make(DType.Float16, [1, 3], 60000, 60000, -60000));
        Assert.Equal(DType.Float16, h.DType);
        AssertValues([0.5, 0.5, 0], h);
        AssertValues([NaN, NaN], K.Softmax(Make(DType.Float32, [1, 2], -Inf, -Inf)));
    }

    [Fact]
    public void Softmax_rejects_rank_below_2_like_tf_keras()
    {
        var e = Assert.Throws<KerasValueException>(() => K.Softmax(K.Ones([3])));
        Assert.Equal("softmax", e.Op);
        Assert.Contains("1D", e.Message);
        Assert.Contains("x.shape=(3,)", e.Message);
        Assert.Throws<KerasValueException>(() => K.Softmax(Make(DType.Float32, [], 1)));
        Assert.Equal("axis", Assert.Throws<KerasValueException>(() => K.Softmax(K.Ones([2, 3]), 2)).ParamName);
    }

    private static (double rtol, double atol) Tol(string op, DType output) => output switch
    {
        DType.Float16 => (3e-3, 2e-2),
        DType.Float32 => op is "var" or "std" ? (1e-4, 1e-5) : (1e-5, 1e-5),
        DType.Float64 => (1e-11, 1e-11),
        _ => (0, 0),
    };

    [Fact]
    public void Cpu_matches_numpy_on_random_reductions() => RandomReductions(Shapes, 600);

    [Fact]
    public void Cpu_matches_numpy_on_random_reductions_with_long_runs() =>
        // Dimensions up to 20 so that merged runs are long enough for the span (vector) paths, not only the short-run fold.
        RandomReductions(Gen.Int[1, 3].SelectMany(r => Gen.Int[0, 20].Array[r]), 300);

    private static void RandomReductions(Gen<int[]> shapes, int iter)
    {
        // prod draws from [-1.1, 1.1]: long products then drift steadily toward 0 instead of wandering across the
        // float32 overflow threshold, where float32 partial products (any order) and a float64 reference may part.
        var cases = Gen.Select(Gen.OneOf(Numeric), shapes, Gen.Bool, Gen.Int[0, Folds.Length - 1])
            .SelectMany((d, s, k, f) => Gen.Select(TensorOf(d, s, special: Folds[f].Name != "prod", range: Folds[f].Name == "prod" ? 1.1 : 3), AxesOf(s.Length)).Select(p => (p.Item1, p.Item2, k, f)));
        cases.Sample(((Tensor x, int[]? axes, bool keep, int f) c) =>
        {
            var (name, op) = Folds[c.f];
            Tensor want;
            try { want = On("numpy", () => op(c.x, c.axes, c.keep)); }
            catch (KerasValueException) { Assert.Throws<KerasValueException>(() => On("cpu", () => op(c.x, c.axes, c.keep))); return; }
            var got = On("cpu", () => op(c.x, c.axes, c.keep));
            var (rtol, atol) = Tol(name, want.DType);
            // Accumulation order differs (float32 vectors vs double); scale the tolerance by the reduced count.
            atol *= Math.Max(1, c.x.Size);
            AssertClose(want, got, rtol, atol, $"{name}({c.x.DType.Name()} {c.x.Shape}, axis={Format.Py(c.axes)}, keepdims={c.keep})");
        }, iter: iter);
    }

    [Fact]
    public void Cpu_matches_numpy_on_random_scans_and_softmax()
    {
        var cases = Gen.Select(Gen.OneOf(Numeric), Gen.Int[1, 5].SelectMany(r => Gen.Int[0, 4].Array[r]), Gen.Int[-5, 4])
            .SelectMany((d, s, a) => TensorOf(d, s, special: true).Select(t => (t, a % s.Length)));
        cases.Sample(((Tensor x, int axis) c) =>
        {
            var ops = new (string, Func<Tensor>)[] { ("cumsum", () => K.Cumsum(c.x, c.axis)), ("cumprod", () => K.Cumprod(c.x, c.axis)) };
            foreach (var (name, op) in c.x.Rank >= 2 ? ops.Append(("softmax", () => K.Softmax(c.x, c.axis))) : ops)
            {
                var want = On("numpy", op);
                var (rtol, atol) = Tol(name, want.DType);
                AssertClose(want, On("cpu", op), rtol * 10, atol, $"{name}({c.x.DType.Name()} {c.x.Shape}, axis={c.axis})");
            }
        }, iter: 400);
    }

    public static TheoryData<int[]?> LargeAxes => new() { null, new[] { 0 }, new[] { 1 }, new[] { 2 }, new[] { 0, 2 }, new[] { 1, 2 }, new[] { 0, 1 } };

    [Theory, MemberData(nameof(LargeAxes))]
    public void Parallel_paths_agree_with_numpy(int[]? axes)
    {
        // 64·50·48 = 153600 elements: above the two-core threshold, for every pattern of kept/reduced axes.
        var rnd = new Random(11);
        var v = Enumerable.Range(0, 64 * 50 * 48).Select(_ => rnd.NextDouble() * 2 - 1).ToArray();
        var x = Make(DType.Float32, [64, 50, 48], v);
        foreach (var (name, op) in Folds)
        {
            if (name == "prod") continue;
            var want = On("numpy", () => op(x, axes, false));
            AssertClose(want, On("cpu", () => op(x, axes, false)), 1e-4, 2e-4, $"{name} axis={Format.Py(axes)}");
        }
        var xi = Make(DType.Int64, [64, 50, 48], v.Select(d => Math.Round(d * 100)).ToArray());
        AssertClose(On("numpy", () => K.Prod(K.Cast(K.Cast(xi, DType.Bool), DType.Int64), axes)), On("cpu", () => K.Prod(K.Cast(K.Cast(xi, DType.Bool), DType.Int64), axes)), 0, 0, "prod");
        AssertClose(On("numpy", () => K.Sum(xi, axes)), On("cpu", () => K.Sum(xi, axes)), 0, 0, "int64 sum");
        if (axes is { Length: 1 })
        {
            int a = axes[0];
            AssertClose(On("numpy", () => K.Cumsum(x, a)), On("cpu", () => K.Cumsum(x, a)), 1e-5, 1e-4, $"cumsum {a}");
            AssertClose(On("numpy", () => K.Softmax(x, a)), On("cpu", () => K.Softmax(x, a)), 1e-5, 1e-7, $"softmax {a}");
        }
        var flat = Make(DType.Float64, [v.Length], v);
        AssertClose(On("numpy", () => K.Cumsum(flat)), On("cpu", () => K.Cumsum(flat)), 1e-12, 1e-10, "cumsum 1-D");
    }

    [Fact]
    public void Symbolic_inputs_infer_shape_and_dtype()
    {
        var p = GraphBuilder.Placeholder(new Shape(Shape.Unknown, 3, 4), DType.Int16, "p");
        Assert.Equal(new Shape(Shape.Unknown, 1, 4), K.Max(p, 1, keepdims: true).Shape);
        Assert.Equal(DType.Int16, K.Max(p).DType);
        Assert.Equal(new Shape(Shape.Unknown), K.Mean(p, [-1, 1]).Shape);
        Assert.Equal(DType.Float32, K.Var(p, 0).DType);
        Assert.Equal(new Shape(3, 4), K.Std(p, 0).Shape);
        Assert.Equal(DType.Int32, K.Prod(p).DType);
        Assert.Equal(Shape.Scalar, K.Prod(p).Shape);
        Assert.Equal(new Shape(Shape.Unknown, 3, 4), K.Cumsum(p).Shape);
        Assert.Equal(DType.Int32, K.Cumprod(p, 2).DType);
        var s = K.Softmax(p, 1);
        Assert.Equal(DType.Float32, s.DType);
        Assert.Equal(new Shape(Shape.Unknown, 3, 4), s.Shape);
        // An unknown reduced dimension cannot be proven empty: max/min are accepted until values arrive.
        Assert.True(K.Max(p, 0).IsSymbolic);
        Assert.True(K.Max(GraphBuilder.Placeholder(new Shape(Shape.Unknown, 0), DType.Float32, "u"), 1).IsSymbolic);
        Assert.Throws<KerasValueException>(() => K.Min(GraphBuilder.Placeholder(new Shape(3, 0), DType.Float32, "e"), 1));
        Assert.Throws<KerasValueException>(() => K.Softmax(GraphBuilder.Placeholder(new Shape(Shape.Unknown), DType.Float32, "v")));
    }
}
