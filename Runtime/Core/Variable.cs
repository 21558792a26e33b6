namespace KerasBackend;

/// <summary>
/// A mutable tensor with a name, updated in place by <c>K.Update</c>, <c>K.UpdateAdd</c>,
/// <c>K.UpdateSub</c>, <c>K.MovingAverageUpdate</c> and <see cref="K.SetValue"/>. A constraint, when set,
/// is applied after every update.
/// </summary>
public sealed class Variable : Tensor
{
    internal Variable(Tensor value, string name, Func<Tensor, Tensor>? constraint, bool trainable)
        : base(value.DType, value.Shape, clear: false)
    {
        CopyFrom(value);
        Name = Graph.NameScope.Qualify(name);
        Constraint = constraint;
        Trainable = trainable;
    }

    /// <summary>Applied to the new value after each update (e.g. a max-norm constraint).</summary>
    public Func<Tensor, Tensor>? Constraint { get; }

    /// <summary>Whether optimizers should update it.</summary>
    public bool Trainable { get; set; }

    /// <summary>Serializes concurrent assignments (K.Function called from several threads).</summary>
    internal Lock UpdateLock { get; } = new();

    /// <summary>Assigns <paramref name="value"/> (same shape; cast to this dtype), then applies the constraint.</summary>
    internal void Assign(Tensor value, string op)
    {
        if (value.Shape != Shape)
            throw new KerasValueException(op, "value",
                $"{op}: the new value must have the variable's shape. Received: variable.shape={Shape}, value.shape={value.Shape}");
        var v = value.DType == DType ? value : K.Cast(value, DType);
        if (Constraint is not null)
        {
            var c = Constraint(v);
            if (c is null || c.IsSymbolic || c.Shape != Shape)
                throw new KerasValueException(op, "constraint",
                    $"{op}: the constraint of variable '{Name}' must return a concrete tensor of shape {Shape}. Received: {(c is null ? "null" : c.Describe())}");
            if (!ReferenceEquals(v, value) && !ReferenceEquals(v, c)) v.Dispose();
            v = c.DType == DType ? c : K.Cast(c, DType);
        }
        lock (UpdateLock) CopyFrom(v);
        if (!ReferenceEquals(v, value) && v is not Variable) v.Dispose();
    }

    /// <summary>As tf.Variable prints: <c>&lt;Variable 'w' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)&gt;</c>.</summary>
    public override string ToString() => $"<Variable '{Name}' shape={Shape} dtype={DType.Name()}, numpy={base.ToString()}>";
}
