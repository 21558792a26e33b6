using System.Collections;
using System.Text.Json;

namespace KerasBackend;

/// <summary>
/// Converts loose argument values (numbers, lists, strings, tensors, JSON elements — what a case file or the
/// CLI supplies) into the facade's parameter types. Used by <see cref="OpRegistry.Invoke"/>.
/// </summary>
public static class ArgConvert
{
    public static object? Required(IReadOnlyDictionary<string, object?> args, string op, string name) =>
        args.TryGetValue(name, out var v) ? v : throw new KerasTypeException(op, name, $"{op}() missing required argument: '{name}'");

    private static object? Unwrap(object? v) => v is JsonElement e ? FromJson(e) : v;

    private static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        _ => throw new KerasTypeException("args", null, $"Unsupported JSON argument: {e}"),
    };

    private static KerasTypeException Bad(string op, string name, string expected, object? v) =>
        new(op, name, $"{op}: argument `{name}` must be {expected}. Received: {name}={Format.Py(v)} ({v?.GetType().Name ?? "null"})");

    public static Tensor Tensor(object? v, string op, string name) => TensorOrNull(v, op, name) ?? throw Errors.Null(op, name);

    public static Tensor? TensorOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            null => null,
            KerasBackend.Tensor t => t,
            double or float or long or int or bool => K.Constant(v),
            IList or Array => K.Constant(v),
            _ => throw Bad(op, name, "a tensor", v),
        };
    }

    public static IReadOnlyList<Tensor> Tensors(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            IReadOnlyList<Tensor> ts => ts,
            IEnumerable e and not string => e.Cast<object?>().Select(x => Tensor(x, op, name)).ToList(),
            _ => throw Bad(op, name, "a list of tensors", v),
        };
    }

    public static IReadOnlyList<Tensor>? TensorsOrNull(object? v, string op, string name) => Unwrap(v) is null ? null : Tensors(v, op, name);

    /// <summary>A step function, or the name of one in <see cref="RnnSteps.ByName"/> (case files and the CLI cannot carry code).</summary>
    public static Func<Tensor, IReadOnlyList<Tensor>, (Tensor output, IReadOnlyList<Tensor> states)> StepFunction(object? v, string op, string name) =>
        Unwrap(v) switch
        {
            Func<Tensor, IReadOnlyList<Tensor>, (Tensor output, IReadOnlyList<Tensor> states)> f => f,
            string s when RnnSteps.ByName.TryGetValue(s, out var f) => f,
            var other => throw Bad(op, name, "a step function Func<Tensor, IReadOnlyList<Tensor>, (Tensor, IReadOnlyList<Tensor>)> or one of the names " + string.Join(", ", RnnSteps.ByName.Keys), other),
        };

    /// <summary>map_fn's function, or the name of one in <see cref="ControlFlow.MapFunctions"/> (case files and the CLI cannot carry code).</summary>
    public static Func<Tensor, Tensor> MapFunction(object? v, string op, string name) =>
        Unwrap(v) switch
        {
            Func<Tensor, Tensor> f => f,
            string s when ControlFlow.MapFunctions.TryGetValue(s, out var f) => f,
            var other => throw Bad(op, name, "a function Func<Tensor, Tensor> or one of the names " + string.Join(", ", ControlFlow.MapFunctions.Keys), other),
        };

    /// <summary>foldl's and foldr's function, or the name of one in <see cref="ControlFlow.FoldFunctions"/>.</summary>
    public static Func<Tensor, Tensor, Tensor> FoldFunction(object? v, string op, string name) =>
        Unwrap(v) switch
        {
            Func<Tensor, Tensor, Tensor> f => f,
            string s when ControlFlow.FoldFunctions.TryGetValue(s, out var f) => f,
            var other => throw Bad(op, name, "a function Func<Tensor, Tensor, Tensor> or one of the names " + string.Join(", ", ControlFlow.FoldFunctions.Keys), other),
        };

    /// <summary>cond's branch, or the name of one in <see cref="Composites.ControlFlowOps.Branches"/>.</summary>
    public static Func<Tensor> BranchFunction(object? v, string op, string name) => Named(v, op, name, Composites.ControlFlowOps.Branches, "Func<Tensor>");

    /// <summary>while_loop's cond, or the name of one in <see cref="Composites.ControlFlowOps.LoopConditions"/>.</summary>
    public static Func<IReadOnlyList<Tensor>, Tensor> LoopCondition(object? v, string op, string name) =>
        Named(v, op, name, Composites.ControlFlowOps.LoopConditions, "Func<IReadOnlyList<Tensor>, Tensor>");

    /// <summary>while_loop's body, or the name of one in <see cref="Composites.ControlFlowOps.LoopBodies"/>.</summary>
    public static Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> LoopBody(object? v, string op, string name) =>
        Named(v, op, name, Composites.ControlFlowOps.LoopBodies, "Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>>");

    /// <summary>scan's f, or the name of one in <see cref="Composites.ControlFlowOps.ScanFunctions"/>.</summary>
    public static Func<Tensor, Tensor?, (Tensor carry, Tensor? y)> ScanFunction(object? v, string op, string name) =>
        Named(v, op, name, Composites.ControlFlowOps.ScanFunctions, "Func<Tensor, Tensor?, (Tensor carry, Tensor? y)>");

    private static TF Named<TF>(object? v, string op, string name, IReadOnlyDictionary<string, TF> byName, string type) where TF : Delegate =>
        Unwrap(v) switch
        {
            TF f => f,
            string s when byName.TryGetValue(s, out var f) => f,
            var other => throw Bad(op, name, $"a function {type} or one of the names " + string.Join(", ", byName.Keys), other),
        };

    public static int Int(object? v, string op, string name) => IntOrNull(v, op, name) ?? throw Bad(op, name, "an int", v);

    public static int? IntOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            null => null,
            int i => i,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            double d when d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue => (int)d,
            KerasBackend.Tensor t when t.Rank == 0 && !t.DType.IsFloat() => (int)t.GetLong(0),
            _ => throw Bad(op, name, "an int", v),
        };
    }

    public static double Double(object? v, string op, string name) => DoubleOrNull(v, op, name) ?? throw Bad(op, name, "a number", v);

    public static double? DoubleOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            null => null,
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            string s when s is "NaN" or "Infinity" or "-Infinity" => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
            KerasBackend.Tensor t when t.Rank == 0 => t.GetDouble(0),
            _ => throw Bad(op, name, "a number", v),
        };
    }

    public static bool Bool(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            bool b => b,
            long l when l is 0 or 1 => l == 1,
            int i when i is 0 or 1 => i == 1,
            _ => throw Bad(op, name, "a bool", v),
        };
    }

    /// <summary>An int, a list of ints, or null.</summary>
    public static int[]? AxesOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            null => null,
            int[] a => a,
            int or long or double => [Int(v, op, name)],
            IEnumerable e and not string => e.Cast<object?>().Select(x => Int(x, op, name)).ToArray(),
            _ => throw Bad(op, name, "an int, a list of ints or None", v),
        };
    }

    /// <summary>An int, a list of ints, a list of int pairs (flattened in order: ((2, 3), (1, 2)) → [2, 3, 1, 2]), or null.</summary>
    public static int[]? IntsOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        if (v is null) return null;
        var flat = new List<int>();
        void Add(object? e)
        {
            e = Unwrap(e);
            switch (e)
            {
                case int[] a: flat.AddRange(a); break;
                case int or long or double: flat.Add(Int(e, op, name)); break;
                case IEnumerable inner and not string: foreach (var x in inner) Add(x); break;
                default: throw Bad(op, name, "an int, a list of ints (or of int pairs) or None", e);
            }
        }
        Add(v);
        return flat.ToArray();
    }

    /// <summary>A list of booleans (JSON true/false, or 0/1).</summary>
    public static bool[] Bools(object? v, string op, string name)
    {
        v = Unwrap(v);
        if (v is bool[] a) return a;
        if (v is IEnumerable e and not string) return e.Cast<object?>().Select(x => Bool(x, op, name)).ToArray();
        throw Bad(op, name, "a list of booleans", v);
    }

    public static int[] Shape(object? v, string op, string name) => AxesOrNull(v, op, name) ?? throw Bad(op, name, "a shape (list of ints)", v);

    public static DType? DTypeOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            null => null,
            DType d => d,
            string s => DTypes.Parse(s, op, name),
            _ => throw Bad(op, name, "a dtype name", v),
        };
    }

    /// <summary>Any value (numbers, nested lists, arrays, tensors) passed through for ops that take raw values.</summary>
    public static object Value(object? v, string op, string name) => Unwrap(v) ?? throw Errors.Null(op, name);

    public static Delegate Function(object? v, string op, string name) =>
        v as Delegate ?? throw Bad(op, name, "a function", v);

    public static string String(object? v, string op, string name) => StringOrNull(v, op, name) ?? throw Bad(op, name, "a string", v);

    public static string? StringOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch { null => null, string s => s, _ => throw Bad(op, name, "a string", v) };
    }
    /// <summary>A shape whose entries may be null (unknown dimensions), or null.</summary>
    public static int?[]? IntShapeOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            null => null,
            int?[] a => a,
            int[] a => a.Select(d => (int?)d).ToArray(),
            IEnumerable e and not string => e.Cast<object?>().Select(x => Unwrap(x) is null ? (int?)null : Int(x, op, name)).ToArray(),
            _ => throw Bad(op, name, "a shape (list of ints or None)", v),
        };
    }

    /// <summary>A list of updates (update tensors or [variable, value] pairs), or null.</summary>
    public static IEnumerable<object>? UpdatesOrNull(object? v, string op, string name)
    {
        v = Unwrap(v);
        return v switch
        {
            null => null,
            IEnumerable e and not string => e.Cast<object?>().Select(x => Unwrap(x) ?? throw Errors.Null(op, name)).ToList(),
            _ => throw Bad(op, name, "a list of updates", v),
        };
    }
}
