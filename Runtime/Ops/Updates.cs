using System.Runtime.CompilerServices;
using KerasBackend.Graph;

namespace KerasBackend;

/// <summary>
/// Composite implementations of the variable updates: <c>update</c>, <c>update_add</c>, <c>update_sub</c>,
/// <c>moving_average_update</c>. With a concrete new value they assign at once and return the variable (eager
/// mode); with a symbolic one they record an update node that <see cref="KFunction"/> applies on each call.
/// </summary>
internal static class Updates
{
    private static readonly HashSet<string> s_ops = ["update", "update_add", "update_sub", "moving_average_update"];

    /// <summary>True for the Keras names of the update ops.</summary>
    public static bool IsUpdateOp(string op) => s_ops.Contains(op);

    /// <summary>x ← new_x.</summary>
    public static Tensor Update(Tensor x, Tensor newX)
    {
        var v = CheckVariable("update", x, newX, "new_x");
        if (GraphBuilder.AnySymbolic(newX)) return Record("update", v, [v, newX], [], ins => Update(ins[0]!, ins[1]!));
        v.Assign(newX, "update");
        return v;
    }

    /// <summary>x ← x + increment.</summary>
    public static Tensor UpdateAdd(Tensor x, Tensor increment)
    {
        var v = CheckVariable("update_add", x, increment, "increment");
        if (GraphBuilder.AnySymbolic(increment)) return Record("update_add", v, [v, increment], [], ins => UpdateAdd(ins[0]!, ins[1]!));
        AssignComputed(v, () => K.Add(v, increment), "update_add");
        return v;
    }

    /// <summary>x ← x − decrement.</summary>
    public static Tensor UpdateSub(Tensor x, Tensor decrement)
    {
        var v = CheckVariable("update_sub", x, decrement, "decrement");
        if (GraphBuilder.AnySymbolic(decrement)) return Record("update_sub", v, [v, decrement], [], ins => UpdateSub(ins[0]!, ins[1]!));
        AssignComputed(v, () => K.Subtract(v, decrement), "update_sub");
        return v;
    }

    /// <summary>
    /// x ← x·momentum + value·(1 − momentum), computed as x − (x − value)·(1 − momentum) (tf-keras). With
    /// <paramref name="zeroDebias"/>: a hidden biased average b (starting at 0) and a step count t are kept per
    /// variable; b ← b − (b − value)·(1 − momentum), t ← t + 1, x ← b / (1 − momentum^t) (TF1's assign_moving_average).
    /// </summary>
    public static Tensor MovingAverageUpdate(Tensor x, Tensor value, double momentum, bool zeroDebias)
    {
        var v = CheckVariable("moving_average_update", x, value, "value");
        if (double.IsNaN(momentum))
            throw new KerasValueException("moving_average_update", "momentum", "moving_average_update: momentum must be a number. Received: momentum=nan");
        // A moving average is a float computation: TF casts the decay to the variable's dtype (an int variable then
        // never moves, a bool one fails in Sub), so a non-float variable is refused up front.
        if (!v.DType.IsFloat())
            throw new KerasTypeException("moving_average_update", "x", $"moving_average_update: x must be a floating-point variable. Received: x.dtype={v.DType.Name()}");
        if (GraphBuilder.AnySymbolic(value))
            return Record("moving_average_update", v, [v, value], [momentum, zeroDebias], ins => MovingAverageUpdate(ins[0]!, ins[1]!, momentum, zeroDebias));
        if (!zeroDebias)
        {
            AssignComputed(v, () => K.Subtract(v, K.Multiply(K.Subtract(v, K.Cast(value, v.DType)), Tensor.WeakScalar(1 - momentum))), "moving_average_update");
            return v;
        }
        var state = s_debias.GetValue(v, key => new Debias(key));
        lock (state)
        {
            if (state.Biased.Shape != v.Shape) state.Reset(v);
            using var delta = K.Multiply(K.Subtract(state.Biased, K.Cast(value, v.DType)), Tensor.WeakScalar(1 - momentum));
            using var biased = K.Subtract(state.Biased, delta);
            state.Biased.CopyFrom(biased);
            state.Step++;
            AssignComputed(v, () => K.Divide(state.Biased, Tensor.WeakScalar(1 - Math.Pow(momentum, state.Step))), "moving_average_update");
        }
        return v;
    }

    private static readonly ConditionalWeakTable<Variable, Debias> s_debias = new();

    private sealed class Debias
    {
        public Debias(Variable v) => Reset(v);
        public Tensor Biased { get; private set; } = null!;
        public long Step { get; set; }
        public void Reset(Variable v) { Biased = new Tensor(v.DType, v.Shape); Step = 0; }
    }

    private static void AssignComputed(Variable v, Func<Tensor> compute, string op)
    {
        // Read-compute-write under the variable's lock so concurrent K.Function calls do not lose increments.
        lock (v.UpdateLock)
        {
            using var nv = compute();
            v.Assign(nv, op);
        }
    }

    private static Variable CheckVariable(string op, Tensor x, Tensor value, string valueName)
    {
        if (x is not Variable v)
            throw new KerasTypeException(op, "x",
                $"{op}: x must be a variable (K.Variable); {(x.IsSymbolic ? "a symbolic tensor" : "a constant tensor")} cannot be assigned. Received: x={x.Describe()}");
        // update assigns, so shapes must match; the others broadcast value onto x.
        bool ok = op == "update"
            ? GraphChecks.ShapesCompatible(v.Shape, value.Shape)
            : Checks.Broadcastable(v, value) && ShapeRules.BroadcastShapes(v.Shape, value.Shape) is var b && GraphChecks.ShapesCompatible(v.Shape, b);
        if (!ok)
            throw new KerasValueException(op, valueName,
                $"{op}: {valueName} must have the variable's shape{(op == "update" ? "" : " or broadcast to it")}. Received: x.shape={v.Shape}, {valueName}.shape={value.Shape}");
        if (value.IsSparse)
            throw new KerasTypeException(op, valueName, $"{op}: {valueName} must be dense. Received: a sparse tensor of shape {value.Shape}");
        return v;
    }

    private static Tensor Record(string op, Variable v, Tensor?[] inputs, object?[] attrs, Func<Tensor?[], Tensor> apply) =>
        GraphBuilder.Record(op, inputs, attrs, v.Shape, v.DType, apply);
}
