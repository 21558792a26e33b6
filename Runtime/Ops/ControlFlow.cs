using KerasBackend.Graph;

namespace KerasBackend;

/// <summary>Composites behind in_train_phase, in_test_phase, map_fn, foldl and foldr (loops unrolled into K ops).</summary>
internal static class ControlFlow
{
    /// <summary>tf-keras <c>in_train_phase(x, alt, training=None)</c>.</summary>
    public static Tensor InTrainPhase(object x, object alt, object? training) => Select("in_train_phase", x, alt, training);

    /// <summary>tf-keras <c>in_test_phase(x, alt, training=None)</c> = in_train_phase(alt, x, training).</summary>
    public static Tensor InTestPhase(object x, object alt, object? training) => Select("in_test_phase", alt, x, training);

    private static Tensor Select(string op, object whenTraining, object otherwise, object? training)
    {
        switch (training)
        {
            case null:
                if (GraphBuilder.Recording || IsSymbolic(whenTraining) || IsSymbolic(otherwise))
                    return Switch(op, LearningPhaseScope.Placeholder, whenTraining, otherwise);
                return Session.LearningPhase == 1 ? Value(op, whenTraining, "x") : Value(op, otherwise, "alt");
            case bool b:
                return b ? Value(op, whenTraining, "x") : Value(op, otherwise, "alt");
            case int or long or double when Convert.ToDouble(training) is 0 or 1:
                return Convert.ToDouble(training) == 1 ? Value(op, whenTraining, "x") : Value(op, otherwise, "alt");
            case Tensor t when t.IsSymbolic || GraphBuilder.Recording:
                return Switch(op, t, whenTraining, otherwise);
            case Tensor t when t.Size == 1:
                return t.GetDouble(0) != 0 ? Value(op, whenTraining, "x") : Value(op, otherwise, "alt");
            default:
                throw new KerasValueException(op, "training",
                    $"{op}: training must be None, 0, 1, a bool or a scalar tensor. Received: training={Format.Py(training)}");
        }
    }

    private static bool IsSymbolic(object v) => v is Tensor { IsSymbolic: true };

    private static Tensor Switch(string op, Tensor condition, object x, object alt) => K.Switch(condition, Value(op, x, "x"), Value(op, alt, "alt"));

    /// <summary>A tensor, or the tensor a Func&lt;Tensor&gt; returns (tf-keras calls callables).</summary>
    private static Tensor Value(string op, object v, string name) => v switch
    {
        Tensor t => t,
        Func<Tensor> f => f() ?? throw new KerasValueException(op, name, $"{op}: the function given as {name} returned null."),
        _ => ArgConvert.Tensor(v, op, name),
    };

    /// <summary>tf.compat.v1.map_fn: stack(fn(elems[i]) for each i), unrolled.</summary>
    public static Tensor MapFn(Func<Tensor, Tensor> fn, Tensor elems, string? name, DType? dtype)
    {
        int n = elems.Shape[0];
        Tensor result;
        if (n == 0)
        {
            // Learn the result's shape from one call on zeros, as TensorFlow traces fn.
            var probe = fn(K.Zeros(elems.Shape.ToArray().Skip(1).ToArray(), elems.DType));
            result = K.Zeros([0, .. probe.Shape.ToArray()], probe.DType);
        }
        else result = K.Stack(Enumerable.Range(0, n).Select(i => fn(Row(elems, i))).ToList(), 0);
        return dtype is DType d && d != result.DType ? K.Cast(result, d) : result;
    }

    /// <summary>tf.compat.v1.foldl: acc = fn(acc, elems[i]) from the left, starting at initializer or elems[0].</summary>
    public static Tensor Foldl(Func<Tensor, Tensor, Tensor> fn, Tensor elems, Tensor? initializer, string? name)
    {
        int n = elems.Shape[0];
        var acc = initializer ?? Row(elems, 0);
        for (int i = initializer is null ? 1 : 0; i < n; i++) acc = fn(acc, Row(elems, i));
        return acc;
    }

    /// <summary>tf.compat.v1.foldr: acc = fn(acc, elems[i]) from the right, starting at initializer or elems[-1].</summary>
    public static Tensor Foldr(Func<Tensor, Tensor, Tensor> fn, Tensor elems, Tensor? initializer, string? name)
    {
        int n = elems.Shape[0];
        var acc = initializer ?? Row(elems, n - 1);
        for (int i = initializer is null ? n - 2 : n - 1; i >= 0; i--) acc = fn(acc, Row(elems, i));
        return acc;
    }

    /// <summary>elems[i]: a gather of one row (differentiable, records into graphs).</summary>
    private static Tensor Row(Tensor elems, int i) => K.Gather(elems, K.Constant(i, DType.Int32));

    /// <summary>Named functions for case files and the command line, which cannot carry code.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Tensor, Tensor>> MapFunctions = new Dictionary<string, Func<Tensor, Tensor>>(StringComparer.Ordinal)
    {
        ["sum"] = t => K.Sum(t),
        ["max"] = t => K.Max(t),
        ["square"] = K.Square,
        ["negative"] = K.Negative,
        ["exp"] = K.Exp,
    };

    /// <inheritdoc cref="MapFunctions"/>
    public static readonly IReadOnlyDictionary<string, Func<Tensor, Tensor, Tensor>> FoldFunctions = new Dictionary<string, Func<Tensor, Tensor, Tensor>>(StringComparer.Ordinal)
    {
        ["add"] = K.Add,
        ["subtract"] = K.Subtract,
        ["multiply"] = K.Multiply,
        ["maximum"] = K.Maximum,
        ["minimum"] = K.Minimum,
    };
}

public static partial class Checks
{
    /// <summary>map_fn, foldl, foldr: the loop is unrolled, so elems' first dimension must be known.</summary>
    public static bool FirstDimKnown(Tensor elems) => elems.Rank == 0 || elems.Shape[0] >= 0;

    /// <summary>foldl, foldr: an empty elems needs an initializer.</summary>
    public static bool FoldableWithout(Tensor elems, Tensor? initializer) => initializer is not null || elems.Rank == 0 || elems.Shape[0] != 0;
}
