using System.Text;
using CsCheck;

namespace KerasBackend.Properties;

/// <summary>
/// A generated op call: the tensors to build (dtype, shape, values from <see cref="ValueSeed"/>) and the other
/// arguments by Keras name. Tensors are made fresh for every run, so one plan can be replayed on every backend.
/// </summary>
public sealed record Plan(OpInfo Op, IReadOnlyList<Plan.TensorArg> Tensors, IReadOnlyDictionary<string, object?> Args, int ValueSeed, bool Special)
{
    /// <summary>One tensor argument; <see cref="ListIndex"/> is its position when the parameter takes a list of tensors.</summary>
    public sealed record TensorArg(string Param, DType DType, int[] Shape, int ListIndex = -1);

    /// <summary>Builds the arguments for <see cref="OpRegistry.Invoke"/>.</summary>
    public Dictionary<string, object?> Build()
    {
        var rng = new Random(ValueSeed);
        var args = new Dictionary<string, object?>(Args, StringComparer.Ordinal);
        foreach (var t in Tensors)
        {
            var x = Values.Random(rng, t.DType, t.Shape, Special);
            if (t.ListIndex < 0) args[t.Param] = x;
            else
            {
                if (!args.TryGetValue(t.Param, out var l) || l is not List<Tensor> list) args[t.Param] = list = [];
                list.Add(x);
            }
        }
        foreach (var p in Op.Params.Where(p => p.Type == "tensors" && !args.ContainsKey(p.Name))) args[p.Name] = new List<Tensor>();
        return args;
    }

    /// <summary>One-line repro: op, tensor dtypes and shapes, other arguments, value seed.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Op.Name).Append('(');
        sb.Append(string.Join(", ", Tensors.Select(t => $"{t.Param}{(t.ListIndex >= 0 ? $"[{t.ListIndex}]" : "")}={t.DType.Name()}{new Shape(t.Shape)}")));
        foreach (var (k, v) in Args) sb.Append($", {k}={Format.Py(v)}");
        return sb.Append($") values seed {ValueSeed}{(Special ? " with NaN/inf" : "")}").ToString();
    }
}

/// <summary>Tensor values for properties: small numbers (exact in every dtype), optionally with NaN and ±inf.</summary>
public static class Values
{
    public static Tensor Random(Random rng, DType dtype, int[] shape, bool special = false)
    {
        var t = Tensor.Uninitialized(dtype, new Shape(shape));
        for (int i = 0; i < t.Size; i++)
        {
            if (dtype.IsFloat())
            {
                // Multiples of 1/16 in [-2, 2]: exact in float16, so every backend starts from the same numbers.
                double v = rng.Next(-32, 33) / 16.0;
                if (special && rng.Next(8) == 0) v = rng.Next(3) switch { 0 => double.NaN, 1 => double.PositiveInfinity, _ => double.NegativeInfinity };
                t.SetDouble(i, v);
            }
            else if (dtype == DType.Bool) t.SetLong(i, rng.Next(2));
            else if (dtype == DType.UInt8) t.SetLong(i, rng.Next(0, 9));
            else t.SetLong(i, rng.Next(-4, 5));
        }
        return t;
    }
}

/// <summary>
/// Generators driven by the spec: from an op's parameter types and shape rule they make valid calls (shapes that
/// satisfy the rule, axes in range, dtypes) and invalid ones (each violating one declared check). A new op whose
/// shape rule is one of <see cref="Rules"/> is covered with no new test code.
/// </summary>
public static class SpecGen
{
    /// <summary>Shape rules the generators understand.</summary>
    public static readonly IReadOnlySet<string> Rules = new HashSet<string> { "same", "broadcast", "reduce", "reduce_axis", "dot", "concat", "transpose", "from_shape", "permute", "batch_dot", "gather", "eye" };

    /// <summary>Parameter types the generators can fill; a required parameter of another type needs a hand-written property.</summary>
    private static readonly HashSet<string> Fillable = ["tensor", "tensors", "axis", "axes", "ints", "bool", "dtype", "shape", "pair", "string?", "seed", "float", "float?"];

