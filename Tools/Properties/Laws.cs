using CsCheck;

namespace KerasBackend.Properties;

/// <summary>
/// Algebraic laws and round trips, each naming the ops it covers. They hold on every backend, so they catch errors
/// that the numpy reference backend shares with the others (a wrong Keras rule) as well as kernel bugs.
/// </summary>
public static partial class Laws
{
    /// <summary>A law: a name, the ops it covers, and a check that runs on one backend (it throws on a violation).</summary>
    public sealed record Law(string Name, string[] Ops, Action Check);

    private const int Iter = 40;

    private static Gen<int[]> Shape(int minRank, int maxRank, int maxDim = 5) => Gen.Int[1, maxDim].Array[minRank, maxRank];

    private static Tensor R(int seed, int[] shape, DType d = DType.Float64) => Values.Random(new Random(seed), d, shape);

    private static Tensor Positive(int seed, int[] shape, DType d = DType.Float64) => K.Add(K.Abs(R(seed, shape, d)), K.Constant(0.25, d));

    private static void Close(Tensor want, Tensor got, string what, int terms = 1, double extra = 0)
    {
        if (got.DType != want.DType) got = K.Cast(got, want.DType);
        var diff = Compare.Tensors(want, got, terms * (int)Math.Max(1, extra));
        if (diff is not null) throw new PropertyFailure($"{what}: {diff}\n  want {Outcome.Describe(want)}\n  got  {Outcome.Describe(got)}");
    }

    private static void Exact(Tensor want, Tensor got, string what)
    {
        if (want.DType != got.DType || want.Shape != got.Shape || !want.ToDoubleArray().SequenceEqual(got.ToDoubleArray()))
            throw new PropertyFailure($"{what}: want {Outcome.Describe(want)}, got {Outcome.Describe(got)}");
    }

    private static void True(bool ok, string what) { if (!ok) throw new PropertyFailure(what); }

    /// <summary>The slice of <paramref name="t"/> at the last index of <paramref name="axis"/>, as a double array.</summary>
    private static double[] LastSlice(Tensor t, int axis)
    {
        var s = t.Shape.ToArray();
        int outer = s.Take(axis).Aggregate(1, (a, b) => a * b), n = s[axis], inner = s.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var v = t.ToDoubleArray();
        var r = new double[outer * inner];
        for (int o = 0; o < outer; o++) for (int i = 0; i < inner; i++) r[o * inner + i] = v[(o * n + n - 1) * inner + i];
        return r;
    }

    private static Tensor FromDoubles(double[] v, int[] shape) => K.Constant(v, DType.Float64, shape);

