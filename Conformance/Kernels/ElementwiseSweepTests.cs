using System.Numerics;
using System.Reflection;
using KerasBackend.Backends.Cpu;
using KerasBackend.Backends.Numpy;

namespace KerasBackend.Conformance.Kernels;

/// <summary>
/// Every elementwise operator of the cpu backend, generated over the list below: lengths 0..257 on every vector width
/// (scalar, 128, 256, 512 and the library kernel) against the operator's scalar definition, in place (the output
/// aliasing an input), with streaming stores at every output alignment, broadcast operands, special values (NaN, ±0, ±inf, subnormals, integer extremes), and the
/// backend op against the numpy backend. A new operator struct fails <see cref="Every_operator_has_a_sweep"/> until
/// it has its line here.
/// </summary>
public class ElementwiseSweepTests
{
    private const int MaxLength = 257;

    private static readonly VectorWidth[] Widths = [VectorWidth.Scalar, VectorWidth.Vector128, VectorWidth.Vector256, VectorWidth.Vector512, VectorWidth.Auto];

    /// <summary>One sweep per operator: the operator, the backend method it is wired to, and the tolerance of its
    /// vector and library forms against its scalar form (ulps; 0 is bit-exact) and of the backend against numpy.</summary>
    private static readonly Dictionary<Type, Sweep> Sweeps = new Sweep[]
    {
        Binary<AddOperator>("Add"),
        Binary<SubtractOperator>("Subtract"),
        Binary<MultiplyOperator>("Multiply"),
        Binary<MaximumOperator>("Maximum"),
        Binary<MinimumOperator>("Minimum"),
        FloatBinary<DivideOperator>("Divide"),
        Unary<NegateOperator>("Negative"),
        Unary<AbsOperator>("Abs"),
        Unary<SquareOperator>("Square"),
        FloatUnary<SqrtOperator>("Sqrt"),
        FloatUnary<LogOperator>("Log", ulps: 2, numpyUlps: 2),
        FloatUnary<ExpOperator>("Exp", ulps: 4, numpyUlps: 4),
        FloatUnary<RoundOperator>("Round"),
        Unary<SignOperator>("Sign"),
        FloatUnary<SinOperator>("Sin", ulps: 4, numpyUlps: 4),
        FloatUnary<CosOperator>("Cos", ulps: 4, numpyUlps: 4),
        FloatUnary("Elu", new EluOperator { Alpha = 0.7 }, ulps: 4, numpyUlps: 4, args: [0.7]),
        FloatUnary<SoftplusOperator>("Softplus", ulps: 4, numpyUlps: 8),
        FloatUnary<SoftsignOperator>("Softsign", numpyUlps: 1),
        FloatUnary<HardSigmoidOperator>("HardSigmoid", ulps: 1, numpyUlps: 2),
        // Every step: the threshold (x · 0 below it), the cap and the leak alpha·(t − x) (the plain relu is ReluKernelTests').
        FloatUnary("Relu", new ReluOperator(0.2, 1.5, -0.5), numpyUlps: 1, args: [0.2, 1.5, -0.5]),
        // Bounds with a fractional part, so the integer types run the trunc(lo)/trunc(hi) values the wiring derives.
        Unary("Clip", new ClipOperator { LoEdge = -3, LoValue = -3, HiEdge = 2.5, HiValue = 2.5 }, args: [-3.0, 2.5],
            integerOp: new ClipOperator { LoEdge = -3, LoValue = -3, HiEdge = 2, HiValue = 2 }),
        FloatBinary<BinaryLogitsOperator>("BinaryCrossentropy", ulps: 8, numpyUlps: 8, args: [true], floor: 100),
        FloatBinary<BinaryProbabilitiesOperator>("BinaryCrossentropy", ulps: 8, numpyUlps: 8, args: [false], floor: 100),
        // Keras 3 ops (issue 16). erf: float32 lanes compute in float64 like the scalar form; float64 differs by the vector exp.
        FloatUnary<ErfOperator>("Erf", ulps: 4, numpyUlps: 4),
        FloatUnary<RsqrtOperator>("Rsqrt", numpyUlps: 1), // numpy's backend rounds once from float64; float32 rounds the root, then the quotient
        FloatUnary<FloorOperator>("Floor"),
        FloatUnary<CeilOperator>("Ceil"),
        // Exact on every path (vectors fall back to the scalar form lane by lane where fma(-trunc(x / y), y, x) is not fmod);
        // numpy's backend divides in float64, one float32 ulp away where the quotient exceeds the float32 mantissa.
        Binary<ModOperator>("Mod"),
        Binary<FloorDivideOperator>("FloorDivide", numpyUlps: 1),
        FloatUnary("NanToNum", new NanToNumOperator { Nan = 1.5, PosInf = 7, NegInf = -7 }, args: [1.5, 7.0, -7.0]),
        Binary<LogicalAndOperator>("LogicalAnd"),
        Binary<LogicalOrOperator>("LogicalOr"),
        Unary<LogicalNotOperator>("LogicalNot"),
        // The tanh form (x / (1 + e^(−2u)) with the backend's float32 exp); the erf form runs ErfOperator's vector forms.
        FloatUnary("Gelu", new GeluOperator { Approximate = true }, ulps: 8, numpyUlps: 8, args: [true], floor: 1),
    }.ToDictionary(s => s.Operator);

