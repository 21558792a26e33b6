using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>
/// One finite-difference property per differentiable op (float64, random shapes, both backends): the
/// gradient K.Gradients builds agrees with central differences. Failures name the op, shapes, attributes
/// and the CsCheck seed.
/// </summary>
public partial class GradientPropertyTests
{
    private const int Iterations = 25;

    private static void Unary(string backend, string op, Func<Tensor, Tensor> f, double lo = -2, double hi = 2, double minAbs = 0) =>
        Gen.Select(Gens.Shape(), Gens.Case).Sample((shape, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"{op} x.shape={GradCheck.Show(shape)}", xs => f(xs[0]),
                [(GradCheck.Values(rnd, shape, lo, hi, minAbs), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    private static void Binary(string backend, string op, Func<Tensor, Tensor, Tensor> f, double yMinAbs = 0) =>
        Gen.Select(Gens.BroadcastPair, Gens.Case).Sample((p, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"{op} x.shape={GradCheck.Show(p.X)} y.shape={GradCheck.Show(p.Y)}", xs => f(xs[0], xs[1]),
                [(GradCheck.Values(rnd, p.X), p.X), (GradCheck.Values(rnd, p.Y, -2, 2, yMinAbs), p.Y)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("add")]
    public void Add(string backend) => Binary(backend, "add", K.Add);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("subtract")]
    public void Subtract(string backend) => Binary(backend, "subtract", K.Subtract);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("multiply")]
    public void Multiply(string backend) => Binary(backend, "multiply", K.Multiply);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("divide")]
    public void Divide(string backend) => Binary(backend, "divide", K.Divide, yMinAbs: 0.5);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("negative")]
    public void Negative(string backend) => Unary(backend, "negative", K.Negative);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("exp")]
    public void Exp(string backend) => Unary(backend, "exp", K.Exp);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("tanh")]
    public void Tanh(string backend) => Unary(backend, "tanh", K.Tanh);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sigmoid")]
    public void Sigmoid(string backend) => Unary(backend, "sigmoid", K.Sigmoid);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("cast")]
    public void Cast(string backend) => Unary(backend, "cast", x => K.Cast(K.Cast(x, DType.Float64), DType.Float64));

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("transpose")]
    public void Transpose(string backend) => Unary(backend, "transpose", K.Transpose);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sum")]
    public void Sum(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int.Array[4], Gen.Bool, Gen.Bool, Gens.Case).Sample((shape, pick, all, keepdims, c) =>
        {
            // A random subset of axes, written with random signs; or null (every axis).
            int[]? axes = all ? null : Enumerable.Range(0, shape.Length).Where(i => (pick[i] & 1) == 1)
                .Select(i => (pick[i] & 2) == 2 ? i - shape.Length : i).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"sum x.shape={GradCheck.Show(shape)} axis={Format.Py(axes)} keepdims={keepdims}",
                xs => K.Sum(xs[0], axes, keepdims), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("dot")]
    public void Dot(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gens.Shape(1, 3), Gen.Int[1, 4], Gens.Case).Sample((xs0, ys0, k, c) =>
        {
            // Make the contracted axes agree: x's last and y's second-to-last (a rank-1 y's only axis).
            var xs = xs0.ToArray(); xs[^1] = k;
            var ys = ys0.ToArray(); ys[ys.Length >= 2 ? ys.Length - 2 : 0] = k;
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"dot x.shape={GradCheck.Show(xs)} y.shape={GradCheck.Show(ys)}", t => K.Dot(t[0], t[1]),
                [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ys), ys)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("concatenate")]
    public void Concatenate(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[1, 4].Array[1, 3], Gen.Int[0, 5], Gens.Case).Sample((shape, sizes, axisPick, c) =>
        {
            int axis = axisPick % shape.Length - (axisPick >= 3 ? shape.Length : 0);
            int abs = axis < 0 ? axis + shape.Length : axis;
            var shapes = sizes.Select(s => { var d = shape.ToArray(); d[abs] = s; return d; }).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"concatenate shapes=[{string.Join(", ", shapes.Select(GradCheck.Show))}] axis={axis}",
                t => K.Concatenate(t, axis), shapes.Select(s => (GradCheck.Values(rnd, s), s)).ToArray(), c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    private static string Axes(int[]? axes) => Format.Py(axes);

    /// <summary>A random subset of x's axes written with random signs, or null (every axis).</summary>
    private static int[]? PickAxes(int rank, int[] pick, bool all) =>
        all ? null : Enumerable.Range(0, rank).Where(i => (pick[i] & 1) == 1).Select(i => (pick[i] & 2) == 2 ? i - rank : i).ToArray();

    private static void Reduction(string backend, string op, Func<Tensor, int[]?, bool, Tensor> f, double lo = -2, double hi = 2, double minAbs = 0, int minDim = 1,
        bool distinct = false) =>
        Gen.Select(Gen.Int[minDim, 4].Array[minDim > 1 ? 1 : 0, 3], Gen.Int.Array[4], Gen.Bool, Gen.Bool, Gens.Case).Sample((shape, pick, all, keepdims, c) =>
        {
            var axes = PickAxes(shape.Length, pick, all);
            if (minDim > 1 && axes is { Length: 0 }) axes = null;
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"{op} x.shape={GradCheck.Show(shape)} axis={Axes(axes)} keepdims={keepdims}",
                xs => f(xs[0], axes, keepdims),
                [(distinct ? GradCheck.Distinct(rnd, shape, lo, hi) : GradCheck.Values(rnd, shape, lo, hi, minAbs), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    private static void AlongAxis(string backend, string op, int minRank, Func<Tensor, int, Tensor> f, double lo = -2, double hi = 2, double minAbs = 0) =>
        Gen.Select(Gens.Shape(minRank, 3), Gen.Int[0, 5], Gens.Case).Sample((shape, pick, c) =>
        {
            int axis = pick % shape.Length - (pick >= 3 ? shape.Length : 0);
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"{op} x.shape={GradCheck.Show(shape)} axis={axis}", xs => f(xs[0], axis),
                [(GradCheck.Values(rnd, shape, lo, hi, minAbs), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("abs")]
    public void Abs(string backend) => Unary(backend, "abs", K.Abs, minAbs: 0.1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("log")]
    public void Log(string backend) => Unary(backend, "log", K.Log, 0.2, 3);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sqrt")]
    public void Sqrt(string backend) => Unary(backend, "sqrt", K.Sqrt, 0.2, 3);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("square")]
    public void Square(string backend) => Unary(backend, "square", K.Square);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("pow")]
    public void Pow(string backend) =>
        Gen.Select(Gen.OneOf(new[] { 2.0, 3.0, 0.5, -1.0, 1.5 }), Gens.Shape(), Gens.Case).Sample((a, shape, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"pow x.shape={GradCheck.Show(shape)} a={a}", xs => K.Pow(xs[0], a),
                [(GradCheck.Values(rnd, shape, 0.3, 2), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("maximum")]
    public void Maximum(string backend) => Binary(backend, "maximum", K.Maximum);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("minimum")]
    public void Minimum(string backend) => Binary(backend, "minimum", K.Minimum);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("max")]
    public void Max(string backend) => Reduction(backend, "max", (x, a, k) => K.Max(x, a, k), distinct: true);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("min")]
    public void Min(string backend) => Reduction(backend, "min", (x, a, k) => K.Min(x, a, k), distinct: true);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("prod")]
    public void Prod(string backend) => Reduction(backend, "prod", (x, a, k) => K.Prod(x, a, k), -1.5, 1.5, minAbs: 0.3);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("mean")]
    public void Mean(string backend) => Reduction(backend, "mean", (x, a, k) => K.Mean(x, a, k));

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("var")]
    public void Var(string backend) => Reduction(backend, "var", (x, a, k) => K.Var(x, a, k));

    // std is not differentiable where it is 0 (a single element): reduce over at least two.
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("std")]
    public void Std(string backend) => Reduction(backend, "std", (x, a, k) => K.Std(x, a, k), minDim: 2);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("cumsum")]
    public void Cumsum(string backend) => AlongAxis(backend, "cumsum", 1, K.Cumsum);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("cumprod")]
    public void Cumprod(string backend) => AlongAxis(backend, "cumprod", 1, K.Cumprod, -1.5, 1.5, minAbs: 0.3);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("softmax")]
    public void Softmax(string backend) => AlongAxis(backend, "softmax", 2, K.Softmax);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("identity")]
    public void Identity(string backend) => Unary(backend, "identity", x => K.Identity(x));

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("reshape")]
    public void Reshape(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int[0, 4], Gens.Case).Sample((shape, wild, c) =>
        {
            // The reversed dimensions, one of them possibly given as -1.
            var target = shape.Reverse().Select((d, i) => i == wild ? -1 : d).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"reshape x.shape={GradCheck.Show(shape)} shape={Format.Py(target)}", xs => K.Reshape(xs[0], target),
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("expand_dims")]
    public void ExpandDims(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int[0, 7], Gens.Case).Sample((shape, pick, c) =>
        {
            int r = shape.Length + 1, axis = pick % r - (pick >= r ? r : 0);
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"expand_dims x.shape={GradCheck.Show(shape)} axis={axis}", xs => K.ExpandDims(xs[0], axis),
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("squeeze")]
    public void Squeeze(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int[0, 7], Gens.Case).Sample((shape0, pick, c) =>
        {
            int r = shape0.Length + 1, abs = pick % r, axis = pick >= r ? abs - r : abs;
            var shape = shape0.Take(abs).Append(1).Concat(shape0.Skip(abs)).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"squeeze x.shape={GradCheck.Show(shape)} axis={axis}", xs => K.Squeeze(xs[0], axis),
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("tile")]
    public void Tile(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int[1, 3].Array[1, 3], Gens.Case).Sample((shape, n, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"tile x.shape={GradCheck.Show(shape)} n={Format.Py(n)}", xs => K.Tile(xs[0], n),
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("stack")]
    public void Stack(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Int[1, 3], Gen.Int[0, 7], Gens.Case).Sample((shape, count, pick, c) =>
        {
            int r = shape.Length + 1, axis = pick % r - (pick >= r ? r : 0);
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"stack {count} x {GradCheck.Show(shape)} axis={axis}", xs => K.Stack(xs, axis),
                Enumerable.Range(0, count).Select(_ => (GradCheck.Values(rnd, shape), shape)).ToArray(), c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("reverse")]
    public void Reverse(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int.Array[4], Gen.Bool, Gens.Case).Sample((shape, pick, all, c) =>
        {
            var axes = PickAxes(shape.Length, pick, all);
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"reverse x.shape={GradCheck.Show(shape)} axes={Axes(axes)}", xs => K.Reverse(xs[0], axes),
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("permute_dimensions")]
    public void PermuteDimensions(string backend) =>
        Gen.Select(Gens.Shape(1, 4), Gen.Int, Gens.Case).Sample((shape, seed, c) =>
        {
            var rng = new Random(seed);
            var pattern = Enumerable.Range(0, shape.Length).OrderBy(_ => rng.Next()).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"permute_dimensions x.shape={GradCheck.Show(shape)} pattern={Format.Py(pattern)}",
                xs => K.PermuteDimensions(xs[0], pattern), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("gather")]
    public void Gather(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[1, 3].Array[0, 2], Gens.Case).Sample((shape, idxShape, c) =>
        {
            // Indices in [-n, n), repeats included, so rows accumulate.
            var rnd = new Random(c.Seed);
            int n = shape[0], count = idxShape.Aggregate(1, (a, b) => a * b);
            var idx = Enumerable.Range(0, count).Select(_ => rnd.Next(-n, n)).ToArray();
            var indices = Tensor.FromSpan<int>(idx, idxShape);
            GradCheck.Check(backend, $"gather reference.shape={GradCheck.Show(shape)} indices={Format.Py(idx)} shape {GradCheck.Show(idxShape)}",
                xs => K.Gather(xs[0], indices), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("switch")]
    public void Switch(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[0, 3], Gens.Case).Sample((shape, drop, c) =>
        {
            // A condition of x's rank or lower (Keras pads it with trailing 1s), with zeros (false) and nonzeros.
            var rnd = new Random(c.Seed);
            var condShape = shape.Take(Math.Max(shape.Length - drop, 0)).ToArray();
            var condition = Tensor.FromSpan<double>(GradCheck.Values(rnd, condShape).Select(v => v > 0 ? v : 0).ToArray(), condShape);
            GradCheck.Check(backend, $"switch condition.shape={GradCheck.Show(condShape)} x.shape={GradCheck.Show(shape)}",
                xs => K.Switch(condition, xs[0], xs[1]), [(GradCheck.Values(rnd, shape), shape), (GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("batch_dot")]
    public void BatchDot(string backend) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3].Array[1, 2], Gen.Int[1, 3].Array[1, 2], Gen.Int[0, 7], Gen.Int[1, 3], Gens.Case).Sample((b, xr, yr, pick, k, c) =>
        {
            // x = (b, xr...), y = (b, yr...): the contracted axes a0, a1 get the common size k.
            int[] xs = [b, .. xr], ys = [b, .. yr];
            int a0 = 1 + pick % xr.Length, a1 = 1 + (pick / 2) % yr.Length;
            xs[a0] = k; ys[a1] = k;
            int[] axes = (pick & 4) == 4 ? [a0 - xs.Length, a1 - ys.Length] : [a0, a1];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"batch_dot x.shape={GradCheck.Show(xs)} y.shape={GradCheck.Show(ys)} axes={Format.Py(axes)}",
                t => K.BatchDot(t[0], t[1], axes), [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ys), ys)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    // Through time: a softplus RNN h' = log(1 + exp(x·W + h·U)), with random go_backwards and masks, differentiated
    // w.r.t. the inputs, both weight matrices and the initial state.
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("rnn")]
    public void Rnn(string backend) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Bool, Gen.Bool, Gens.Case).Sample((b, t, d, units, backwards, masked, c) =>
        {
            var rnd = new Random(c.Seed);
            var mask = masked ? Tensor.FromSpan<bool>(Enumerable.Range(0, b * t).Select(_ => rnd.Next(3) > 0).ToArray(), b, t) : null;
            GradCheck.Check(backend, $"rnn inputs.shape=({b}, {t}, {d}) units={units} go_backwards={backwards} mask={(masked ? "random" : "None")}", xs =>
            {
                Tensor w = xs[1], u = xs[2];
                var result = K.Rnn((x, s) =>
                {
                    var h = K.Log(K.Exp(K.Add(K.Dot(x, w), K.Dot(s[0], u))) + 1.0);
                    return (h, new[] { h });
                }, xs[0], [xs[3]], goBackwards: backwards, mask: mask);
                return result.Outputs;
            },
            [(GradCheck.Values(rnd, [b, t, d], -1, 1), [b, t, d]), (GradCheck.Values(rnd, [d, units], -1, 1), [d, units]),
             (GradCheck.Values(rnd, [units, units], -1, 1), [units, units]), (GradCheck.Values(rnd, [b, units], -1, 1), [b, units])],
            c.Seed, unknownDims: false);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("relu")]
    public void Relu(string backend) =>
        Gen.Select(Gens.Shape(), Gen.OneOf(new[] { 0.0, 0.2 }), Gen.OneOf(new double?[] { null, 1.5 }), Gen.OneOf(new[] { 0.0, -0.5 }), Gens.Case)
            .Sample((shape, alpha, maxValue, threshold, c) =>
        {
            // Values keep away from the kinks (threshold, max_value), where the derivative jumps.
            var rnd = new Random(c.Seed);
            var values = GradCheck.Values(rnd, shape).Select(v => Math.Abs(v - threshold) < 0.05 || Math.Abs(v - (maxValue ?? 9)) < 0.05 ? v + 0.1 : v).ToArray();
            GradCheck.Check(backend, $"relu x.shape={GradCheck.Show(shape)} alpha={alpha} max_value={Format.Py(maxValue)} threshold={threshold}",
                xs => K.Relu(xs[0], alpha, maxValue, threshold), [(values, shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);
}