    public static IReadOnlyList<Law> All { get; } =
    [
        new("sum over axes in any order agrees", ["sum"], () =>
            Gen.Select(Shape(2, 4), Gen.Int, Gen.Int[0, 3], Gen.Int[0, 3]).Sample((s, seed, p, q) =>
            {
                int a = p % s.Length, b = q % s.Length;
                if (a == b) b = (a + 1) % s.Length;
                var x = R(seed, s);
                var both = K.Sum(x, [a, b]);
                int hi = Math.Max(a, b), lo = Math.Min(a, b);
                Close(both, K.Sum(K.Sum(x, hi), lo), $"sum(x, [{a},{b}]) vs sum(sum(x, {hi}), {lo})", x.Size);
                Close(both, K.Sum(K.Sum(x, lo), hi - 1), $"sum(x, [{a},{b}]) vs sum(sum(x, {lo}), {hi - 1})", x.Size);
                Close(K.Sum(x), K.Sum(both), "sum(x) vs sum(sum(x, axes))", x.Size);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("transpose twice is the identity", ["transpose"], () =>
            Gen.Select(Gen.Int[0, 5].SelectMany(r => Shape(r, r)), Gen.Int, Gen.OneOf(SpecGen.AllDTypes)).Sample((s, seed, d) =>
            {
                var x = R(seed, s, d);
                Exact(x, K.Transpose(K.Transpose(x)), "transpose(transpose(x))");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("dot agrees with the sum of products", ["dot", "sparse_dot"], () =>
            Gen.Select(Gen.Int[1, 6], Gen.Int[1, 40], Gen.Int[1, 6], Gen.Int).Sample((m, k, n, seed) =>
            {
                var x = R(seed, [m, k]);
                var y = R(seed + 1, [k, n]);
                var xv = x.ToDoubleArray();
                var yv = y.ToDoubleArray();
                var want = new double[m * n];
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) for (int t = 0; t < k; t++) want[i * n + j] += xv[i * k + t] * yv[t * n + j];
                Close(FromDoubles(want, [m, n]), K.Dot(x, y), "dot(x, y)", k);
                Close(FromDoubles(want, [m, n]), K.SparseDot(x, y), "sparse_dot(x, y) on dense inputs", k);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("softmax is positive and sums to 1 along its axis", ["softmax"], () =>
            Gen.Select(Shape(2, 4), Gen.Int, Gen.Int[0, 3]).Sample((s, seed, p) =>
            {
                int axis = p % s.Length;   // rank >= 2: Keras rejects softmax of a 1-D tensor
                var x = K.Multiply(R(seed, s, DType.Float32), K.Constant(20.0, DType.Float32));
                var y = K.Softmax(x, axis);
                True(y.ToDoubleArray().All(v => v >= 0 && v <= 1), $"softmax values outside [0, 1]: {Outcome.Describe(y)}");
                var total = K.Sum(y, axis);
                Close(K.Ones(total.Shape.ToArray(), DType.Float32), total, $"sum(softmax(x, {axis}), {axis})", s[axis]);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("cumsum's and cumprod's last slices are sum and prod", ["cumsum", "cumprod", "prod"], () =>
            Gen.Select(Shape(1, 4, 4), Gen.Int, Gen.Int[0, 3]).Sample((s, seed, p) =>
            {
                int axis = p % s.Length;
                var x = R(seed, s);
                var sum = K.Sum(x, axis);
                Close(sum, FromDoubles(LastSlice(K.Cumsum(x, axis), axis), sum.Shape.ToArray()), $"cumsum(x, {axis})[-1] vs sum", x.Size);
                var prod = K.Prod(x, axis);
                Close(prod, FromDoubles(LastSlice(K.Cumprod(x, axis), axis), prod.Shape.ToArray()), $"cumprod(x, {axis})[-1] vs prod", x.Size, 1 << Math.Min(20, 2 * s[axis]));
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("mean, var and std follow from sums", ["mean", "var", "std"], () =>
            Gen.Select(Shape(1, 4), Gen.Int, Gen.Int[0, 3], Gen.Bool).Sample((s, seed, p, keep) =>
            {
                int axis = p % s.Length;
                var x = R(seed, s);
                var n = K.Constant((double)s[axis], DType.Float64);
                var mean = K.Mean(x, axis, keepdims: true);
                Close(K.Divide(K.Sum(x, axis, keep), n), K.Mean(x, axis, keep), "mean = sum / n", x.Size);
                var dev = K.Subtract(x, mean);
                var variance = K.Divide(K.Sum(K.Multiply(dev, dev), axis, keep), n);
                Close(variance, K.Var(x, axis, keep), "var = mean((x - mean)^2) (population)", x.Size * 4);
                Close(K.Var(x, axis, keep), K.Square(K.Std(x, axis, keep)), "std^2 = var", x.Size * 4);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("max and min bound every element and are attained", ["max", "min"], () =>
            Gen.Select(Shape(1, 4), Gen.Int, Gen.OneOf(DType.Float32, DType.Int32, DType.Float64, DType.UInt8, DType.Int8)).Sample((s, seed, d) =>
            {
                var x = R(seed, s, d);
                var v = x.ToDoubleArray();
                Exact(K.Constant(v.Max(), d), K.Max(x), "max(x)");
                Exact(K.Constant(v.Min(), d), K.Min(x), "min(x)");
                if (d != DType.UInt8) Exact(K.Negative(K.Max(K.Negative(x), 0)), K.Min(x, 0), "min(x, 0) = -max(-x, 0)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("maximum and minimum split a pair", ["maximum", "minimum"], () =>
            Gen.Select(Shape(0, 3), Gen.Int, Gen.OneOf(DType.Float32, DType.Int32, DType.Float64)).Sample((s, seed, d) =>
            {
                var x = R(seed, s, d);
                var y = R(seed + 1, s, d);
                Exact(K.Add(x, y), K.Add(K.Maximum(x, y), K.Minimum(x, y)), "maximum + minimum = x + y");
                Exact(K.Maximum(x, y), K.Maximum(y, x), "maximum commutes");
                True(K.Subtract(K.Maximum(x, y), x).ToDoubleArray().All(v => v >= 0), "maximum(x, y) >= x");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("comparisons are complementary and argmax points at the max", ["equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "argmax", "argmin", "any", "all"], () =>
            Gen.Select(Shape(1, 3), Gen.Int, Gen.OneOf(SpecGen.AllDTypes)).Sample((s, seed, d) =>
            {
                // NaN-free values of one dtype: every pair is ordered, so the six comparisons partition.
                Tensor x = R(seed, s, d), y = R(seed + 1, s, d);
                bool[] B(Tensor t) => t.ToDoubleArray().Select(v => v != 0).ToArray();
                var eq = B(K.Equal(x, y)); var ne = B(K.NotEqual(x, y)); var gt = B(K.Greater(x, y));
                var ge = B(K.GreaterEqual(x, y)); var lt = B(K.Less(x, y)); var le = B(K.LessEqual(x, y));
                for (int i = 0; i < eq.Length; i++)
                    True(ne[i] == !eq[i] && ge[i] == (gt[i] || eq[i]) && le[i] == (lt[i] || eq[i]) && lt[i] == !ge[i] && gt[i] == !le[i],
                        $"comparisons of {x.ToDoubleArray()[i]} and {y.ToDoubleArray()[i]} ({d.Name()}) are inconsistent");
                True(B(K.Any(K.NotEqual(x, y))).Single() == ne.Any(v => v) && B(K.All(K.Equal(x, y))).Single() == eq.All(v => v), "any/all of the masks");
                Exact(K.Cast(K.Equal(x, y), DType.Bool), K.Equal(y, x), "equal is symmetric");
                int axis = s.Length - 1;
                var amax = K.Argmax(x, axis).ToDoubleArray();
                var amin = K.Argmin(x, axis).ToDoubleArray();
                var mx = K.Max(x, axis).ToDoubleArray();
                var mn = K.Min(x, axis).ToDoubleArray();
                var xv = x.ToDoubleArray();
                int n = s[axis];
                for (int r = 0; r < amax.Length; r++)
                    True(xv[r * n + (int)amax[r]] == mx[r] && xv[r * n + (int)amin[r]] == mn[r]
                         && Enumerable.Range(0, (int)amax[r]).All(j => xv[r * n + j] < mx[r]) && Enumerable.Range(0, (int)amin[r]).All(j => xv[r * n + j] > mn[r]),
                        $"argmax/argmin of row {r} are not the first extremes");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("in_top_k: a target is in the top k exactly when fewer than k scores beat it", ["in_top_k"], () =>
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 6], Gen.Int[-1, 7], Gen.Int).Sample((b, c, k, seed) =>
            {
                var p = R(seed, [b, c], DType.Float32);
                var rnd = new Random(seed);
                var t = Tensor.Uninitialized(DType.Int32, new Shape([b]));
                for (int i = 0; i < b; i++) t.SetLong(i, rnd.Next(-1, c + 1));
                var got = K.InTopK(p, t, k).ToDoubleArray();
                var pv = p.ToDoubleArray();
                for (int i = 0; i < b; i++)
                {
                    long ti = t.GetLong(i);
                    bool want = ti >= 0 && ti < c && Enumerable.Range(0, c).Count(j => pv[i * c + j] > pv[i * c + ti]) < k;
                    True((got[i] != 0) == want, $"in_top_k row {i}, target {ti}, k {k}: got {got[i] != 0}");
                }
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("abs, square, sqrt, pow agree", ["abs", "square", "sqrt", "pow"], () =>
            Gen.Select(Shape(0, 4), Gen.Int).Sample((s, seed) =>
            {
                var x = R(seed, s);
                Exact(K.Abs(x), K.Abs(K.Negative(x)), "abs(-x) = abs(x)");
                True(K.Abs(x).ToDoubleArray().All(v => v >= 0), "abs(x) >= 0");
                Close(K.Abs(x), K.Sqrt(K.Square(x)), "sqrt(square(x)) = abs(x)");
                Close(K.Square(x), K.Pow(x, 2), "pow(x, 2) = square(x)");
                Close(K.Sqrt(K.Abs(x)), K.Pow(K.Abs(x), 0.5), "pow(|x|, 0.5) = sqrt(|x|)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("log inverts exp; exp turns sums into products", ["log", "exp"], () =>
            Gen.Select(Shape(0, 4), Gen.Int).Sample((s, seed) =>
            {
                var x = R(seed, s);
                var y = R(seed + 7, s);
                Close(x, K.Log(K.Exp(x)), "log(exp(x)) = x", 4);
                Close(K.Exp(K.Add(x, y)), K.Multiply(K.Exp(x), K.Exp(y)), "exp(x + y) = exp(x) exp(y)", 8, 64);
                var p = Positive(seed, s);
                Close(p, K.Exp(K.Log(p)), "exp(log(x)) = x for x > 0", 4, 16);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("add, subtract and negative are consistent", ["add", "subtract", "negative"], () =>
            Gen.Select(Shape(0, 4), Gen.Int, Gen.OneOf(DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.Int8, DType.Float16)).Sample((s, seed, d) =>
            {
                var x = R(seed, s, d);
                var y = R(seed + 1, s, d);
                Exact(K.Add(x, y), K.Add(y, x), "x + y = y + x");
                Exact(K.Subtract(x, y), K.Add(x, K.Negative(y)), "x - y = x + (-y)");
                Exact(x, K.Negative(K.Negative(x)), "-(-x) = x");
                Exact(x, K.Subtract(K.Add(x, y), y), "(x + y) - y = x (small exact values)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("multiply commutes and divide undoes it", ["multiply", "divide"], () =>
            Gen.Select(Shape(0, 4), Gen.Int, Gen.OneOf(DType.Float32, DType.Float64)).Sample((s, seed, d) =>
            {
                var x = R(seed, s, d);
                var y = Positive(seed + 1, s, d);
                Exact(K.Multiply(x, y), K.Multiply(y, x), "x * y = y * x");
                Close(x, K.Multiply(K.Divide(x, y), y), "(x / y) * y = x", 4);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("concatenate keeps every part", ["concatenate"], () =>
            Gen.Select(Shape(1, 4), Gen.Int[1, 4], Gen.Int, Gen.Int[0, 3]).Sample((s, extra, seed, p) =>
            {
                int axis = p % s.Length;
                var s2 = (int[])s.Clone();
                s2[axis] = extra;
                var x = R(seed, s);
                var y = R(seed + 1, s2);
                var c = K.Concatenate([x, y], axis);
                True(c.Shape[axis] == s[axis] + extra, $"concatenate shape {c.Shape} along {axis}");
                Close(K.Add(K.Sum(x, axis), K.Sum(y, axis)), K.Sum(c, axis), "sum(concat) = sum(x) + sum(y)", c.Size);
                Exact(c, K.Concatenate([K.Concatenate([x], axis), y], axis - s.Length), "negative axis and single-part concat");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("casting through a wider dtype round-trips", ["cast"], () =>
            Gen.Select(Shape(0, 3), Gen.Int, Gen.OneOf((DType.Float32, DType.Float64), (DType.Int32, DType.Int64), (DType.Int8, DType.Int16), (DType.UInt8, DType.Int32), (DType.Float16, DType.Float32), (DType.Int32, DType.Float64), (DType.Bool, DType.UInt8))).Sample((s, seed, pair) =>
            {
                var x = R(seed, s, pair.Item1);
                Exact(x, K.Cast(K.Cast(x, pair.Item2), pair.Item1), $"cast(cast(x, {pair.Item2.Name()}), {pair.Item1.Name()})");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("zeros and ones are filled", ["zeros", "ones"], () =>
            Gen.Select(Gen.Int[0, 4].Array[0, 4], Gen.OneOf(SpecGen.AllDTypes)).Sample((s, d) =>
            {
                var z = K.Zeros(s, d);
                var o = K.Ones(s, d);
                True(z.DType == d && o.DType == d && z.Shape == new Shape(s) && o.Shape == new Shape(s), $"zeros/ones dtype or shape for {d.Name()}{new Shape(s)}");
                True(z.ToDoubleArray().All(v => v == 0) && o.ToDoubleArray().All(v => v == 1), "zeros are 0 and ones are 1");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("constants and variables hold their values", ["constant", "variable", "get_value", "eval", "set_value", "batch_get_value", "batch_set_value"], () =>
            Gen.Select(Shape(0, 3), Gen.Int, Gen.OneOf(DType.Float32, DType.Float64, DType.Int32)).Sample((s, seed, d) =>
            {
                var x = R(seed, s, d);
                var c = K.Constant(x.ToDoubleArray(), d, s);
                Exact(x, c, "constant(values, dtype, shape)");
                var v = K.Variable(x, d);
                Exact(x, K.GetValue(v), "get_value(variable(x))");
                Exact(x, K.Eval(v), "eval(variable(x))");
                var y = R(seed + 1, s, d);
                K.SetValue(v, y);
                Exact(y, K.GetValue(v), "set_value then get_value");
                K.BatchSetValue([(v, x)]);
                Exact(x, K.BatchGetValue([v])[0], "batch_set_value then batch_get_value");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("updates change the variable in place", ["update", "update_add", "update_sub", "moving_average_update"], () =>
            Gen.Select(Shape(0, 3), Gen.Int, Gen.Int[0, 10]).Sample((s, seed, m) =>
            {
                var x0 = R(seed, s);
                var d = R(seed + 1, s);
                var v = K.Variable(x0, DType.Float64);
                K.UpdateAdd(v, d);
                Close(K.Add(x0, d), K.GetValue(v), "update_add");
                K.UpdateSub(v, d);
                Close(x0, K.GetValue(v), "update_sub undoes update_add");
                K.Update(v, d);
                Exact(d, K.GetValue(v), "update");
                double momentum = m / 10.0;
                K.MovingAverageUpdate(v, x0, momentum);
                Close(K.Add(K.Multiply(d, K.Constant(momentum, DType.Float64)), K.Multiply(x0, K.Constant(1 - momentum, DType.Float64))), K.GetValue(v),
                    $"moving_average_update: x*momentum + value*(1 - momentum), momentum={momentum}", 4);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("shape queries describe the tensor", ["ndim", "int_shape", "shape", "size", "count_params", "dtype"], () =>
            Gen.Select(Gen.Int[0, 4].Array[0, 5], Gen.OneOf(SpecGen.AllDTypes)).Sample((s, d) =>
            {
                var x = K.Zeros(s, d);
                True(K.Ndim(x) == s.Length, $"ndim {K.Ndim(x)} for {new Shape(s)}");
                True(K.IntShape(x).Select(v => v ?? -1).SequenceEqual(s), $"int_shape for {new Shape(s)}");
                True(K.Shape(x).ToDoubleArray().SequenceEqual(s.Select(v => (double)v)), $"shape(x) for {new Shape(s)}");
                long n = s.Aggregate(1L, (a, b) => a * b);
                True((long)K.Size(x).GetDouble(0) == n && K.CountParams(x) == n, $"size/count_params for {new Shape(s)}");
                True(K.DType(x) == d.Name(), $"dtype(x) = {K.DType(x)}, want {d.Name()}");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("predicates tell tensors, variables and placeholders apart", ["is_tensor", "is_variable", "is_placeholder", "is_keras_tensor", "is_sparse", "to_dense"], () =>
            Gen.Select(Shape(0, 3), Gen.Int).Sample((s, seed) =>
            {
                var x = R(seed, s);
                var v = K.Variable(x);
                var p = K.Placeholder(s.Select(d => (int?)d).ToArray());
                True(K.IsTensor(x) && K.IsTensor(v) && K.IsTensor(p) && !K.IsTensor(s), "is_tensor");
                True(K.IsVariable(v) && !K.IsVariable(x) && !K.IsVariable(p), "is_variable");
                True(K.IsPlaceholder(p) && !K.IsPlaceholder(x) && !K.IsPlaceholder(v), "is_placeholder");
                True(!K.IsKerasTensor(v), "is_keras_tensor(variable) is False (tf_keras backend_test)");
                True(!K.IsSparse(x), "is_sparse of a dense tensor");
                Exact(x, K.ToDense(x), "to_dense of a dense tensor");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("a function of placeholders computes what the ops compute", ["placeholder", "input", "function"], () =>
            Gen.Select(Shape(1, 3), Gen.Int).Sample((s, seed) =>
            {
                var a = K.Placeholder(s.Select(d => (int?)d).ToArray(), dtype: DType.Float64);
                var b = K.Input(s.Skip(1).Select(d => (int?)d).ToArray(), batchSize: s[0], dtype: DType.Float64);
                var f = K.Function([a, b], [K.Add(K.Multiply(a, b), a)]);
                var x = R(seed, s);
                var y = R(seed + 1, s);
                Close(K.Add(K.Multiply(x, y), x), f.Call(x, y)[0], "function([a, b], [a*b + a])");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("gradients of sum(x*x) are 2x and stop at stop_gradient", ["gradients", "stop_gradient"], () =>
            Gen.Select(Shape(0, 3), Gen.Int).Sample((s, seed) =>
            {
                var p = K.Placeholder(s.Select(d => (int?)d).ToArray(), dtype: DType.Float64);
                var g = K.Gradients(K.Sum(K.Multiply(p, p)), [p])[0];
                var h = K.Gradients(K.Sum(K.Multiply(K.StopGradient(p), p)), [p])[0];
                var x = R(seed, s);
                var got = K.Function([p], [g, h]).Call(x);
                Close(K.Multiply(x, K.Constant(2.0, DType.Float64)), got[0], "d/dx sum(x*x) = 2x");
                Close(x, got[1], "d/dx sum(stop_gradient(x)*x) = x");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("setters round-trip through their getters", ["set_floatx", "floatx", "set_epsilon", "epsilon", "set_image_data_format", "image_data_format", "set_learning_phase", "learning_phase", "cast_to_floatx"], () =>
            Gen.Select(Gen.OneOf("float16", "float32", "float64"), Gen.Double[1e-9, 1e-2], Gen.OneOf("channels_first", "channels_last"), Gen.Int[0, 1]).Sample((fx, eps, fmt, phase) =>
            {
                try
                {
                    K.SetFloatx(fx);
                    True(K.Floatx() == fx, $"floatx() after set_floatx({fx}) is {K.Floatx()}");
                    True(K.CastToFloatx(new[] { 1, 2 }).DType.Name() == fx, $"cast_to_floatx under floatx {fx}");
                    True(K.Zeros([2]).DType.Name() == fx, $"zeros under floatx {fx}");
                    K.SetEpsilon(eps);
                    True(K.Epsilon() == eps, $"epsilon() after set_epsilon({eps})");
                    K.SetImageDataFormat(fmt);
                    True(K.ImageDataFormat() == fmt, $"image_data_format() after set_image_data_format({fmt})");
                    K.SetLearningPhase(phase);
                    True(K.LearningPhase() == phase, $"learning_phase() after set_learning_phase({phase})");
                }
                finally
                {
                    K.SetFloatx("float32");
                    K.SetEpsilon(1e-7);
                    K.SetImageDataFormat("channels_last");
                    K.ClearSession(freeMemory: false);
                }
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("uids count per prefix and reset", ["get_uid", "reset_uids", "clear_session", "manual_variable_initialization"], () =>
            Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 8], Gen.Int[1, 6]).Sample((prefix, n) =>
            {
                K.ResetUids();
                for (int i = 1; i <= n; i++) True(K.GetUid(prefix) == i, $"get_uid('{prefix}') call {i}");
                K.ResetUids();
                True(K.GetUid(prefix) == 1, "get_uid after reset_uids is 1");
                K.ManualVariableInitialization(true);
                True(Session.ManualVariableInitialization, "manual_variable_initialization(True) is recorded");
                K.ClearSession(freeMemory: false);
                True(K.GetUid(prefix) == 1 && !Session.ManualVariableInitialization, "clear_session resets uids and the manual-init flag");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("reshape, expand_dims and squeeze only move the shape", ["reshape", "expand_dims", "squeeze", "identity"], () =>
            Gen.Select(Shape(0, 4), Gen.Int, Gen.Int[0, 4]).Sample((s, seed, p) =>
            {
                var x = R(seed, s);
                int n = x.Size;
                Exact(x, K.Reshape(K.Reshape(x, [n]), s), "reshape(reshape(x, [size]), shape)");
                int axis = p % (s.Length + 1);
                var e = K.ExpandDims(x, axis);
                True(e.Rank == s.Length + 1 && e.Shape[axis] == 1, $"expand_dims(x, {axis}) shape {e.Shape}");
                Exact(x, K.Squeeze(e, axis), $"squeeze(expand_dims(x, {axis}), {axis})");
                Exact(x, K.Identity(x), "identity(x)");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("tile repeats and stack stacks", ["tile", "stack"], () =>
            Gen.Select(Shape(1, 3, 4), Gen.Int[1, 3].Array[3], Gen.Int, Gen.Int[0, 3]).Sample((s, reps, seed, p) =>
            {
                var x = R(seed, s);
                var n = reps.Take(s.Length).ToArray();
                var t = K.Tile(x, n);
                True(t.Shape.ToArray().SequenceEqual(s.Select((d, i) => d * n[i])), $"tile shape {t.Shape} for {new Shape(s)} x [{string.Join(", ", n)}]");
                Close(K.Multiply(K.Sum(x), K.Constant((double)n.Aggregate(1, (a, b) => a * b), DType.Float64)), K.Sum(t), "sum(tile(x, n)) = prod(n) sum(x)", t.Size);
                int axis = p % (s.Length + 1);
                var y = R(seed + 1, s);
                Exact(K.Concatenate([K.ExpandDims(x, axis), K.ExpandDims(y, axis)], axis), K.Stack([x, y], axis), $"stack([x, y], {axis})");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("switch picks element-wise", ["switch"], () =>
            Gen.Select(Shape(1, 3), Gen.Int).Sample((s, seed) =>
            {
                var c = R(seed, s, DType.Bool);
                var a = R(seed + 1, s);
                var b = R(seed + 2, s);
                var cf = K.Cast(c, DType.Float64);
                var want = K.Add(K.Multiply(cf, a), K.Multiply(K.Subtract(K.Ones(s, DType.Float64), cf), b));
                Exact(want, K.Switch(c, a, b), "switch(c, a, b) = c*a + (1-c)*b");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("eye, zeros_like and ones_like are filled", ["eye", "zeros_like", "ones_like"], () =>
            Gen.Select(Gen.Int[0, 6], Gen.Int[0, 6], Gen.OneOf(DType.Float32, DType.Int32, DType.Float64)).Sample((n, m, d) =>
            {
                var e = K.Eye([n, m], d);
                var v = e.ToDoubleArray();
                True(e.Shape == new Shape(n, m) && e.DType == d, $"eye(({n}, {m})) shape {e.Shape}");
                for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) True(v[i * m + j] == (i == j ? 1 : 0), $"eye(({n}, {m}))[{i}, {j}]");
                Exact(K.Zeros([n, m], d), K.ZerosLike(e), "zeros_like");
                Exact(K.Ones([n, m], d), K.OnesLike(e), "ones_like");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("random values respect their range and seed", ["random_uniform", "random_normal", "random_uniform_variable", "random_normal_variable"], () =>
            Gen.Select(Gen.Int[1, 30].Array[1, 2], Gen.Int[0, 1000], Gen.Double[-3, 3], Gen.Double[0.5, 3]).Sample((s, seed, low, width) =>
            {
                var u = K.RandomUniform(s, low, low + width, seed: seed);
                True(u.ToDoubleArray().All(v => v >= low - 1e-6 && v <= low + width + 1e-6), $"random_uniform in [{low}, {low + width})");
                Exact(u, K.RandomUniform(s, low, low + width, seed: seed), "random_uniform with one seed twice");
                var uv = K.RandomUniformVariable(s, low, low + width, seed: seed);
                True(K.IsVariable(uv) && uv.ToDoubleArray().All(v => v >= low - 1e-6 && v <= low + width + 1e-6), "random_uniform_variable range");
                var nv = K.RandomNormalVariable(s, low, width, seed: seed);
                var r = K.RandomNormal(s, low, width, seed: seed);
                True(K.IsVariable(nv) && nv.Shape == new Shape(s) && r.Shape == new Shape(s), "random_normal(_variable) shapes");
                Exact(r, K.RandomNormal(s, low, width, seed: seed), "random_normal with one seed twice");
                var big = K.RandomNormal([4000], low, width, seed: seed).ToDoubleArray();
                double mean = big.Average(), sd = Math.Sqrt(big.Select(v => (v - mean) * (v - mean)).Average());
                True(Math.Abs(mean - low) < 0.1 * width && Math.Abs(sd - width) < 0.1 * width, $"random_normal mean {mean} sd {sd}, want {low}, {width}");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("rnn with an accumulating step computes cumsum over time", ["rnn"], () =>
            Gen.Select(Gen.Int[1, 3], Gen.Int[1, 5], Gen.Int[1, 3], Gen.Int, Gen.Bool).Sample((b, t, f, seed, backwards) =>
            {
                var x = R(seed, [b, t, f]);
                var r = K.Rnn((xt, st) => { var s1 = K.Add(st[0], xt); return (s1, [s1]); }, x, [K.Zeros([b, f], DType.Float64)], goBackwards: backwards);
                var total = K.Sum(x, 1);
                Close(total, r.LastOutput, "last output = sum over time", t);
                Close(total, r.States[0], "final state = sum over time", t);
                if (!backwards) Close(K.Cumsum(x, 1), r.Outputs, "outputs = cumsum over time", t);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("backend() names the active backend", ["backend"], () =>
            True(K.Backend() == Backend.CurrentName, $"backend() = {K.Backend()}, active {Backend.CurrentName}")),
        .. ConvFamily,
        .. ConvKeras2Laws,
        .. LossLaws(),
        .. ShapeLaws(),
        .. NormalizationLaws(),
        .. RandomLaws(),
        .. ControlFlowLaws(),
        .. Keras3Laws(),
        .. SessionLaws(),
        .. CtcLaws(),
        .. IndexingLaws(),
        .. Keras3IndexingLaws(),
        .. SelectionLaws(),
        .. AttentionLaws(),
        .. ScatterLaws(),
        .. ContractionLaws(),
    ];

    /// <summary>Every op some law covers.</summary>
    public static IReadOnlySet<string> CoveredOps => All.SelectMany(l => l.Ops).ToHashSet(StringComparer.Ordinal);
}
