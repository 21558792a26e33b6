using System.Runtime.CompilerServices;
using KerasBackend.Graph;

namespace KerasBackend;

/// <summary>
/// A compiled symbolic graph, made by <c>K.Function(inputs, outputs, updates)</c>: each call feeds values to the
/// input placeholders, computes the outputs, then applies the updates in order.
/// </summary>
/// <remarks>
/// Every update's new value is computed from the values the variables had when the call began (as Keras 2's
/// graph functions and Theano do), then the assignments run in list order; two updates of one variable
/// therefore both apply (e.g. two <c>K.UpdateAdd</c>). Calls from several threads are safe: a function without
/// updates runs them in parallel; a function with updates runs its calls one at a time, so the results equal
/// those of some serial order. The returned tensors belong to the caller; intermediates are disposed.
/// </remarks>
public sealed class KFunction
{
    private readonly Plan _plan;
    private readonly UpdateStep[] _updates;
    private readonly Lock? _callLock;

    private readonly record struct UpdateStep(Tensor?[] Operands, Func<Tensor?[], Tensor> Apply);

    private KFunction(Tensor[] inputs, Tensor[] outputs, UpdateStep[] updates, string name)
    {
        Inputs = inputs;
        Outputs = outputs;
        _updates = updates;
        Name = name;
        var roots = outputs.Concat(updates.SelectMany(u => u.Operands).OfType<Tensor>().Where(t => t.IsSymbolic));
        _plan = new Plan(roots);
        foreach (var p in _plan.Placeholders)
            if (!inputs.Contains(p, ReferenceEqualityComparer.Instance) && !ReferenceEquals(p, LearningPhaseScope.Placeholder))
                throw new KerasValueException("function", "inputs",
                    $"function: the outputs or updates depend on the placeholder {p.Describe()}, which is not among the inputs. Received: inputs=[{string.Join(", ", inputs.Select(i => i.Name))}]");
        if (updates.Length > 0) _callLock = new Lock();
    }

    /// <summary>The placeholders fed, in call order.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>The tensors computed by each call.</summary>
    public IReadOnlyList<Tensor> Outputs { get; }

    /// <summary>The function's name.</summary>
    public string Name { get; }

    /// <summary>Number of updates applied after each call.</summary>
    public int UpdateCount => _updates.Length;

    /// <summary>Number of op nodes evaluated per call.</summary>
    public int NodeCount => _plan.Count;

    internal static KFunction Create(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> outputs, IEnumerable<object>? updates, string? name)
    {
        var ins = inputs.ToArray();
        for (int i = 0; i < ins.Length; i++)
        {
            if (ins[i] is null) throw Errors.Null("function", "inputs");
            if (!ins[i].IsSymbolic || !ins[i].Node!.IsPlaceholder)
                throw new KerasTypeException("function", "inputs",
                    $"function: every input must be a placeholder (K.Placeholder or K.Input). Received: inputs[{i}] = {ins[i].Describe()}{(ins[i].IsSymbolic ? " (computed by " + ins[i].Node!.Op + ")" : " (a concrete tensor)")}");
            for (int j = 0; j < i; j++)
                if (ReferenceEquals(ins[i], ins[j]))
                    throw new KerasValueException("function", "inputs", $"function: the placeholder {ins[i].Describe()} is listed twice in inputs (positions {j} and {i}).");
        }
        var outs = outputs.ToArray();
        for (int i = 0; i < outs.Length; i++)
            if (outs[i] is null) throw Errors.Null("function", "outputs");
        var steps = new List<UpdateStep>();
        int k = 0;
        foreach (var u in updates ?? [])
        {
            steps.Add(ToStep(u, k));
            k++;
        }
        return new KFunction(ins, outs, steps.ToArray(), name ?? "function_" + Session.GetUid("function"));
    }