    /// <summary><see cref="Args"/>: the backend method's arguments between its tensors and its output (a parameterized operator's Keras arguments).
    /// <see cref="Floor"/>: ulps are counted at max(|want|, Floor), for operators whose terms cancel (a loss's sums of products).</summary>
    private sealed record Sweep(Type Operator, string Method, Action<VectorWidth> Spans, double NumpyUlps, object?[]? Args = null, double Floor = 0);

    public static TheoryData<string> Operators()
    {
        var data = new TheoryData<string>();
        foreach (var t in OperatorTypes()) data.Add(t.Name);
        return data;
    }

    private static IEnumerable<Type> OperatorTypes() =>
        typeof(CpuBackend).Assembly.GetTypes()
            .Where(t => t.IsValueType && !t.IsGenericTypeDefinition && t.GetInterfaces().Any(i =>
                i == typeof(IUnaryOperator) || i == typeof(IFloatUnaryOperator) || i == typeof(IBinaryOperator) || i == typeof(IFloatBinaryOperator)))
            .OrderBy(t => t.Name);

    [Theory, MemberData(nameof(Operators))]
    public void Every_operator_has_a_sweep(string op)
    {
        var t = OperatorTypes().Single(x => x.Name == op);
        Assert.True(Sweeps.ContainsKey(t), $"{op}: add a line for it to {nameof(ElementwiseSweepTests)}.{nameof(Sweeps)}.");
    }

    [Theory, MemberData(nameof(Operators))]
    public void Spans_match_the_scalar_definition_on_every_width_length_and_alias(string op)
    {
        var sweep = Sweeps[OperatorTypes().Single(x => x.Name == op)];
        foreach (var w in Widths) sweep.Spans(w);
    }

    [Theory, MemberData(nameof(Operators))]
    public void Backend_op_matches_numpy_on_every_length_and_in_place(string op)
    {
        var sweep = Sweeps[OperatorTypes().Single(x => x.Name == op)];
        var cpuMethod = typeof(CpuBackend).GetMethod(sweep.Method)!;
        var npMethod = typeof(NumpyBackend).GetMethod(sweep.Method)!;
        var ps = cpuMethod.GetParameters();
        int arity = ps.Count(p => p.ParameterType == typeof(Tensor)) - 1;
        object?[] Call(Tensor[] ins, Tensor output)
        {
            var a = new object?[ps.Length];
            for (int i = 0, t = 0, o = 0; i < ps.Length - 1; i++) a[i] = ps[i].ParameterType == typeof(Tensor) ? ins[t++] : sweep.Args![o++];
            a[^1] = output;
            return a;
        }
        bool isFloat = typeof(IFloatUnaryOperator).IsAssignableFrom(sweep.Operator) || typeof(IFloatBinaryOperator).IsAssignableFrom(sweep.Operator);
        DType[] dtypes = isFloat ? [DType.Float32, DType.Float64] : [DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.Int8, DType.UInt8];
        var cpu = new CpuBackend();
        var np = new NumpyBackend();
        foreach (var dt in dtypes)
            for (int n = 0; n <= MaxLength; n++)
            {
                var inputs = Enumerable.Range(0, arity).Select(k => Values(dt, n, seed: n * 7 + k)).ToArray();
                using var want = Tensor.Uninitialized(dt, new Shape(n));
                using var got = Tensor.Uninitialized(dt, new Shape(n));
                npMethod.Invoke(np, Call(inputs, want));
                cpuMethod.Invoke(cpu, Call(inputs, got));
                AssertClose(want, got, sweep.NumpyUlps, $"{op} {dt.Name()} n={n} against numpy", sweep.Floor);
                // In place: the output is the first input.
                cpuMethod.Invoke(cpu, Call(inputs, inputs[0]));
                AssertClose(want, inputs[0], sweep.NumpyUlps, $"{op} {dt.Name()} n={n} in place against numpy", sweep.Floor);
                foreach (var t in inputs) t.Dispose();
            }
    }

