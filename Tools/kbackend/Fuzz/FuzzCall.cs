using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KerasBackend.Tool.Fuzz;

/// <summary>
/// One fuzz call: an op of the spec and arguments drawn for its declared parameter types. Call <c>i</c> of seed
/// <c>s</c> is the same on every machine and in every process (the op is <c>ops[i % count]</c>, the values come from
/// a generator seeded by (s, i)), so a crash in a child process is reported by regenerating the call in the parent.
/// </summary>
internal sealed class FuzzCall
{
    public required OpInfo Op { get; init; }
    public required string Backend { get; init; }
    public required Dictionary<string, object?> Args { get; init; }
    public required string Reproducer { get; init; }

    /// <summary>The ops the fuzzer calls: every op of the registry (optionally only the named ones), by name.</summary>
    public static IReadOnlyList<OpInfo> Ops(IReadOnlyCollection<string>? only) =>
        OpRegistry.All.Where(o => only is null || only.Count == 0 || only.Contains(o.Name)).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();

    /// <summary>Builds call <paramref name="index"/> of <paramref name="seed"/>. Making the arguments runs no op of the spec's kernels.</summary>
    public static FuzzCall Make(IReadOnlyList<OpInfo> ops, IReadOnlyList<string> backends, long seed, long index)
    {
        var op = ops[(int)(index % ops.Count)];
        var g = new ArgGen(new Random(Mix(seed, index)));
        var backend = backends[g.R.Next(backends.Count)];
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        var text = new List<string>();
        foreach (var p in op.Params)
        {
            // Optional parameters are sometimes left out (their default), as a caller would.
            if (p.Default is not null && g.R.Next(4) == 0) continue;
            var (value, shown) = g.Value(p);
            args[p.Name] = value;
            text.Add($"{p.Name}={shown}");
        }
        return new FuzzCall
        {
            Op = op, Backend = backend, Args = args,
            Reproducer = $"{op.Name}({string.Join(", ", text)}) on backend {backend}",
        };
    }

    /// <summary>SplitMix64 of (seed, index) folded to an int seed.</summary>
    private static int Mix(long seed, long index)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return unchecked((int)z ^ (int)(z >> 32));
    }
}

/// <summary>Draws argument values for each spec parameter type, hostile on purpose, and says how to write them down.</summary>
internal sealed class ArgGen(Random r)
{
    public Random R { get; } = r;

    // Half the calls give every tensor argument one shape and dtype, so that ops with several tensors (binary
    // math, conv2d's x and kernel, gradients of pooling) get past their compatibility checks and reach the kernels.
    private readonly bool _shared = r.Next(2) == 0;
    private int[]? _sharedShape;
    private DType? _sharedDType;

    // Sizes that are small, or so large that any product with another is refused: never "large but allowed",
    // which would only make the run slow and memory-hungry without finding anything.
    private static readonly int[] Ints = [0, 1, 1, 2, 2, 3, 3, 4, 5, 7, -1, -2, -7, 64, 65, 65536, int.MaxValue, int.MinValue, int.MaxValue - 1, 46341];
    private static readonly int[] Dims = [0, 1, 1, 2, 2, 3, 3, 4, 5];
    private static readonly int[] TameRanks = [1, 2, 2, 3, 3, 4, 4, 4];
    private static readonly int[] HugeDims = [65536, int.MaxValue, int.MaxValue - 1, 46341, -1, -3];
    private static readonly double[] Floats = [0, 1, -1, 0.5, 2, 0.9, 1e-7, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e308, -1e308, 5e-324, 3, 1e6];
    private static readonly string[] Words =
        ["", "float32", "float16", "float64", "int32", "int64", "uint8", "bool", "complex64", "channels_last", "channels_first", "same", "valid",
         "causal", "full", "max", "avg", "relu", "tanh", "sigmoid", "identity_count", "accumulate", "linear", "x", "name/with/slash", "\u00e9\u00e8\ud83d\ude42", "\0", "None"];
    private static readonly Regex Quoted = new(@"'([A-Za-z_][A-Za-z0-9_]*)'|`([A-Za-z_][A-Za-z0-9_]*)`");

