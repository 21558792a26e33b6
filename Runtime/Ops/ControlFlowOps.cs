using KerasBackend.Graph;

namespace KerasBackend.Composites;

/// <summary>
/// Keras 3's cond, while_loop, fori_loop and scan. Eagerly they run as the numpy backend runs them (Python control
/// flow); in a graph (symbolic inputs) the loops are unrolled into K ops, as map_fn, foldl and foldr are, so they
/// record and differentiate: a symbolic cond evaluates both branches and selects with switch, and a symbolic
/// while_loop needs maximum_iterations (it unrolls that many steps, each kept only while cond holds).
/// </summary>
internal static class ControlFlowOps
{
    /// <summary>Keras 3 <c>cond(pred, true_fn, false_fn)</c>.</summary>
    public static Tensor Cond(object pred, Func<Tensor> trueFn, Func<Tensor> falseFn)
    {
        if (pred is Tensor p && (p.IsSymbolic || GraphBuilder.Recording))
        {
            var t = Call("cond", trueFn, "true_fn");
            var f = Call("cond", falseFn, "false_fn");
            if (t.Rank != f.Rank || t.DType != f.DType)
                throw new KerasValueException("cond", "true_fn",
                    $"cond: true_fn and false_fn must return tensors of the same shape and dtype. Received: {t.Describe()} and {f.Describe()}");
            return K.Switch(p.Rank == 0 ? p : K.Reshape(p, []), t, f);
        }
        return Truth("cond", pred, "pred") ? Call("cond", trueFn, "true_fn") : Call("cond", falseFn, "false_fn");
    }

    private static Tensor Call(string op, Func<Tensor> fn, string name) =>
        fn() ?? throw new KerasValueException(op, name, $"{op}: {name} returned null.");

    /// <summary>A concrete predicate's truth: a bool, a number, or a one-element tensor (nonzero is true; NaN is true, as
    /// Python's bool(nan)).</summary>
    private static bool Truth(string op, object pred, string name) => pred switch
    {
        bool b => b,
        int i => i != 0,
        long l => l != 0,
        double d => d != 0,
        Tensor t when t.Size == 1 => t.GetDouble(0) != 0,
        Tensor t => throw new KerasValueException(op, name,
            $"{op}: the truth value of a tensor with more than one element is ambiguous: {name} must hold one element. Received: {name}.shape={t.Shape}"),
        _ => throw new KerasTypeException(op, name, $"{op}: {name} must be a bool, a number or a one-element tensor. Received: {Format.Py(pred)}"),
    };

    /// <summary>Keras 3 <c>while_loop(cond, body, loop_vars, maximum_iterations)</c>: while cond(vars) and fewer than
    /// maximum_iterations steps ran, vars = body(vars).</summary>
    public static IReadOnlyList<Tensor> WhileLoop(Func<IReadOnlyList<Tensor>, Tensor> cond, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> body,
        IReadOnlyList<Tensor> loopVars, int? maximumIterations)
    {
        IReadOnlyList<Tensor> vars = loopVars.ToArray();
        IReadOnlyList<Tensor> Step(IReadOnlyList<Tensor> v)
        {
            var next = body(v) ?? throw new KerasValueException("while_loop", "body", "while_loop: body returned null.");
            if (next.Count != v.Count)
                throw new KerasValueException("while_loop", "body",
                    $"while_loop: body must return as many tensors as loop_vars has. Received: {next.Count} for {v.Count} loop_vars");
            return next;
        }
        if (!GraphBuilder.Recording && vars.All(t => !t.IsSymbolic))
        {
            for (int i = 0; maximumIterations is not int m || i < m; i++)
            {
                var c = cond(vars);
                if (c.IsSymbolic) return Unrolled(cond, Step, vars, maximumIterations, i);
                if (!Truth("while_loop", c, "cond(loop_vars)")) break;
                vars = Step(vars);
            }
            return vars;
        }
        return Unrolled(cond, Step, vars, maximumIterations, 0);
    }