    /// <summary>Large outputs go through the span loops rather than the library kernels: from 256 KiB with plain stores,
    /// from <see cref="VectorLoops.StreamingBytes"/> with streaming stores (the threaded paths of Elementwise and
    /// Transcendental). The whole op still matches numpy at both sizes, in place too.</summary>
    [Theory]
    [InlineData(300_000)]
    [InlineData((int)(VectorLoops.StreamingBytes / sizeof(float)) + 37)]
    public void Large_outputs_match_numpy_with_plain_and_streaming_stores(int n)
    {
        Assert.Equal(n > 1_000_000, VectorLoops.Streams<float>(n));
        var cpu = new CpuBackend();
        var np = new NumpyBackend();
        using var x = Values(DType.Float32, n, seed: 1);
        using var y = Values(DType.Float32, n, seed: 2);
        var ops = new (string Name, Action<IBackend, Tensor, Tensor> Run, double Ulps)[]
        {
            ("add", (b, a, o) => b.Add(a, y, o), 0),
            ("exp", (b, a, o) => b.Exp(a, o), 4),
            ("tanh", (b, a, o) => b.Tanh(a, o), 8), // 4.8e-7 relative (ActivationTests), 8 ulps just below 1
            ("relu", (b, a, o) => b.Relu(a, 0, null, 0, o), 0),
        };
        foreach (var (name, run, ulps) in ops)
        {
            using var want = Tensor.Uninitialized(DType.Float32, new Shape(n));
            using var got = Tensor.Uninitialized(DType.Float32, new Shape(n));
            run(np, x, want);
            run(cpu, x, got);
            AssertClose(want, got, ulps, $"{name} n={n}");
            using var inPlace = Tensor.Uninitialized(DType.Float32, new Shape(n));
            x.ReadOnlySpan<float>().CopyTo(inPlace.Span<float>());
            run(cpu, inPlace, inPlace);
            AssertClose(want, inPlace, ulps, $"{name} n={n} in place");
        }
    }

    [Fact]
    public void Folds_match_the_scalar_fold_on_every_width_and_length()
    {
        // Σ (x − m)² (variance's fold): the vector paths sum in another order, so within a few ulps of the total's magnitude.
        foreach (var w in Widths)
            for (int n = 0; n <= MaxLength; n++)
            {
                var x = Values<double>(n, seed: n).Select(v => Math.Abs(v) < 1e6 ? v : 0.5).ToArray(); // NaN, ±inf and the largest finite value left out (checked below)
                double m = n == 0 ? 0 : x.Average();
                double want = x.Aggregate(0.0, (a, v) => a + (v - m) * (v - m));
                double got = VectorLoops.Fold(x, new SquaredDeviationFold<double>(m), w);
                Assert.True(Math.Abs(want - got) <= 1e-14 * Math.Max(1, want), $"fold {w} n={n}: want {want:R}, got {got:R}");
                var xf = x.Select(v => (float)v).ToArray();
                float mf = (float)m;
                float wantF = xf.Aggregate(0f, (a, v) => a + (v - mf) * (v - mf));
                float gotF = VectorLoops.Fold(xf, new SquaredDeviationFold<float>(mf), w);
                Assert.True(Math.Abs(wantF - gotF) <= 1e-5 * Math.Max(1, wantF), $"fold float32 {w} n={n}: want {wantF:R}, got {gotF:R}");
                // NaN anywhere gives NaN on every path.
                if (n > 0)
                {
                    xf[n / 2] = float.NaN;
                    Assert.True(float.IsNaN(VectorLoops.Fold(xf, new SquaredDeviationFold<float>(mf), w)), $"fold float32 {w} n={n} with NaN");
                }
            }
    }

    // ---- the four operator shapes: every element type they compute in, every length, in place and broadcast ----

    private static Sweep Unary<TOp>(string method, double ulps = 0, double numpyUlps = 0) where TOp : struct, IUnaryOperator =>
        Unary<TOp>(method, default, ulps, numpyUlps);