    // An update is either the symbolic result of K.Update/UpdateAdd/UpdateSub/MovingAverageUpdate (its node
    // knows how to apply itself) or a (variable, new value) pair, as Keras 2 accepts both.
    private static UpdateStep ToStep(object u, int index)
    {
        switch (u)
        {
            case Tensor { IsSymbolic: true } t when Updates.IsUpdateOp(t.Node!.Op):
                return new UpdateStep(t.Node!.Inputs, t.Node!.Replay!);
            case Tensor { IsSymbolic: true } t:
                throw new KerasTypeException("function", "updates",
                    $"function: updates[{index}] is the symbolic tensor {t.Describe()} computed by '{t.Node!.Op}', not an update. Use K.Update, K.UpdateAdd, K.UpdateSub, K.MovingAverageUpdate or a (variable, new_value) pair.");
            case Tensor t:
                throw new KerasValueException("function", "updates",
                    $"function: updates[{index}] is the concrete tensor {t.Describe()}. An update of a variable by a concrete value runs at once (eagerly); to run it on each call, give its new value as a symbolic tensor or pass a (variable, new_value) pair.");
            case ITuple { Length: 2 } pair when pair[0] is Variable v:
            {
                var value = pair[1] as Tensor ?? Creation.ToTensor(pair[1] ?? throw Errors.Null("function", "updates"), "function", v.DType);
                if (!GraphChecks.ShapesCompatible(v.Shape, value.Shape))
                    throw new KerasValueException("function", "updates",
                        $"function: updates[{index}] assigns a value of shape {value.Shape} to the variable {v.Describe()}; the shapes must match.");
                return new UpdateStep([v, value], ins => Updates.Update(ins[0]!, ins[1]!));
            }
            case ITuple { Length: 2 } pair:
                throw new KerasTypeException("function", "updates",
                    $"function: updates[{index}] is a pair whose first item is not a variable: {Format.Py(pair[0])} ({pair[0]?.GetType().Name ?? "null"}).");
            default:
                throw new KerasTypeException("function", "updates",
                    $"function: updates[{index}] must be an update op (K.Update(...)) or a (variable, new_value) pair. Received: {u.GetType().Name}");
        }
    }

    /// <summary>Feeds <paramref name="inputs"/> (tensors, C# arrays or numbers, one per placeholder, in order), computes the outputs and applies the updates.</summary>
    public IReadOnlyList<Tensor> Call(params object[] inputs) => Run(inputs, null);

    /// <summary>As <see cref="Call(object[])"/>, with the learning phase (0 = test, 1 = train) fed for this call.</summary>
    public IReadOnlyList<Tensor> CallWithLearningPhase(int learningPhase, params object[] inputs) => Run(inputs, learningPhase);