    // Half the calls are tame: each non-tensor argument is hostile only one time in ten, so that ops with many
    // arguments (conv2d, pool2d, rnn) are reached past their checks; the other half are hostile throughout.
    private readonly bool _tame = r.Next(2) == 0;

    public (object? Value, string Shown) Value(OpParam p)
    {
        if (_tame && R.Next(10) != 0 && Tame(p) is { } tame) return tame;
        int roll = R.Next(100);
        // Null where the type is not nullable: the facade must say TypeError, not throw NullReferenceException.
        if (roll < 3) return (null, "None");
        switch (p.Type)
        {
            case "tensor": case "tensor?": return p.Doc.Contains("ariable") && R.Next(2) == 0 ? VariableArg() : TensorArg();
            case "tensors": case "tensors?": return TensorList();
            case "axis": { var a = Axis(); return (a, Show(a)); }
            case "axes": case "pair": case "ints": case "ints?": case "shape": return IntList(p.Type is "shape" or "ints" or "ints?");
            case "int": case "int?": case "seed": { var i = Pick(Ints); return (i, Show(i)); }
            case "float": case "float?": { var d = Pick(Floats); return (d, Show(d)); }
            case "bool": { bool b = R.Next(2) == 0; return (b, b ? "True" : "False"); }
            case "dtype": return DTypeArg();
            case "string": case "string?": return StringArg(p);
            case "int_shape": return IntShape();
            case "value": case "object": return Loose();
            case "function": return R.Next(2) == 0 ? ((Func<Tensor, Tensor>)(t => t), "lambda t: t") : ("not a function", "'not a function'");
            case "step_function":
            {
                var names = RnnSteps.ByName.Keys.ToList();
                var s = R.Next(5) == 0 ? "no_such_step" : names[R.Next(names.Count)];
                return (s, $"'{s}'");
            }
            case "updates":
            {
                var list = new List<object>();
                var shown = new List<string>();
                for (int k = R.Next(3); k > 0; k--) { var (t, st) = TensorArg(); if (t is not null) { list.Add(t); shown.Add(st); } }
                return (list, "[" + string.Join(", ", shown) + "]");
            }
            default: { var (t, s) = TensorArg(); return (t, s); }
        }
    }

    /// <summary>A plausible value for the parameter type, or null to fall back to the hostile draw (tensors and loose values).</summary>
    private (object?, string)? Tame(OpParam p)
    {
        switch (p.Type)
        {
            case "axis": { int a = R.Next(-1, 2); return (a, Show(a)); }
            case "axes": case "pair": { var a = R.Next(3) == 0 ? null : new[] { R.Next(-1, 2) }; return (a, a is null ? "None" : $"[{a[0]}]"); }
            case "ints": case "ints?": case "shape":
            {
                var a = new int[R.Next(4) == 0 ? R.Next(1, 4) : 2];
                for (int i = 0; i < a.Length; i++) a[i] = R.Next(1, 3);
                return (a, "[" + string.Join(", ", a) + "]");
            }
            case "int": case "int?": case "seed": { int i = R.Next(1, 4); return (i, Show(i)); }
            case "float": case "float?": { double d = Pick(new[] { 0.5, 0.9, 1.0, 0.1, 2.0 }); return (d, Show(d)); }
            case "dtype": { var d = DTypes.All[R.Next(DTypes.All.Count)]; return (d, $"'{d.Name()}'"); }
            case "string": case "string?":
            {
                if (p.Type == "string?" && R.Next(3) == 0) return (null, "None");
                var known = Words.Where(w => w.Length > 2 && (p.Doc + " " + p.Default + " " + p.Name).Contains(w, StringComparison.Ordinal)).ToList();
                if (p.Name == "data_format") known = ["channels_last", "channels_first"];
                if (known.Count == 0) return null;
                var w = known[R.Next(known.Count)];
                return (w, $"'{w}'");
            }
            default: return null;
        }
    }

