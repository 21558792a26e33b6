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
/// those of some serial order.
/// <para>Memory: each call returns a new list of new tensors that belong to the caller (copies where an output is
/// a fed tensor, constant, variable or a repeated output); that is all a steady-state call allocates, apart from
/// what the backend's kernels allocate themselves. The nodes' values live in a per-call state that the function
/// keeps for the next call (see <see cref="Graph.Plan"/>; the buffer rule is on <see cref="TensorPool"/>).
/// <c>f.Call(x, y)</c> binds to the <see cref="ReadOnlySpan{T}"/> overload, so no argument array is allocated;
/// numbers and C# arrays passed as inputs are boxed or converted at each call, tensors are not.</para>
/// </remarks>
public sealed class KFunction
{
    private readonly Plan _plan;
    private readonly UpdateStep[] _updates;
    private readonly Lock? _callLock;
    private readonly int[] _inputSlots;      // per input: its placeholder's slot in the plan, or -1 when nothing needs it
    private readonly int[] _outputSlots;     // per output: its slot, or -1 for a concrete output
    private readonly int[][] _updateSlots;   // per update, per operand: its slot, or -1 for a concrete operand
    private readonly int _phaseInput;        // index of the learning-phase placeholder among the inputs, or -1
    private readonly int _phaseSlot;         // slot of the learning-phase placeholder when the plan needs it unfed, or -1

    /// <summary>An update: its operands (the variable first), how to apply it, and its op (<c>update</c>, <c>update_add</c>, ...).</summary>
    /// <remarks><c>Source</c> is the update's symbolic tensor (null for a pair); when the plan already evaluates it (a control
    /// input of K.ControlDependencies), the call applies it there, once, and not again after the outputs.</remarks>
    private readonly record struct UpdateStep(Tensor?[] Operands, Func<Tensor?[], Tensor> Apply, string Op, Tensor? Source = null);

    private KFunction(Tensor[] inputs, Tensor[] outputs, UpdateStep[] updates, string name)
    {
        Inputs = inputs;
        Outputs = outputs;
        _updates = updates;
        Name = name;
        _plan = new Plan(outputs, updates.SelectMany(u => u.Operands).OfType<Tensor>());
        updates = updates.Where(u => u.Source is null || _plan.SlotOf(u.Source) < 0).ToArray();
        _updates = updates;
        foreach (var p in _plan.Placeholders)
            if (!inputs.Contains(p, ReferenceEqualityComparer.Instance) && !ReferenceEquals(p, LearningPhaseScope.Placeholder))
                throw new KerasValueException("function", "inputs",
                    $"function: the outputs or updates depend on the placeholder {p.Describe()}, which is not among the inputs. Received: inputs=[{string.Join(", ", inputs.Select(i => i.Name))}]");
        if (updates.Length > 0) _callLock = new Lock();
        _inputSlots = Array.ConvertAll(inputs, _plan.SlotOf);
        _outputSlots = Array.ConvertAll(outputs, o => o.IsSymbolic ? _plan.SlotOf(o) : -1);
        _updateSlots = Array.ConvertAll(updates, u => Array.ConvertAll(u.Operands, t => t is { IsSymbolic: true } ? _plan.SlotOf(t) : -1));
        _phaseInput = Array.FindIndex(inputs, i => ReferenceEquals(i, LearningPhaseScope.Placeholder));
        _phaseSlot = _phaseInput < 0 ? _plan.SlotOf(LearningPhaseScope.Placeholder) : -1;
    }

    /// <summary>The placeholders fed, in call order.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>The tensors computed by each call.</summary>
    public IReadOnlyList<Tensor> Outputs { get; }

    /// <summary>The function's name.</summary>
    public string Name { get; }

    /// <summary>Number of updates applied after each call.</summary>
    public int UpdateCount => _updates.Length;

    /// <summary>Each update's op (<c>update</c>, <c>update_add</c>, ...) and operands (the variable first), for ONNX export.</summary>
    internal IReadOnlyList<(string Op, Tensor?[] Operands)> UpdateOperands => Array.ConvertAll(_updates, u => (u.Op, u.Operands));