    private IReadOnlyList<Tensor> Run(object[] inputs, int? phase)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != Inputs.Count)
            throw new KerasValueException("function", "inputs",
                $"{Name}: expected {Inputs.Count} input value(s), one per placeholder, received {inputs.Length}.");
        var feed = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        var converted = new List<Tensor>();
        for (int i = 0; i < inputs.Length; i++)
        {
            var value = Feed(Inputs[i], inputs[i], i, out bool isNew);
            if (isNew) converted.Add(value);
            feed[Inputs[i]] = value;
        }
        if (feed.TryGetValue(LearningPhaseScope.Placeholder, out var fedPhase)) phase ??= (int)fedPhase.GetLong(0);
        using var scope = phase is int ph ? LearningPhaseScope.Enter(ph) : null;
        Tensor? phaseValue = null;
        if (!feed.ContainsKey(LearningPhaseScope.Placeholder) && _plan.Placeholders.Contains(LearningPhaseScope.Placeholder, ReferenceEqualityComparer.Instance))
        {
            phaseValue = Tensor.Uninitialized(DType.Int32, Shape.Scalar);
            phaseValue.SetLong(0, LearningPhaseScope.Current);
            feed[LearningPhaseScope.Placeholder] = phaseValue;
        }
        try
        {
            if (_callLock is null) return ExecuteEagerly(feed);
            lock (_callLock) return ExecuteEagerly(feed);
        }
        finally
        {
            foreach (var c in converted) c.Dispose();
            phaseValue?.Dispose();
        }
    }

    // Updates run the update ops on concrete values: inside a symbolic scope they must assign, not record again.
    private Tensor[] ExecuteEagerly(Dictionary<Tensor, Tensor> feed) =>
        GraphBuilder.Recording ? Session.Eager(() => Execute(feed)) : Execute(feed);

    private Tensor[] Execute(Dictionary<Tensor, Tensor> feed)
    {
        var values = _plan.Run(feed);
        var results = new Tensor[Outputs.Count];
        var returned = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < results.Length; i++)
        {
            var o = Outputs[i];
            var v = o.IsSymbolic ? values[o] : o;
            // The caller owns what is returned: copy values that are variables, fed tensors, constants or already returned.
            if (!o.IsSymbolic || v is Variable || returned.Contains(v) || feed.Values.Contains(v, ReferenceEqualityComparer.Instance))
                v = v.Copy();
            returned.Add(v);
            results[i] = v;
        }
        foreach (var step in _updates)
        {
            var ins = new Tensor?[step.Operands.Length];
            for (int j = 0; j < ins.Length; j++)
                ins[j] = step.Operands[j] is { IsSymbolic: true } s ? values[s] : step.Operands[j];
            step.Apply(ins);
        }
        // Update operands that are not outputs are intermediates of this call.
        foreach (var step in _updates)
            foreach (var s in step.Operands)
                if (s is { IsSymbolic: true } && values.Remove(s, out var dead) && dead is not Variable && !_plan.IsLeaf(dead)
                    && !returned.Contains(dead) && !feed.Values.Contains(dead, ReferenceEqualityComparer.Instance)
                    && !values.Values.Contains(dead, ReferenceEqualityComparer.Instance))
                    dead.Dispose();
        return results;
    }


    // A fed value is checked against its placeholder: tensors must have a compatible shape and a dtype that
    // converts without loss; C# arrays and numbers are converted to the placeholder's dtype (numpy.asarray(v, dtype)).
    private Tensor Feed(Tensor placeholder, object? value, int index, out bool isNew)
    {
        isNew = false;
        Tensor t;
        switch (value)
        {
            case null:
                throw new KerasValueException("function", "inputs", $"{Name}: the value for input {index} ({placeholder.Describe()}) is null.");
            case Tensor { IsSymbolic: true } s:
                throw new KerasValueException("function", "inputs",
                    $"{Name}: the value for input {index} ({placeholder.Describe()}) is the symbolic tensor {s.Describe()}; feed concrete values.");
            case Tensor v when v.IsSparse != placeholder.IsSparse:
                throw new KerasTypeException("function", "inputs",
                    $"{Name}: input {index} ({placeholder.Describe()}) is {(placeholder.IsSparse ? "sparse" : "dense")} but the value fed is {(v.IsSparse ? "sparse" : "dense")}.");
            case Tensor v when v.DType != placeholder.DType:
                if (DTypes.Promote(v.DType, placeholder.DType) != placeholder.DType || v.IsSparse)
                    throw new KerasTypeException("function", "inputs",
                        $"{Name}: cannot feed a value of dtype {v.DType.Name()} to the placeholder {placeholder.Describe()}: the conversion would lose information. Cast it first (K.Cast).");
                t = K.Cast(v, placeholder.DType);
                isNew = true;
                break;
            case Tensor v:
                t = v;
                break;
            default:
                if (placeholder.IsSparse)
                    throw new KerasTypeException("function", "inputs", $"{Name}: input {index} ({placeholder.Describe()}) is sparse; feed a SparseTensor.");
                t = Creation.ToTensor(value, "function", placeholder.DType);
                isNew = true;
                break;
        }
        if (!GraphChecks.ShapesCompatible(placeholder.Shape, t.Shape))
        {
            if (isNew) t.Dispose();
            throw new KerasValueException("function", "inputs",
                $"{Name}: cannot feed a value of shape {t.Shape} for the placeholder {placeholder.Name}, which has shape {placeholder.Shape}.");
        }
        return t;
    }

    public override string ToString() =>
        $"<KFunction '{Name}' inputs=[{string.Join(", ", Inputs.Select(i => i.Name))}] outputs={Outputs.Count} updates={_updates.Length} nodes={_plan.Count}>";
}