    private T Pick<T>(T[] a) => a[R.Next(a.Length)];

    private int Axis() => R.Next(10) switch
    {
        < 5 => R.Next(-4, 5),
        5 => int.MaxValue,
        6 => int.MinValue,
        7 => 64,
        8 => -65,
        _ => R.Next(-100, 100),
    };

    private (object?, string) IntList(bool shapeLike)
    {
        int roll = R.Next(20);
        int[] a;
        if (roll == 0) a = [];
        else if (roll == 1) a = Enumerable.Repeat(65536, R.Next(2, 6)).ToArray();         // products that overflow int and long
        else if (roll == 2) a = Enumerable.Repeat(1, R.Next(65, 300)).ToArray();          // more dimensions than a tensor has
        else if (roll == 3) a = [int.MaxValue, int.MaxValue, 2];
        else if (roll == 4) a = [0, int.MaxValue, int.MaxValue];                          // empty, but strides overflow
        else
        {
            a = new int[R.Next(1, 5)];
            for (int i = 0; i < a.Length; i++)
                a[i] = shapeLike ? (R.Next(8) == 0 ? Pick(HugeDims) : Pick(Dims)) : Axis();
        }
        return (a, "[" + string.Join(", ", a.Select(Show)) + "]");
    }

    private (object?, string) IntShape()
    {
        var a = new int?[R.Next(0, 5)];
        for (int i = 0; i < a.Length; i++) a[i] = R.Next(4) == 0 ? null : R.Next(8) == 0 ? Pick(HugeDims) : Pick(Dims);
        return (a, "(" + string.Join(", ", a.Select(d => d is null ? "None" : Show(d.Value))) + (a.Length == 1 ? ",)" : ")"));
    }

    private (object?, string) DTypeArg()
    {
        int roll = R.Next(10);
        if (roll == 0) return (null, "None");
        if (roll == 1)
        {
            var bad = (DType)R.Next(DTypes.All.Count, 256);   // an undefined enum value
            return (bad, $"(DType){(int)bad}");
        }
        var d = DTypes.All[R.Next(DTypes.All.Count)];
        return (d, $"'{d.Name()}'");
    }

    private (object?, string) StringArg(OpParam p)
    {
        var fromDoc = Quoted.Matches(p.Doc + " " + (p.Default ?? "")).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
        string s = R.Next(3) == 0 || fromDoc.Count == 0 ? (R.Next(30) == 0 ? new string('a', 5000) : Pick(Words)) : fromDoc[R.Next(fromDoc.Count)];
        return (s, "'" + (s.Length > 40 ? s[..10] + $"...({s.Length} chars)" : s.Replace("\0", "\\0")) + "'");
    }

    private (object?, string) Loose() => R.Next(6) switch
    {
        0 => TensorArg(),
        1 => (2.5, "2.5"),
        2 => (new List<object?> { 1.0, 2.0, double.NaN }, "[1.0, 2.0, nan]"),
        3 => (new List<object?> { new List<object?> { 1L, 2L }, new List<object?> { 3L } }, "[[1, 2], [3]]"),
        4 => ("text", "'text'"),
        _ => (new float[,] { { 1, 2 }, { 3, float.PositiveInfinity } }, "np.array([[1, 2], [3, inf]], 'float32')"),
    };

    private (object?, string) TensorList()
    {
        int n = R.Next(10) == 0 ? 0 : R.Next(1, 4);
        var list = new List<Tensor>();
        var shown = new List<string>();
        var first = RandomShape();
        for (int i = 0; i < n; i++)
        {
            // Mostly tensors of one shape (so joins get past the first checks), sometimes a different one or a null.
            if (R.Next(15) == 0) { list.Add(null!); shown.Add("None"); continue; }
            var (t, s) = MakeTensor(R.Next(4) == 0 ? RandomShape() : first, RandomDType(), symbolic: R.Next(12) == 0);
            list.Add((Tensor)t!); shown.Add(s);
        }
        return (list, "[" + string.Join(", ", shown) + "]");
    }

