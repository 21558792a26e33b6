using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KerasBackend.Cases;

/// <summary>The outcome of one case on one backend.</summary>
/// <param name="Case">The case.</param>
/// <param name="Passed">True when the result (or error kind) matched.</param>
/// <param name="Reason">Why it failed (null when it passed).</param>
/// <param name="WorstError">Largest |got - expected| / max(|expected|, 1) over the finite floating elements compared: a
/// relative error for large values, an absolute one below 1 (0 for exact results).</param>
/// <param name="Inputs">The inputs and args, shortened for display.</param>
/// <param name="Expected">The expectation, shortened for display.</param>
/// <param name="Got">What the backend produced (a value or an exception), shortened for display.</param>
public sealed record CaseResult(Case Case, bool Passed, string? Reason, double WorstError, string Inputs, string Expected, string Got);

/// <summary>
/// Replays conformance cases against a backend: restores the default configuration before each case, builds the
/// inputs, invokes the op by Keras name through <see cref="OpRegistry.Invoke"/>, and compares the result with
/// dtype-aware tolerances, or the raised exception's Keras kind (<see cref="KerasValueException.KerasKind"/>)
/// with the expected error. Anything it cannot run (an unknown op, an unreadable input) is a failure, never a skip.
/// </summary>
/// <remarks>
/// The configuration is process-wide: while cases run, floatx, epsilon, image_data_format and the learning phase are the
/// defaults, and the previous configuration and learning phase are put back when <see cref="RunAll"/> returns (unsetting a
/// learning phase that a case set goes through clear_session, which also resets uids). Do not replay cases while other threads
/// depend on a changed configuration.
/// </remarks>
public sealed class CaseRunner(IBackend backend)
{
    private const int ShownValues = 8;

    /// <summary>The backend the cases run on.</summary>
    public IBackend Backend { get; } = backend ?? throw new ArgumentNullException(nameof(backend));

    /// <summary>How an op is called with the case's arguments (default: <see cref="OpRegistry.Invoke"/>); the ONNX round-trip test records and exports it instead.</summary>
    internal Func<string, Dictionary<string, object?>, object?>? Invoke { get; init; }

    /// <summary>Runs every case in order; the configuration in effect before the call is restored afterwards.</summary>
    public IReadOnlyList<CaseResult> RunAll(IEnumerable<Case> cases)
    {
        var saved = Config.Current;
        int? phase = Session.IsLearningPhaseSet ? Session.LearningPhase : null;
        try
        {
            using var _ = KerasBackend.Backend.Use(Backend);
            return cases.Select(RunOne).ToList();
        }
        finally
        {
            Config.Reset(saved);
            if (phase is { } p) Session.SetLearningPhase(p);
            else if (Session.IsLearningPhaseSet) Session.ClearSession(freeMemory: false);
        }
    }

    /// <summary>Runs one case (see <see cref="RunAll"/> for the configuration it leaves behind).</summary>
    public CaseResult Run(Case c) => RunAll([c])[0];