    public static readonly DType[] AllDTypes = [DType.Float32, DType.Float64, DType.Float16, DType.Int32, DType.Int64, DType.Int8, DType.Int16, DType.UInt8, DType.Bool];

    /// <summary>True when <see cref="Valid"/> can generate calls of <paramref name="op"/>.</summary>
    public static bool Supports(OpInfo op) =>
        op.IsKernel && Rules.Contains(op.ShapeRule) && op.Params.All(p => p.Default is not null || Fillable.Contains(p.Type))
        && (op.ShapeRule is not ("same" or "broadcast") || TensorParams(op).Count is 1 or 2);

    private static List<OpParam> TensorParams(OpInfo op) => op.Params.Where(p => p.Type is "tensor").ToList();

    private static readonly Gen<int> Dim = Gen.Frequency((1, Gen.Const(0)), (2, Gen.Const(1)), (7, Gen.Int[2, 5]));

    private static Gen<int[]> ShapeGen(int minRank, int maxRank) => Dim.Array[minRank, maxRank];

    /// <summary>dtypes the op may take: its declared dtype checks narrow them.</summary>
    private static DType[] DTypesFor(OpInfo op) =>
        op.Errors.Any(e => e.EndsWith(":float_dtype", StringComparison.Ordinal)) ? [DType.Float32, DType.Float64, DType.Float16]
        : op.Errors.Any(e => e.EndsWith(":integer_dtype", StringComparison.Ordinal)) ? [DType.Int32, DType.Int64, DType.Int8, DType.UInt8]
        : AllDTypes;

    private static Gen<DType> DTypeGen(OpInfo op) => Gen.OneOf(DTypesFor(op));