    /// <summary>A variable of a random shape and dtype (state ops take variables).</summary>
    private (object?, string) VariableArg()
    {
        var (t, shown) = MakeTensor(RandomShape(), RandomDType(), symbolic: false);
        var v = K.Variable(t!);
        return (v, $"K.variable({shown})");
    }

    private (object?, string) TensorArg()
    {
        int roll = R.Next(40);
        if (roll == 0) return VariableArg();
        if (roll == 1) return (2.0, "2.0");                                   // a Python number where a tensor is expected
        if (_shared && roll > 10)
        {
            _sharedShape ??= RandomShape();
            _sharedDType ??= RandomDType();
            return MakeTensor(_sharedShape, _sharedDType.Value, symbolic: roll < 5);
        }
        return MakeTensor(RandomShape(), RandomDType(), symbolic: roll < 5);
    }

    private int[] RandomShape()
    {
        int rank = _tame ? Pick(TameRanks) : R.Next(10) switch { 0 => 0, < 4 => 1, < 7 => 2, 7 or 8 => 3, _ => 4 };
        var dims = new int[rank];
        // Tame shapes are often cubes (every dimension k): channels and window sizes then agree by construction.
        int cube = _tame && R.Next(2) == 0 ? R.Next(1, 4) : 0;
        for (int i = 0; i < rank; i++) dims[i] = cube > 0 ? cube : R.Next(12) == 0 ? 0 : R.Next(1, 5);
        return dims;
    }

    private DType RandomDType(bool allowBool = true)
    {
        var d = _tame && R.Next(3) != 0 ? (R.Next(2) == 0 ? DType.Float32 : DType.Float64) : DTypes.All[R.Next(DTypes.All.Count)];
        return !allowBool && d == DType.Bool ? DType.Float32 : d;
    }

    private (object?, string) MakeTensor(int[] dims, DType dtype, bool symbolic)
    {
        if (symbolic)
        {
            var shape = dims.Select(d => R.Next(3) == 0 ? (int?)null : d).ToArray();
            var ph = K.Placeholder(shape, dtype: dtype);
            return (ph, $"K.placeholder(shape=({string.Join(", ", shape.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "None"))}{(shape.Length == 1 ? "," : "")}), dtype='{dtype.Name()}')");
        }
        var t = Tensor.Uninitialized(dtype, new Shape(dims));
        var values = new StringBuilder();
        for (int i = 0; i < t.Size; i++)
        {
            double v = dtype.IsFloat()
                ? (R.Next(8) == 0 ? Pick(Floats) : Math.Round(R.NextDouble() * 8 - 4, 2))
                : dtype == DType.Bool ? R.Next(2)
                : R.Next(10) == 0 ? Pick(new double[] { 127, -128, 255, 32767, -32768, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue }) : R.Next(-4, 5);
            t.SetDouble(i, v);
            if (i > 0) values.Append(", ");
            values.Append(dtype == DType.Float32 ? ((float)t.GetDouble(i)).ToString("R", CultureInfo.InvariantCulture) : Show(t.GetDouble(i)));
        }
        var shapeText = "(" + string.Join(", ", dims) + (dims.Length == 1 ? ",)" : ")");
        return (t, $"np.array([{values}], '{dtype.Name()}').reshape{shapeText}");
    }

    private static string Show(int i) => i switch
    {
        int.MaxValue => "2147483647",
        int.MinValue => "-2147483648",
        _ => i.ToString(CultureInfo.InvariantCulture),
    };

    private static string Show(double d) =>
        double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString("R", CultureInfo.InvariantCulture);
}