    private CaseResult RunOne(Case c)
    {
        string inputs = DescribeInputs(c);
        string expected = c.ExpectError ?? (c.Expect is { } e ? DescribeJson(e) : "(nothing)");
        CaseResult Fail(string reason, string got = "(not run)", double worst = 0) => new(c, false, reason, worst, inputs, expected, got);

        if (c.Problem is not null) return Fail("malformed case: " + c.Problem);
        var info = OpRegistry.Find(c.Op);
        if (info is null) return Fail($"cannot run: unknown op '{c.Op}' (not in this build's spec)");

        RestoreDefaults();
        Dictionary<string, object?> args;
        Variable? variable = null;
        try
        {
            args = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in c.Args) args[k] = v;
            foreach (var (k, v) in c.Inputs)
            {
                if (v.ValueKind == JsonValueKind.Array)
                    args[k] = v.EnumerateArray().Select((t, i) => CaseTensors.ToTensor(t, $"inputs.{k}[{i}]")).ToList();
                else
                {
                    var t = CaseTensors.ToTensor(v, "inputs." + k);
                    if (v.TryGetProperty("variable", out var isVar) && isVar.ValueKind == JsonValueKind.True)
                        t = variable ??= K.Variable(t, t.DType, k);
                    args[k] = t;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or KerasValueException or FormatException or InvalidOperationException)
        {
            return Fail("cannot run: " + ex.Message);
        }

        object? result;
        try
        {
            result = Invoke is { } invoke ? invoke(c.Op, args) : OpRegistry.Invoke(c.Op, args);
            // A setter is checked through its getter; an update op through the variable it changed.
            if (c.Op.StartsWith("set_", StringComparison.Ordinal) && OpRegistry.Find(c.Op[4..]) is { } getter)
                result = OpRegistry.Invoke(getter.Name, new Dictionary<string, object?>());
            else if (variable is not null && (result is null || c.Op.Contains("update", StringComparison.Ordinal)))
                result = variable;
        }
        catch (KerasValueException ex)
        {
            return ErrorOutcome(ex.KerasKind, ex);
        }
        catch (KerasConfigException ex)
        {
            return ErrorOutcome(ex.KerasKind, ex);
        }
        catch (Exception ex)
        {
            return Fail($"crashed with {ex.GetType().Name} (not a Keras error kind): {FirstLine(ex.Message)}", $"{ex.GetType().Name}: {FirstLine(ex.Message)}");
        }

        if (c.ExpectError is not null)
            return Fail($"expected {c.ExpectError}, but the op returned a result", DescribeResult(result));
        return Compare(c, info, result, inputs, expected);

        CaseResult ErrorOutcome(string kind, Exception ex)
        {
            string got = $"{kind} ({ex.GetType().Name}): {FirstLine(ex.Message)}";
            if (c.ExpectError is null) return Fail($"raised {kind}: {FirstLine(ex.Message)}", got);
            return kind == c.ExpectError
                ? new CaseResult(c, true, null, 0, inputs, expected, got)
                : Fail($"expected {c.ExpectError}, got {kind}: {FirstLine(ex.Message)}", got);
        }
    }

    /// <summary>Restores the state every case starts from: floatx float32, epsilon 1e-7, channels_last, learning phase unset (the backend is kept). The property runner uses it too.</summary>
    public static void RestoreDefaults()
    {
        // clear_session is the only way to unset the learning phase; it also resets uids and the manual-init flag.
        if (Session.IsLearningPhaseSet || Session.ManualVariableInitialization) Session.ClearSession(freeMemory: false);
        var cur = Config.Current;
        var d = ConfigState.Defaults;
        if (cur.Floatx != d.Floatx || cur.Epsilon != d.Epsilon || cur.ImageDataFormat != d.ImageDataFormat)
            Config.Reset(cur with { Floatx = d.Floatx, Epsilon = d.Epsilon, ImageDataFormat = d.ImageDataFormat });
    }

    private static CaseResult Compare(Case c, OpInfo info, object? result, string inputs, string expected)
    {
        var want = c.Expect!.Value;
        bool plainInt = info.ResultType is "int" or "long" or "int_shape";
        var wants = want.ValueKind == JsonValueKind.Array ? want.EnumerateArray().ToList() : [want];
        List<Flat> gots;
        try
        {
            gots = want.ValueKind == JsonValueKind.Array ? FlattenMany(result) : [Flat.FromResult(result)];
        }
        catch (InvalidDataException ex)
        {
            return new CaseResult(c, false, ex.Message, 0, inputs, expected, DescribeResult(result));
        }
        string got = string.Join("; ", gots.Select(g => g.ToString()));
        if (gots.Count != wants.Count)
            return new CaseResult(c, false, $"expected {wants.Count} results, got {gots.Count}", 0, inputs, expected, got);
        double worst = 0;
        for (int i = 0; i < wants.Count; i++)
        {
            Flat w;
            try { w = Flat.FromJson(wants[i], "expect"); }
            catch (InvalidDataException ex) { return new CaseResult(c, false, "malformed case: " + ex.Message, 0, inputs, expected, got); }
            string prefix = wants.Count > 1 ? $"result {i}: " : "";
            var (ok, reason, err) = Flat.Match(w, gots[i], c.Rtol, c.Atol, plainInt);
            worst = Math.Max(worst, err);
            if (!ok) return new CaseResult(c, false, prefix + reason, worst, inputs, expected, got);
        }
        return new CaseResult(c, true, null, worst, inputs, expected, got);
    }

    private static List<Flat> FlattenMany(object? result) => result switch
    {
        IEnumerable<Tensor> ts => ts.Select(t => Flat.FromResult(t)).ToList(),
        System.Collections.IEnumerable e and not string => e.Cast<object?>().Select(Flat.FromResult).ToList(),
        _ => [Flat.FromResult(result)],
    };

    private static string DescribeResult(object? result)
    {
        try { return result is System.Collections.IEnumerable and not string and not Tensor ? string.Join("; ", FlattenMany(result)) : Flat.FromResult(result).ToString(); }
        catch (InvalidDataException ex) { return ex.Message; }
    }

    private static string FirstLine(string s) { int i = s.IndexOf('\n'); return i < 0 ? s : s[..i]; }

    private static string DescribeInputs(Case c)
    {
        var parts = new List<string>();
        foreach (var (k, v) in c.Inputs)
            parts.Add(v.ValueKind == JsonValueKind.Array ? $"{k}=[{string.Join(", ", v.EnumerateArray().Select(DescribeJson))}]" : $"{k}={DescribeJson(v)}");
        foreach (var (k, v) in c.Args)
        {
            var raw = v.GetRawText();
            parts.Add($"{k}={(raw.Length > 80 ? raw[..77] + "..." : raw)}");
        }
        return string.Join(", ", parts);
    }

    private static string DescribeJson(JsonElement e)
    {
        try { return e.ValueKind == JsonValueKind.Array ? string.Join("; ", e.EnumerateArray().Select(x => Flat.FromJson(x, "tensor").ToString())) : Flat.FromJson(e, "tensor").ToString(); }
        catch (InvalidDataException) { var raw = e.GetRawText(); return raw.Length > 80 ? raw[..77] + "..." : raw; }
    }

    /// <summary>A result or expectation reduced to dtype, shape and flat values (double for floats, long for ints and bool, or a string).</summary>
    internal sealed class Flat
    {
        public required string DType { get; init; }
        public required int[] Shape { get; init; }
        public double[]? F { get; init; }
        public long[]? I { get; init; }
        public string? S { get; init; }
        /// <summary>A plain .NET integer result (int, long, int[]): it matches any integer dtype.</summary>
        public bool AnyInt { get; init; }
        /// <summary>A plain .NET double result: it matches any float dtype.</summary>
        public bool AnyFloat { get; init; }

        public static Flat FromJson(JsonElement t, string where)
        {
            var (dtype, shape, data) = CaseTensors.Parts(t, where);
            if (dtype == "string")
                return new Flat { DType = dtype, Shape = shape, S = data.Count > 0 && data[0].ValueKind == JsonValueKind.String ? data[0].GetString() : data.Count > 0 ? data[0].GetRawText() : "" };
            var dt = DTypes.Parse(dtype, "cases", where);
            if (dt.IsFloat())
                return new Flat { DType = dtype, Shape = shape, F = data.Select(v => RoundTo(dt, CaseTensors.Double(v, where))).ToArray() };
            return new Flat { DType = dtype, Shape = shape, I = data.Select(v => CaseTensors.Long(v, where)).ToArray() };
        }

        private static double RoundTo(DType dt, double v) => dt switch
        {
            KerasBackend.DType.Float32 => (float)v,
            KerasBackend.DType.Float16 => (double)(Half)v,
            _ => v,
        };

        public static Flat FromResult(object? r) => r switch
        {
            null => throw new InvalidDataException("the op returned nothing (null)"),
            Tensor { IsSymbolic: true } t => throw new InvalidDataException($"the op returned a symbolic tensor {t.Describe()}"),
            SparseTensor sp => FromTensor(sp.ToDense()),
            Tensor t => FromTensor(t),
            string s => new Flat { DType = "string", Shape = [], S = s },
            DType d => new Flat { DType = "string", Shape = [], S = d.Name() },
            bool b => new Flat { DType = "bool", Shape = [], I = [b ? 1 : 0] },
            int or long or short or sbyte or byte => new Flat { DType = "int64", Shape = [], I = [Convert.ToInt64(r, CultureInfo.InvariantCulture)], AnyInt = true },
            double or float or Half => new Flat { DType = "float64", Shape = [], F = [Convert.ToDouble(r, CultureInfo.InvariantCulture)], AnyFloat = true },
            int[] a => new Flat { DType = "int64", Shape = [a.Length], I = a.Select(x => (long)x).ToArray(), AnyInt = true },
            IEnumerable<int?> a when a.All(x => x.HasValue) => new Flat { DType = "int64", Shape = [a.Count()], I = a.Select(x => (long)x!.Value).ToArray(), AnyInt = true },
            IEnumerable<int> a => new Flat { DType = "int64", Shape = [a.Count()], I = a.Select(x => (long)x).ToArray(), AnyInt = true },
            long[] a => new Flat { DType = "int64", Shape = [a.Length], I = a, AnyInt = true },
            _ => throw new InvalidDataException($"the op returned a {r.GetType().Name}, which a case cannot describe"),
        };

        private static Flat FromTensor(Tensor t)
        {
            int n = t.Size;
            if (t.DType.IsFloat())
            {
                var f = new double[n];
                for (int i = 0; i < n; i++) f[i] = t.GetDouble(i);
                return new Flat { DType = t.DType.Name(), Shape = t.Shape.ToArray(), F = f };
            }
            var l = new long[n];
            for (int i = 0; i < n; i++) l[i] = t.GetLong(i);
            return new Flat { DType = t.DType.Name(), Shape = t.Shape.ToArray(), I = l };
        }

        /// <summary>Compares dtype, shape and values; floats pass when |got - want| &lt;= atol + rtol·|want|, NaN only matches NaN.</summary>
        public static (bool Ok, string? Reason, double Worst) Match(Flat want, Flat got, double rtol, double atol, bool plainInt)
        {
            if (want.S is not null || got.S is not null)
                return want.S == got.S ? (true, null, 0) : (false, $"expected {Quote(want.S)}, got {Quote(got.S)}", 0);
            bool wantInt = want.I is not null && want.DType != "bool";
            bool dtypeOk = want.DType == got.DType
                || (got.AnyInt && wantInt)
                || (plainInt && wantInt && got.I is not null && got.DType != "bool")
                || (got.AnyFloat && want.F is not null);
            if (!dtypeOk) return (false, $"dtype: expected {want.DType}, got {got.DType}", 0);
            if (!want.Shape.SequenceEqual(got.Shape))
                return (false, $"shape: expected {ShapeText(want.Shape)}, got {ShapeText(got.Shape)}", 0);
            int n = want.F?.Length ?? want.I!.Length;
            int gn = got.F?.Length ?? got.I!.Length;
            if (n != gn) return (false, $"expected {n} values, got {gn}", 0);
            double worst = 0;
            for (int i = 0; i < n; i++)
            {
                double w = want.F is not null ? want.F[i] : want.I![i];
                double g = got.F is not null ? got.F[i] : got.I![i];
                if (want.I is not null && got.I is not null)
                {
                    if (want.I[i] != got.I[i]) return (false, $"value at {Index(i, want.Shape)}: expected {want.I[i]}, got {got.I[i]}", worst);
                    continue;
                }
                if (double.IsNaN(w) || double.IsNaN(g))
                {
                    if (double.IsNaN(w) && double.IsNaN(g)) continue;
                    return (false, $"value at {Index(i, want.Shape)}: expected {Num(w)}, got {Num(g)}", worst);
                }
                if (double.IsInfinity(w) || double.IsInfinity(g))
                {
                    if (w == g) continue;
                    return (false, $"value at {Index(i, want.Shape)}: expected {Num(w)}, got {Num(g)}", worst);
                }
                double diff = Math.Abs(g - w), tol = atol + rtol * Math.Abs(w);
                worst = Math.Max(worst, diff / Math.Max(Math.Abs(w), 1));
                if (diff > tol)
                    return (false, $"value at {Index(i, want.Shape)}: expected {Num(w)}, got {Num(g)} (|diff| {Num(diff)} > tolerance {Num(tol)})", worst);
            }
            return (true, null, worst);
        }

        private static string Quote(string? s) => s is null ? "a number" : $"'{s}'";

        private static string Index(int flat, int[] shape)
        {
            var idx = new int[shape.Length];
            for (int d = shape.Length - 1, r = flat; d >= 0; d--) { idx[d] = shape[d] == 0 ? 0 : r % shape[d]; r = shape[d] == 0 ? 0 : r / shape[d]; }
            return "[" + string.Join(", ", idx) + "]";
        }

        internal static string ShapeText(int[] s) => s.Length == 1 ? $"({s[0]},)" : "(" + string.Join(", ", s) + ")";

        internal static string Num(double v) => double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("G9", CultureInfo.InvariantCulture);

        public override string ToString()
        {
            if (S is not null) return $"'{S}'";
            var sb = new StringBuilder($"{DType}{ShapeText(Shape)} [");
            int n = F?.Length ?? I!.Length;
            for (int i = 0; i < Math.Min(n, ShownValues); i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append(F is not null ? Num(F[i]) : DType == "bool" ? (I![i] != 0 ? "True" : "False") : I![i].ToString(CultureInfo.InvariantCulture));
            }
            if (n > ShownValues) sb.Append($", ... ({n} values)");
            return sb.Append(']').ToString();
        }
    }
}

/// <summary>Decodes the TENSOR objects of a case file (<c>{"dtype", "shape", "data"}</c>).</summary>
public static class CaseTensors
{
    /// <summary>True when <paramref name="e"/> looks like a TENSOR object.</summary>
    public static bool IsTensor(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("dtype", out _) && e.TryGetProperty("shape", out _) && e.TryGetProperty("data", out _);

    /// <summary>Makes a concrete tensor from a TENSOR object; float32 values given as decimals are rounded to float32.</summary>
    /// <exception cref="InvalidDataException">The object is not a well-formed TENSOR.</exception>
    public static Tensor ToTensor(JsonElement e, string where)
    {
        var (dtype, shape, data) = Parts(e, where);
        if (!DTypes.TryParse(dtype, out var dt) || dtype != dt.Name())
            throw new InvalidDataException($"{where}: unknown tensor dtype '{dtype}'");
        var t = Tensor.Uninitialized(dt, new Shape(shape));
        for (int i = 0; i < data.Count; i++)
        {
            if (dt.IsFloat()) t.SetDouble(i, Double(data[i], where));
            else t.SetLong(i, Long(data[i], where));
        }
        return t;
    }

    internal static (string DType, int[] Shape, List<JsonElement> Data) Parts(JsonElement e, string where)
    {
        if (!IsTensor(e)) throw new InvalidDataException($"{where}: expected a TENSOR object {{\"dtype\", \"shape\", \"data\"}}, got {Short(e)}");
        var dtype = e.GetProperty("dtype");
        var shape = e.GetProperty("shape");
        var data = e.GetProperty("data");
        if (dtype.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{where}: dtype must be a string");
        if (shape.ValueKind != JsonValueKind.Array || shape.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var v) || v < 0))
            throw new InvalidDataException($"{where}: shape must be a list of non-negative ints, got {Short(shape)}");
        var dims = shape.EnumerateArray().Select(d => d.GetInt32()).ToArray();
        if (data.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{where}: data must be a flat list");
        var values = data.EnumerateArray().ToList();
        long n = 1;
        foreach (var d in dims) n *= d;
        if (dtype.GetString() != "string" && n != values.Count)
            throw new InvalidDataException($"{where}: shape {CaseRunner.Flat.ShapeText(dims)} needs {n} values, data has {values.Count}");
        return (dtype.GetString()!, dims, values);
    }

    internal static double Double(JsonElement v, string where) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String when v.GetString() is "NaN" => double.NaN,
        JsonValueKind.String when v.GetString() is "Infinity" => double.PositiveInfinity,
        JsonValueKind.String when v.GetString() is "-Infinity" => double.NegativeInfinity,
        _ => throw new InvalidDataException($"{where}: {Short(v)} is not a number"),
    };

    internal static long Long(JsonElement v, string where) => v.ValueKind switch
    {
        JsonValueKind.Number when v.TryGetInt64(out var l) => l,
        JsonValueKind.Number when v.GetDouble() is var d && d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => throw new InvalidDataException($"{where}: {Short(v)} is not an integer or bool"),
    };

    private static string Short(JsonElement e) { var s = e.GetRawText(); return s.Length > 60 ? s[..57] + "..." : s; }
}