    /// <summary>Valid calls of <paramref name="op"/> (it must be <see cref="Supports">supported</see>).</summary>
    public static Gen<Plan> Valid(OpInfo op)
    {
        var tps = TensorParams(op);
        var dtypeGen = DTypeGen(op);
        Gen<(List<Plan.TensorArg> T, Dictionary<string, object?> A)> body = op.ShapeRule switch
        {
            "same" or "transpose" => Gen.Select(ShapeGen(0, 5), dtypeGen, (s, d) => (tps.Select(p => new Plan.TensorArg(p.Name, d, s)).ToList(), new Dictionary<string, object?>())),
            "broadcast" => Gen.Select(ShapeGen(0, 4), Gen.Int[0, 2], Gen.Int.Array[5], dtypeGen, dtypeGen, (s, drop, ones, dx, dy) =>
            {
                // y is x's shape with leading axes dropped and some dimensions set to 1; which side is which varies.
                var ys = s.Skip(Math.Min(drop, s.Length)).Select((d, i) => (ones[i] & 3) == 0 ? 1 : d).ToArray();
                var xs = s.Select((d, i) => (ones[(i + 2) % 5] & 7) == 0 ? 1 : d).ToArray();
                if (BroadcastShape(xs, ys) is null) xs = s;
                return (new List<Plan.TensorArg> { new(tps[0].Name, dx, xs), new(tps[^1].Name, dy, ys) }, new Dictionary<string, object?>());
            }),
            "reduce" or "reduce_axis" => Gen.Select(ShapeGen(0, 5), dtypeGen, Gen.Int.Array[0, 5], Gen.Bool, Gen.Bool, (s, d, picks, all, keep) =>
            {
                int r = s.Length;
                var axes = r == 0 || all ? null : picks.Select(p => ((p % r) + r) % r).Distinct().Select((a, i) => i % 2 == 0 ? a - r : a).ToArray();
                var a = new Dictionary<string, object?>();
                var axisParam = op.Params.FirstOrDefault(p => p.Type is "axes" or "axis");
                if (axisParam is not null)
                {
                    if (axisParam.Type == "axis") a[axisParam.Name] = r == 0 ? 0 : axes is { Length: > 0 } ? axes[0] : -1;
                    else a[axisParam.Name] = axes;
                }
                var kd = op.Params.FirstOrDefault(p => p.Type == "bool");
                if (kd is not null) a[kd.Name] = keep;
                return (new List<Plan.TensorArg> { new(tps[0].Name, d, s) }, a);
            }),
            "dot" => Gen.Select(ShapeGen(0, 2), ShapeGen(0, 2), Dim, Dim, Gen.Int[0, 2], dtypeGen, dtypeGen, (xb, yb, k, n, form, dx, dy) =>
            {
                int[] xs = [.. xb, Math.Max(k, 1)];
                int[] ys = form == 0 ? [xs[^1]] : [.. yb, xs[^1], n];
                return (new List<Plan.TensorArg> { new(tps[0].Name, dx, xs), new(tps[1].Name, dy, ys) }, new Dictionary<string, object?>());
            }),
            "batch_dot" => Gen.Select(Gen.Int[1, 3], Dim, Dim, Dim, dtypeGen, (b, m, k, n, d) =>
                (new List<Plan.TensorArg> { new(tps[0].Name, d, [b, m, k]), new(tps[1].Name, d, [b, k, n]) }, new Dictionary<string, object?>())),
            "gather" => Gen.Select(ShapeGen(1, 3), ShapeGen(0, 2), dtypeGen, Gen.Int, (s, idx, d, seed) =>
            {
                if (s[0] == 0) s[0] = 2;
                return (new List<Plan.TensorArg> { new(tps[0].Name, d, s), new(tps[1].Name, DType.Int32, idx) }, new Dictionary<string, object?>());
            }),
            "concat" => Gen.Select(ShapeGen(1, 5), Gen.Int[1, 3], Gen.Int, Dim.Array[3], dtypeGen.Array[3], (s, count, axisPick, sizes, ds) =>
            {
                int r = s.Length, ax = ((axisPick % r) + r) % r;
                var list = new List<Plan.TensorArg>();
                for (int i = 0; i < count; i++)
                {
                    var si = (int[])s.Clone();
                    si[ax] = sizes[i];
                    list.Add(new Plan.TensorArg(op.Params.First(p => p.Type == "tensors").Name, ds[i], si, i));
                }
                var axisName = op.Params.FirstOrDefault(p => p.Type == "axis")?.Name;
                var a = new Dictionary<string, object?>();
                if (axisName is not null) a[axisName] = (axisPick & 1) == 0 ? ax : ax - r;
                return (list, a);
            }),
            "permute" => Gen.Select(ShapeGen(0, 5), dtypeGen, Gen.Int.Array[5], (s, d, keys) =>
            {
                var pattern = Enumerable.Range(0, s.Length).OrderBy(i => keys[i]).ToArray();
                var a = new Dictionary<string, object?> { [op.Params.First(p => p.Type is "axes" or "ints").Name] = pattern };
                return (new List<Plan.TensorArg> { new(tps[0].Name, d, s) }, a);
            }),
            "from_shape" => Gen.Select(ShapeGen(0, 4), dtypeGen, Gen.Bool, (s, d, useDefault) =>
            {
                var a = new Dictionary<string, object?> { [op.Params.First(p => p.Type == "shape").Name] = s };
                var dp = op.Params.FirstOrDefault(p => p.Type == "dtype");
                if (dp is not null && (!useDefault || dp.Default is null)) a[dp.Name] = d.Name();
                return (new List<Plan.TensorArg>(), a);
            }),
            "eye" => Gen.Select(Gen.Int[0, 5].Array[1, 2], dtypeGen, (size, d) =>
            {
                var a = new Dictionary<string, object?> { [op.Params.First(p => p.Type is "ints" or "shape" or "axes").Name] = size };
                var dp = op.Params.FirstOrDefault(p => p.Type == "dtype");
                if (dp is not null) a[dp.Name] = d.Name();
                return (new List<Plan.TensorArg>(), a);
            }),
            _ => throw new ArgumentException($"no generator for shape rule '{op.ShapeRule}' of {op.Name}"),
        };
        // A required axis or axes parameter the rule did not fill (reverse's axes) gets valid axes of the first tensor.
        var pending = op.Params.Where(p => p.Default is null && p.Type is "axis" or "axes").ToList();
        if (pending.Count > 0)
            body = Gen.Select(body, Gen.Int.Array[1, 4], (b, picks) =>
            {
                int r = b.T.Count > 0 ? b.T[0].Shape.Length : 0;
                foreach (var p in pending.Where(p => !b.A.ContainsKey(p.Name)))
                {
                    var axes = r == 0 ? [] : picks.Select(v => ((v % r) + r) % r).Distinct().ToArray();
                    b.A[p.Name] = p.Type == "axis" ? (r == 0 ? 0 : axes[0]) : axes;
                }
                return b;
            });
        // Required number parameters (clip's bounds) get small values, halves included; a nullable one is sometimes null.
        var numbers = op.Params.Where(p => p.Default is null && p.Type is "float" or "float?").ToList();
        if (numbers.Count > 0)
            body = Gen.Select(body, Gen.Int[0, 6].Array[numbers.Count], (b, picks) =>
            {
                for (int i = 0; i < numbers.Count; i++)
                    if (!b.A.ContainsKey(numbers[i].Name))
                        b.A[numbers[i].Name] = picks[i] == 6 && numbers[i].Type == "float?" ? null : (object)(picks[i] * 0.75 - 2.0);
                return b;
            });
        // Required dtype parameters (cast) get a dtype; everything else keeps its default.
        var dtypeParam = op.Params.FirstOrDefault(p => p.Type == "dtype" && p.Default is null);
        return Gen.Select(body, Gen.Int, Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))), Gen.OneOf(AllDTypes), (b, seed, special, target) =>
        {
            if (dtypeParam is not null && !b.A.ContainsKey(dtypeParam.Name)) b.A[dtypeParam.Name] = target.Name();
            return new Plan(op, b.T, b.A, seed, special);
        });
    }

    /// <summary>
    /// Calls violating one of the op's declared checks, with the Keras error kind the spec declares for it; an empty
    /// list when the generators know no way to violate the op's checks.
    /// </summary>
    public static IReadOnlyList<(string Check, Gen<Plan> Gen)> Invalid(OpInfo op)
    {
        var r = new List<(string, Gen<Plan>)>();
        var tps = TensorParams(op);
        bool Declares(string check) => op.Errors.Any(e => e.EndsWith(":" + check, StringComparison.Ordinal));
        Plan P(List<Plan.TensorArg> t, Dictionary<string, object?> a, int seed) => new(op, t, a, seed, false);
        var dt = DTypeGen(op);

        if (Declares("broadcastable") && tps.Count == 2)
            r.Add(("broadcastable", Gen.Select(ShapeGen(0, 3), Gen.Int[2, 5], Gen.Int[1, 3], dt, Gen.Int, (s, a, da, d, seed) =>
                P([new(tps[0].Name, d, [.. s, a]), new(tps[1].Name, d, [a + da])], [], seed))));
        if (Declares("axes_valid") && op.Params.FirstOrDefault(p => p.Type == "axes") is { } axes)
            r.Add(("axes_valid", Gen.Select(ShapeGen(1, 4), Gen.Int[0, 3], Gen.Bool, Gen.Bool, dt, Gen.Int, (s, extra, neg, dup, d, seed) =>
            {
                int rank = s.Length;
                int[] bad = dup ? [0, -rank] : [neg ? -rank - 1 - extra : rank + extra];
                return P([new(tps[0].Name, d, s)], new() { [axes.Name] = bad }, seed);
            })));
        if (Declares("axis_valid") && op.Params.FirstOrDefault(p => p.Type == "axis") is { } axis && op.ShapeRule != "concat")
            r.Add(("axis_valid", Gen.Select(ShapeGen(1, 4), Gen.Int[0, 3], Gen.Bool, dt, Gen.Int, (s, extra, neg, d, seed) =>
                // Every tensor parameter gets the shape (a loss's target and output), so the axis is what is wrong.
                P(tps.Select(t => new Plan.TensorArg(t.Name, d, s)).ToList(), new() { [axis.Name] = neg ? -s.Length - 1 - extra : s.Length + extra }, seed))));
        if (Declares("dot_compatible"))
            r.Add(("dot_compatible", Gen.Select(ShapeGen(0, 2), Gen.Int[1, 4], Gen.Int[1, 3], Gen.Bool, dt, Gen.Int, (s, k, dk, scalar, d, seed) =>
                scalar ? P([new(tps[0].Name, d, []), new(tps[1].Name, d, [.. s, k])], [], seed)
                       : P([new(tps[0].Name, d, [.. s, k]), new(tps[1].Name, d, [k + dk, 2])], [], seed))));
        if (op.ShapeRule == "concat" && op.Params.FirstOrDefault(p => p.Type == "tensors") is { } ts)
        {
            var axisName = op.Params.FirstOrDefault(p => p.Type == "axis")?.Name ?? "axis";
            if (Declares("concat_compatible"))
                r.Add(("concat_compatible", Gen.Select(ShapeGen(2, 4), Gen.Int[1, 3], dt, Gen.Int, (s, dd, d, seed) =>
                {
                    var s2 = (int[])s.Clone();
                    s2[0] += dd;   // concatenating along the last axis, so axis 0 must match but does not
                    return P([new(ts.Name, d, s, 0), new(ts.Name, d, s2, 1)], new() { [axisName] = -1 }, seed);
                })));
            if (Declares("concat_ranks"))
                r.Add(("concat_ranks", Gen.Select(ShapeGen(1, 3), dt, Gen.Int, (s, d, seed) =>
                    P([new(ts.Name, d, s, 0), new(ts.Name, d, [.. s, 2], 1)], new() { [axisName] = 0 }, seed))));
            if (Declares("axis_valid"))
                r.Add(("axis_valid", Gen.Select(ShapeGen(1, 3), Gen.Int[0, 3], Gen.Bool, dt, Gen.Int, (s, extra, neg, d, seed) =>
                    P([new(ts.Name, d, s, 0), new(ts.Name, d, s, 1)], new() { [axisName] = neg ? -s.Length - 1 - extra : s.Length + extra }, seed))));
            if (Declares("concat_nonempty"))
                r.Add(("concat_nonempty", Gen.Select(Gen.Int, seed => P([], new() { [axisName] = 0 }, seed))));
        }
        // Only for ops whose one input is the shape (zeros, random_*): an op that also takes tensors (scatter) needs
        // them valid too, which this generator cannot know; its golden error cases cover the check.
        if (Declares("shape_valid") && tps.Count == 0 && op.Params.FirstOrDefault(p => p.Type == "shape") is { } shp)
            r.Add(("shape_valid", Gen.Select(ShapeGen(0, 3), Gen.Int[1, 5], Gen.Int[0, 3], Gen.Int, (s, neg, at, seed) =>
            {
                var bad = s.ToList();
                bad.Insert(Math.Min(at, bad.Count), -neg);
                return P([], new() { [shp.Name] = bad.ToArray() }, seed);
            })));
        if (Declares("permutation_valid") && op.Params.FirstOrDefault(p => p.Type == "axes") is { } pat)
            r.Add(("permutation_valid", Gen.Select(ShapeGen(1, 4), Gen.Int[0, 2], dt, Gen.Int, (s, how, d, seed) =>
            {
                int[] bad = how switch { 0 => [.. Enumerable.Range(0, s.Length + 1)], 1 => [.. Enumerable.Repeat(0, s.Length + 1).Take(Math.Max(2, s.Length))], _ => [.. Enumerable.Range(1, s.Length)] };
                return P([new(tps[0].Name, d, s)], new() { [pat.Name] = bad }, seed);
            })));
        return r;
    }

    /// <summary>The Keras error kind the spec declares for <paramref name="check"/> of <paramref name="op"/>.</summary>
    public static string KindOf(OpInfo op, string check) =>
        op.Errors.First(e => e.EndsWith(":" + check, StringComparison.Ordinal)).Split(':')[0];

    internal static int[]? BroadcastShape(int[] a, int[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var d = new int[r];
        for (int i = 0; i < r; i++)
        {
            int x = i < r - a.Length ? 1 : a[i - (r - a.Length)], y = i < r - b.Length ? 1 : b[i - (r - b.Length)];
            if (x != y && x != 1 && y != 1) return null;
            d[i] = x == 1 ? y : x;
        }
        return d;
    }
}