    /// <summary>
    /// Writes the function as an ONNX model (opset <paramref name="opset"/>, 17 to 21) to <paramref name="stream"/>: each input
    /// placeholder is a graph input named like it, with its static shape (unknown dimensions symbolic: the first one
    /// <c>batch</c>); variables are initializers holding their current values (or inputs, <see cref="Onnx.OnnxExportOptions.VariablesAsInputs"/>);
    /// outputs keep their names (else <c>output</c>, <c>output_1</c>...) and dtypes. Every op lowers as the spec's <c>onnx</c> field says.
    /// Updates cannot run in ONNX: they are exported as extra outputs with <see cref="Onnx.OnnxExportOptions.UpdatesAsOutputs"/>, else refused.
    /// </summary>
    /// <exception cref="Onnx.OnnxExportException">An op without an ONNX lowering, updates without the option, a sparse input.</exception>
    public void ExportOnnx(Stream stream, int opset = 17, Onnx.OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var model = Onnx.OnnxExport.Model(this, opset, options);
        using var output = new Google.Protobuf.CodedOutputStream(stream, leaveOpen: true);
        model.WriteTo(output);
    }

    /// <summary>As <see cref="ExportOnnx(Stream, int, Onnx.OnnxExportOptions?)"/>, to the file <paramref name="path"/> (created or replaced).</summary>
    public void ExportOnnx(string path, int opset = 17, Onnx.OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var model = Onnx.OnnxExport.Model(this, opset, options);
        using var file = File.Create(path);
        using var output = new Google.Protobuf.CodedOutputStream(file);
        model.WriteTo(output);
    }

    /// <summary>The function as ONNX model bytes (see <see cref="ExportOnnx(Stream, int, Onnx.OnnxExportOptions?)"/>).</summary>
    public byte[] ToOnnx(int opset = 17, Onnx.OnnxExportOptions? options = null) =>
        Google.Protobuf.MessageExtensions.ToByteArray(Onnx.OnnxExport.Model(this, opset, options));

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
                return new UpdateStep(t.Node!.Inputs, t.Node!.Replay!, t.Node!.Op, t);
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
                return new UpdateStep([v, value], ins => Updates.Update(ins[0]!, ins[1]!), "update");
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
    /// <returns>A new list of new tensors, one per output: the caller owns them (see the class remarks).</returns>
    public IReadOnlyList<Tensor> Call(params object[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Run(inputs, null);
    }

    /// <summary>As <see cref="Call(object[])"/>; with separate arguments (<c>f.Call(x, y)</c>) the compiler passes them on the stack, so the call allocates no argument array.</summary>
    public IReadOnlyList<Tensor> Call(params ReadOnlySpan<object> inputs) => Run(inputs, null);

    /// <summary>As <see cref="Call(object[])"/>, with the learning phase (0 = test, 1 = train) fed for this call.</summary>
    public IReadOnlyList<Tensor> CallWithLearningPhase(int learningPhase, params object[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Run(inputs, learningPhase);
    }

    /// <summary>As <see cref="CallWithLearningPhase(int, object[])"/>, without an argument array.</summary>
    public IReadOnlyList<Tensor> CallWithLearningPhase(int learningPhase, params ReadOnlySpan<object> inputs) => Run(inputs, learningPhase);

    private Tensor[] Run(ReadOnlySpan<object> inputs, int? phase)
    {
        if (inputs.Length != Inputs.Count)
            throw new KerasValueException("function", "inputs",
                $"{Name}: expected {Inputs.Count} input value(s), one per placeholder, received {inputs.Length}.");
        var state = _plan.Rent();
        var converted = state.Converted ??= new Tensor?[inputs.Length];
        try
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                var value = Feed(Inputs[i], inputs[i], i, out bool isNew);
                if (isNew) converted[i] = value;
                if (_inputSlots[i] >= 0) state.Values[_inputSlots[i]] = value;
                if (i == _phaseInput) phase ??= (int)value.GetLong(0);
            }
            using var scope = phase is int ph ? LearningPhaseScope.Enter(ph) : default;
            if (_phaseSlot >= 0)
            {
                var phaseValue = state.Phase ??= Tensor.Uninitialized(DType.Int32, Shape.Scalar);
                phaseValue.SetLong(0, LearningPhaseScope.Current);
                state.Values[_phaseSlot] = phaseValue;
            }
            if (!GraphBuilder.Recording && Backend.Current is IFunctionBackend whole)
            {
                var fed = new Tensor[inputs.Length];
                for (int i = 0; i < fed.Length; i++) fed[i] = converted[i] ?? (Tensor)inputs[i];
                if (_callLock is null) { if (whole.TryCall(this, fed, LearningPhaseScope.Current) is { } r) return r; }
                else lock (_callLock) { if (whole.TryCall(this, fed, LearningPhaseScope.Current) is { } r) return r; }
            }
            if (_callLock is null) return Execute(state);
            lock (_callLock) return Execute(state);
        }
        finally
        {
            for (int i = 0; i < converted.Length; i++)
            {
                converted[i]?.Dispose();
                converted[i] = null;
            }
            _plan.Return(state);
        }
    }