    // In a graph: maximum_iterations - done steps, each computing body and keeping it only while every cond so far held.
    private static IReadOnlyList<Tensor> Unrolled(Func<IReadOnlyList<Tensor>, Tensor> cond, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> step,
        IReadOnlyList<Tensor> vars, int? maximumIterations, int done)
    {
        if (maximumIterations is not int m)
            throw new KerasValueException("while_loop", "maximum_iterations",
                "while_loop: with symbolic loop_vars (a graph) the loop is unrolled, so maximum_iterations must be given. Received: maximum_iterations=None");
        Tensor? active = null;   // 1 while every cond so far held (float32; NaN counts as true, as Python's bool(nan))
        for (int i = done; i < m; i++)
        {
            var raw = cond(vars);
            var c = K.Cast(K.NotEqual(K.Cast(raw.Rank == 0 ? raw : K.Reshape(raw, []), DType.Float32), K.Constant(0f)), DType.Float32);
            active = active is null ? c : K.Multiply(active, c);
            var next = step(vars);
            var keep = active;
            vars = next.Select((n, k) => K.Switch(keep, n, vars[k])).ToArray();
        }
        return vars;
    }

    /// <summary>Keras 3 <c>fori_loop(lower, upper, body_fun, init_val)</c>: val = body_fun(i, val) for i in [lower, upper).</summary>
    public static Tensor ForiLoop(int lower, int upper, Func<Tensor, Tensor, Tensor> bodyFun, Tensor initVal)
    {
        var val = initVal;
        for (int i = lower; i < upper; i++)
            val = bodyFun(K.Constant(i, DType.Int32), val) ?? throw new KerasValueException("fori_loop", "body_fun", "fori_loop: body_fun returned null.");
        return val;
    }

    /// <summary>Keras 3 <c>scan(f, init, xs, length, reverse, unroll)</c>, as jax.lax.scan: (carry, y) = f(carry, x) over
    /// the first axis of xs (or length steps with x null); returns [carry, ys stacked in xs' order].</summary>
    public static IReadOnlyList<Tensor> Scan(Func<Tensor, Tensor?, (Tensor carry, Tensor? y)> f, Tensor init, Tensor? xs, int? length, bool reverse, int unroll)
    {
        int n = length ?? xs!.Shape[0];
        var carry = init;
        var ys = new Tensor[n];
        for (int k = 0; k < n; k++)
        {
            int i = reverse ? n - 1 - k : k;
            (carry, var y) = f(carry, xs is null ? null : xs[i]);
            if (carry is null) throw new KerasValueException("scan", "f", "scan: f returned a null carry.");
            ys[i] = y ?? K.ZerosLike(init);   // Keras: a None y stacks zeros like init
        }
        return [carry, K.Stack(ys, 0)];
    }

    /// <summary>Named functions for case files and the command line, which cannot carry code.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Tensor>> Branches = new Dictionary<string, Func<Tensor>>(StringComparer.Ordinal)
    {
        ["one"] = () => K.Constant(1f),
        ["zero"] = () => K.Constant(0f),
    };

    /// <inheritdoc cref="Branches"/>
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<Tensor>, Tensor>> LoopConditions =
        new Dictionary<string, Func<IReadOnlyList<Tensor>, Tensor>>(StringComparer.Ordinal)
        {
            ["sum_below_100"] = v => K.Less(K.Sum(v[0]), K.Constant(100.0, v[0].DType)),
            ["sum_below_10"] = v => K.Less(K.Sum(v[0]), K.Constant(10.0, v[0].DType)),
        };

    /// <inheritdoc cref="Branches"/>
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>>> LoopBodies =
        new Dictionary<string, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>>>(StringComparer.Ordinal)
        {
            ["double"] = v => v.Select(t => K.Add(t, t)).ToArray(),
            ["increment_first"] = v => [K.Add(v[0], K.Constant(1.0, v[0].DType)), .. v.Skip(1)],
            ["fibonacci"] = v => [v[1], K.Add(v[0], v[1])],
        };

    /// <inheritdoc cref="Branches"/>
    public static readonly IReadOnlyDictionary<string, Func<Tensor, Tensor?, (Tensor carry, Tensor? y)>> ScanFunctions =
        new Dictionary<string, Func<Tensor, Tensor?, (Tensor carry, Tensor? y)>>(StringComparer.Ordinal)
        {
            ["cumsum"] = (c, x) => { var s = K.Add(c, x!); return (s, s); },
            ["running_max"] = (c, x) => { var m = K.Maximum(c, x!); return (m, m); },
            ["count"] = (c, _) => (K.Add(c, K.Constant(1.0, c.DType)), c),
            ["sum_no_y"] = (c, x) => (K.Add(c, x!), null),
        };
}