    /// <summary>A unary operator with parameters: <paramref name="op"/> for the float types, <paramref name="integerOp"/> (default: the same)
    /// for the integer types, <paramref name="args"/> for the backend method.</summary>
    private static Sweep Unary<TOp>(string method, TOp op, double ulps = 0, double numpyUlps = 0, object?[]? args = null, TOp? integerOp = null)
        where TOp : struct, IUnaryOperator
    {
        var iop = integerOp ?? op;
        return new(typeof(TOp), method, w =>
        {
            UnarySpans<float, UnaryBody<TOp, float>>(typeof(TOp).Name, new(op), w, ulps, x => op.Invoke(x));
            UnarySpans<double, UnaryBody<TOp, double>>(typeof(TOp).Name, new(op), w, ulps, x => op.Invoke(x));
            UnarySpans<Half, UnaryBody<TOp, Half>>(typeof(TOp).Name, new(op), w, ulps, x => op.Invoke(x));
            UnarySpans<int, UnaryBody<TOp, int>>(typeof(TOp).Name, new(iop), w, 0, x => iop.Invoke(x));
            UnarySpans<long, UnaryBody<TOp, long>>(typeof(TOp).Name, new(iop), w, 0, x => iop.Invoke(x));
            UnarySpans<short, UnaryBody<TOp, short>>(typeof(TOp).Name, new(iop), w, 0, x => iop.Invoke(x));
            UnarySpans<sbyte, UnaryBody<TOp, sbyte>>(typeof(TOp).Name, new(iop), w, 0, x => iop.Invoke(x));
            UnarySpans<byte, UnaryBody<TOp, byte>>(typeof(TOp).Name, new(iop), w, 0, x => iop.Invoke(x));
        }, numpyUlps, args);
    }

    private static Sweep FloatUnary<TOp>(string method, double ulps = 0, double numpyUlps = 0) where TOp : struct, IFloatUnaryOperator =>
        FloatUnary<TOp>(method, default, ulps, numpyUlps);

    private static Sweep FloatUnary<TOp>(string method, TOp op, double ulps = 0, double numpyUlps = 0, object?[]? args = null, double floor = 0) where TOp : struct, IFloatUnaryOperator =>
        new(typeof(TOp), method, w =>
        {
            UnarySpans<float, FloatUnaryBody<TOp, float>>(typeof(TOp).Name, new(op), w, ulps, x => op.Invoke(x));
            UnarySpans<double, FloatUnaryBody<TOp, double>>(typeof(TOp).Name, new(op), w, ulps, x => op.Invoke(x));
        }, numpyUlps, args, floor);

    private static Sweep Binary<TOp>(string method, double ulps = 0, double numpyUlps = 0) where TOp : struct, IBinaryOperator =>
        new(typeof(TOp), method, w =>
        {
            BinarySpans<float, BinaryBody<TOp, float>>(typeof(TOp).Name, new(default), w, ulps, (x, y) => default(TOp).Invoke(x, y));
            BinarySpans<double, BinaryBody<TOp, double>>(typeof(TOp).Name, new(default), w, ulps, (x, y) => default(TOp).Invoke(x, y));
            BinarySpans<Half, BinaryBody<TOp, Half>>(typeof(TOp).Name, new(default), w, ulps, (x, y) => default(TOp).Invoke(x, y));
            BinarySpans<int, BinaryBody<TOp, int>>(typeof(TOp).Name, new(default), w, 0, (x, y) => default(TOp).Invoke(x, y));
            BinarySpans<long, BinaryBody<TOp, long>>(typeof(TOp).Name, new(default), w, 0, (x, y) => default(TOp).Invoke(x, y));
            BinarySpans<short, BinaryBody<TOp, short>>(typeof(TOp).Name, new(default), w, 0, (x, y) => default(TOp).Invoke(x, y));
            BinarySpans<sbyte, BinaryBody<TOp, sbyte>>(typeof(TOp).Name, new(default), w, 0, (x, y) => default(TOp).Invoke(x, y));
            BinarySpans<byte, BinaryBody<TOp, byte>>(typeof(TOp).Name, new(default), w, 0, (x, y) => default(TOp).Invoke(x, y));
        }, numpyUlps);