    private Tensor[] Execute(Plan.State state)
    {
        // Updates run the update ops on concrete values: inside a symbolic scope they must assign, not record again.
        if (GraphBuilder.Recording) return ExecuteEagerly(state);
        _plan.Execute(state);
        var results = new Tensor[Outputs.Count];
        for (int i = 0; i < results.Length; i++)
        {
            int slot = _outputSlots[i];
            // The caller owns what is returned: copy values that are variables, fed tensors, constants or already returned.
            if (slot < 0) { results[i] = Outputs[i].Copy(); continue; }
            var v = state.Values[slot]!;
            results[i] = v is Variable || _plan.IsFed(state, v) || _plan.IsLeaf(v) || _plan.IsShared(state, slot) || Array.IndexOf(results, v, 0, i) >= 0
                ? v.Copy()
                : _plan.TakeOutput(state, slot);
        }
        if (_updates.Length == 0) return results;
        var ins = state.UpdateInputs ??= Array.ConvertAll(_updateSlots, slots => new Tensor?[slots.Length]);
        for (int k = 0; k < _updates.Length; k++)
        {
            var step = _updates[k];
            var slots = _updateSlots[k];
            var operands = ins[k];
            for (int j = 0; j < slots.Length; j++)
                operands[j] = slots[j] >= 0 ? state.Values[slots[j]] : step.Operands[j];
            try
            {
                if (!TryIncrement(state, k, step.Op, operands)) step.Apply(operands);
            }
            finally { Array.Clear(operands); }
        }
        return results;
    }

    /// <summary>
    /// update_add / update_sub of a variable by a value of its own shape and dtype, as Updates does it (x ± d computed
    /// and assigned under the variable's lock, so repeated increments of one variable all apply) but into a buffer
    /// the state keeps: no allocation. Other updates go through their op.
    /// </summary>
    private bool TryIncrement(Plan.State state, int k, string op, Tensor?[] operands)
    {
        if (op is not ("update_add" or "update_sub") || operands[0] is not Variable v || operands[1] is not { } d
            || d.GetType() != typeof(Tensor) || d.IsWeak || d.DType != v.DType || d.Shape != v.Shape)
            return false;
        var scratch = (state.UpdateScratch ??= new Tensor?[_updates.Length])[k];
        if (scratch is null || scratch.Shape != v.Shape || scratch.DType != v.DType)
        {
            scratch?.Dispose();
            scratch = state.UpdateScratch[k] = Tensor.Uninitialized(v.DType, v.Shape);
        }
        scratch.AcquireBuffer();
        lock (v.UpdateLock)
        {
            if (op == "update_add") Backend.Current.Add(v, d, scratch);
            else Backend.Current.Subtract(v, d, scratch);
            v.Assign(scratch, op);
        }
        scratch.ReleaseBuffer();
        return true;
    }

    private Tensor[] ExecuteEagerly(Plan.State state) => Session.Eager(() => Execute(state));

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