    private static Sweep FloatBinary<TOp>(string method, double ulps = 0, double numpyUlps = 0, object?[]? args = null, double floor = 0) where TOp : struct, IFloatBinaryOperator =>
        new(typeof(TOp), method, w =>
        {
            BinarySpans<float, FloatBinaryBody<TOp, float>>(typeof(TOp).Name, new(default), w, ulps, (x, y) => default(TOp).Invoke(x, y), floor);
            BinarySpans<double, FloatBinaryBody<TOp, double>>(typeof(TOp).Name, new(default), w, ulps, (x, y) => default(TOp).Invoke(x, y), floor);
        }, numpyUlps, args, floor);

    private static void UnarySpans<T, TB>(string op, TB body, VectorWidth w, double ulps, Func<T, T> scalar)
        where T : unmanaged, INumber<T> where TB : struct, IUnaryBody<T>
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values<T>(n, seed: n);
            var want = x.Select(scalar).ToArray();
            var d = new T[n];
            VectorLoops.Unary<T, TB>(x, d, body, w);
            AssertClose(want, d, ulps, $"{op} {typeof(T).Name} {w} n={n}");
            if (w != VectorWidth.Scalar)
            {
                // Streaming stores (large outputs): the output at every offset from a 64-byte boundary, and in place.
                var buf = new T[n + 64];
                var ds = buf.AsSpan(n % 64, n);
                VectorLoops.Unary<T, TB>(x, ds, body, w, stream: true);
                AssertClose(want, ds.ToArray(), ulps, $"{op} {typeof(T).Name} {w} n={n} streaming");
                x.CopyTo(ds);
                VectorLoops.Unary<T, TB>(ds, ds, body, w, stream: true);
                AssertClose(want, ds.ToArray(), ulps, $"{op} {typeof(T).Name} {w} n={n} streaming in place");
            }
            VectorLoops.Unary<T, TB>(x, x, body, w);
            AssertClose(want, x, ulps, $"{op} {typeof(T).Name} {w} n={n} in place");
        }
    }

    private static void BinarySpans<T, TB>(string op, TB body, VectorWidth w, double ulps, Func<T, T, T> scalar, double floor = 0)
        where T : unmanaged, INumber<T> where TB : struct, IBinaryBody<T>
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Values<T>(n, seed: n);
            var y = Values<T>(n, seed: n + 1000);
            T s = Values<T>(MaxLength + 1, seed: n + 2000)[n];
            string at = $"{op} {typeof(T).Name} {w} n={n}";
            var want = x.Zip(y, scalar).ToArray();
            var d = new T[n];
            VectorLoops.Binary<T, TB>(x, y, d, body, w);
            AssertClose(want, d, ulps, at, floor);
            VectorLoops.Binary<T, TB>(x, s, d, body, w);
            AssertClose(x.Select(v => scalar(v, s)).ToArray(), d, ulps, at + " y broadcast", floor);
            VectorLoops.Binary<T, TB>(s, y, d, body, w);
            AssertClose(y.Select(v => scalar(s, v)).ToArray(), d, ulps, at + " x broadcast", floor);
            var xy = (T[])x.Clone();
            VectorLoops.Binary<T, TB>(xy, y, xy, body, w);
            AssertClose(want, xy, ulps, at + " in place over x", floor);
            var yx = (T[])y.Clone();
            VectorLoops.Binary<T, TB>(x, yx, yx, body, w);
            AssertClose(want, yx, ulps, at + " in place over y", floor);
            var xx = (T[])x.Clone();
            VectorLoops.Binary<T, TB>(xx, xx, xx, body, w);
            AssertClose(x.Select(v => scalar(v, v)).ToArray(), xx, ulps, at + " x op x in place", floor);
            if (w != VectorWidth.Scalar)
            {
                // Streaming stores: the output at every offset from a 64-byte boundary, and in place over x.
                var buf = new T[n + 64];
                var ds = buf.AsSpan(n % 64, n);
                VectorLoops.Binary<T, TB>(x, y, ds, body, w, stream: true);
                AssertClose(want, ds.ToArray(), ulps, at + " streaming", floor);
                x.CopyTo(ds);
                VectorLoops.Binary<T, TB>(ds, y, ds, body, w, stream: true);
                AssertClose(want, ds.ToArray(), ulps, at + " streaming in place over x", floor);
            }
        }
    }

    // ---- values ----

    /// <summary>Random values with the special ones mixed in at seeded positions: for floats NaN, ±0, ±inf, ±1, a subnormal
    /// and the largest finite value; for integers 0, ±1 and the extremes (so wrapping is exercised).</summary>
    private static T[] Values<T>(int n, int seed) where T : unmanaged, INumber<T>
    {
        var rnd = new Random(seed);
        bool isFloat = typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);
        T[] specials = isFloat
            ? [T.CreateTruncating(double.NaN), T.Zero, -T.Zero, T.CreateTruncating(double.PositiveInfinity), T.CreateTruncating(double.NegativeInfinity),
               T.One, -T.One, T.CreateTruncating(SmallSubnormal<T>()), T.CreateSaturating(double.MaxValue)]
            : [T.Zero, T.One, T.CreateSaturating(-1), T.CreateSaturating(long.MinValue), T.CreateSaturating(long.MaxValue)];
        var a = new T[n];
        for (int i = 0; i < n; i++)
            a[i] = rnd.Next(6) == 0 ? specials[rnd.Next(specials.Length)]
                : isFloat ? T.CreateTruncating(rnd.NextDouble() * 20 - 10)
                : T.CreateTruncating(rnd.NextInt64());
        return a;
    }

    private static double SmallSubnormal<T>() =>
        typeof(T) == typeof(float) ? float.Epsilon * 3.0 : typeof(T) == typeof(Half) ? (double)Half.Epsilon * 3 : double.Epsilon * 3;

    private static Tensor Values(DType dt, int n, int seed)
    {
        var t = Tensor.Uninitialized(dt, new Shape(n));
        switch (dt)
        {
            case DType.Float32: Values<float>(n, seed).CopyTo(t.Span<float>()); break;
            case DType.Float64: Values<double>(n, seed).CopyTo(t.Span<double>()); break;
            case DType.Int32: Values<int>(n, seed).CopyTo(t.Span<int>()); break;
            case DType.Int64: Values<long>(n, seed).CopyTo(t.Span<long>()); break;
            case DType.Int8: Values<sbyte>(n, seed).CopyTo(t.Span<sbyte>()); break;
            default: Values<byte>(n, seed).CopyTo(t.Span<byte>()); break;
        }
        return t;
    }

    // ---- comparison ----

    private static void AssertClose<T>(T[] want, T[] got, double ulps, string at, double floor = 0) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < want.Length; i++)
            if (!Close(double.CreateTruncating(want[i]), double.CreateTruncating(got[i]), ulps, Math.Max(Ulp<T>(want[i]), Ulp<T>(T.CreateTruncating(floor)))))
                Assert.Fail($"{at} [{i}]: want {want[i]}, got {got[i]}");
    }

    private static void AssertClose(Tensor want, Tensor got, double ulps, string at, double floor = 0)
    {
        for (int i = 0; i < want.Size; i++)
        {
            double a = want.GetDouble(i), b = got.GetDouble(i);
            double ulp = want.DType switch
            {
                DType.Float32 => Ulp<float>((float)a),
                DType.Float64 => Ulp<double>(a),
                _ => 0,
            };
            if (floor > 0) ulp = Math.Max(ulp, want.DType == DType.Float32 ? Ulp<float>((float)floor) : Ulp<double>(floor));
            if (!Close(a, b, ulps, ulp)) Assert.Fail($"{at} [{i}]: want {a:R}, got {b:R}");
        }
    }

    /// <summary>Equal (NaN equals NaN, and a zero's sign counts when exact), or within <paramref name="ulps"/> units in the last place.</summary>
    private static bool Close(double a, double b, double ulps, double ulp)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return double.IsNaN(a) && double.IsNaN(b);
        if (a == b) return ulps > 0 || a != 0 || double.IsNegative(a) == double.IsNegative(b);
        if (double.IsInfinity(a) || double.IsInfinity(b)) return false;
        return Math.Abs(a - b) <= ulps * ulp;
    }

    /// <summary>The spacing of floats at |v| (at least that of the smallest normal, so subnormal results are judged absolutely).</summary>
    private static double Ulp<T>(T v) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) { float f = float.CreateTruncating(v); return Math.Max(MathF.BitIncrement(MathF.Abs(f)) - MathF.Abs(f), float.Epsilon * 8.0); }
        if (typeof(T) == typeof(double)) { double d = double.CreateTruncating(v); return Math.Max(Math.BitIncrement(Math.Abs(d)) - Math.Abs(d), double.Epsilon * 8); }
        if (typeof(T) == typeof(Half)) { double h = double.CreateTruncating(v); return Math.Max(Math.Abs(h) * Math.Pow(2, -10), (double)Half.Epsilon * 8); }
        return 0;
    }
}
