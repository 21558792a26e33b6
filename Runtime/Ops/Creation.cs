using System.Collections;
using KerasBackend.Graph;

namespace KerasBackend;

/// <summary>Composite implementations of the creation ops that take raw values (constant, variable, placeholder).</summary>
internal static class Creation
{
    /// <summary>Keras <c>constant(value, dtype=None, shape=None)</c>: dtype None → floatx; a scalar with a shape fills it.</summary>
    public static Tensor Constant(object value, DType? dtype, int[]? shape, string? name)
    {
        var t = ToTensor(value, "constant", dtype ?? Config.Floatx);
        if (shape is not null)
        {
            var s = new Shape(shape);
            if (!Checks.ShapeValid(shape))
                throw new KerasValueException("constant", "shape", $"constant: shape dimensions must be non-negative. Received: shape={Format.Py(shape)}");
            if (t.Size == 1 && s.Size != 1)
            {
                var filled = Tensor.Uninitialized(t.DType, s);
                double v = t.GetDouble(0);
                for (int i = 0; i < filled.Size; i++) filled.SetDouble(i, v);
                t = filled;
            }
            else if (t.Size == s.Size) t = new Tensor(t.DType, s, t.Data);
            else throw new KerasValueException("constant", "shape",
                $"constant: the value has {t.Size} elements, which cannot fill shape {s}. Received: value.shape={t.Shape}, shape={s}");
        }
        if (name is not null) t.Name = name;
        return t;
    }

    /// <summary>Any raw value → a new concrete tensor of <paramref name="dtype"/>.</summary>
    internal static Tensor ToTensor(object value, string op, DType dtype)
    {
        switch (value)
        {
            case Tensor t when t.IsSymbolic:
                throw new KerasValueException(op, "value", $"{op}: expected a concrete value, got the symbolic tensor {t.Describe()}.");
            case Tensor t:
                return t.DType == dtype ? t.Copy() : K.Cast(t, dtype);
            case Array a when a.Rank > 1 || a is not object[]:
            {
                if (a.GetType().GetElementType() == typeof(object)) break;
                var t = Tensor.FromArray(a);
                return t.DType == dtype ? t : K.Cast(t, dtype);
            }
        }
        // Scalars and nested lists: walk them, checking that they are rectangular.
        var dims = new List<int>();
        var flat = new List<double>();
        Walk(value, 0, dims, flat, op);
        var r = Tensor.Uninitialized(dtype, Shape.Wrap(dims.ToArray()));
        for (int i = 0; i < flat.Count; i++) r.SetDouble(i, flat[i]);
        return r;
    }


    private static void Walk(object? v, int depth, List<int> dims, List<double> flat, string op)
    {
        switch (v)
        {
            case double d: Leaf(d); return;
            case float f: Leaf(f); return;
            case int i: Leaf(i); return;
            case long l: Leaf(l); return;
            case short s: Leaf(s); return;
            case sbyte sb: Leaf(sb); return;
            case byte b: Leaf(b); return;
            case Half h: Leaf((double)h); return;
            case bool b: Leaf(b ? 1 : 0); return;
            case string s when s is "NaN" or "Infinity" or "-Infinity":
                Leaf(double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)); return;
            case Tensor t when t.Rank == 0 && !t.IsSymbolic: Leaf(t.GetDouble(0)); return;
            case IEnumerable e and not string:
            {
                var items = e.Cast<object?>().ToList();
                if (dims.Count == depth) dims.Add(items.Count);
                else if (dims[depth] != items.Count || dims.Count < depth) throw Ragged();
                foreach (var it in items) Walk(it, depth + 1, dims, flat, op);
                return;
            }
            default:
                throw new KerasTypeException(op, "value", $"{op}: cannot make a tensor from {Format.Py(v)} ({v?.GetType().Name ?? "null"}).");
        }

        void Leaf(double x)
        {
            if (dims.Count > depth) throw Ragged();
            flat.Add(x);
        }
        KerasValueException Ragged() => new(op, "value", $"{op}: the nested lists are not rectangular (ragged).");
    }

    /// <summary>Keras <c>variable(value, dtype=None, name=None, constraint=None)</c> (+ <c>trainable</c>): dtype None → floatx.</summary>
    public static Variable Variable(object value, DType? dtype, string? name, object? constraint = null, bool trainable = true)
    {
        Func<Tensor, Tensor>? c = constraint switch
        {
            null => null,
            Func<Tensor, Tensor> f => f,
            Delegate d when d.Method.GetParameters().Length == 1 => t => (Tensor)d.DynamicInvoke(t)!,
            _ => throw new KerasTypeException("variable", "constraint",
                $"variable: constraint must be a function from tensor to tensor (Func<Tensor, Tensor>). Received: {constraint.GetType().Name}"),
        };
        if (value is Tensor { IsSparse: true })
            throw new KerasTypeException("variable", "value", "variable: a sparse value cannot become a variable; variables are dense. Use the SparseTensor itself, or K.ToDense(value).");
        var t = ToTensor(value, "variable", dtype ?? Config.Floatx);
        var v = new Variable(t, name ?? "variable_" + Session.GetUid("variable"), c, trainable);
        t.Dispose();
        return v;
    }

    /// <summary>
    /// Keras <c>placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None)</c>: a symbolic input.
    /// <paramref name="shape"/> wins over <paramref name="ndim"/>; <paramref name="ndim"/> alone gives all-unknown dimensions.
    /// </summary>
    public static Tensor Placeholder(int?[]? shape, int? ndim, DType? dtype, bool sparse, string? name) =>
        GraphBuilder.Placeholder(SymbolicShape("placeholder", shape, ndim), dtype ?? Config.Floatx, name, sparse);

    /// <summary>Keras <c>Input(shape, batch_size=None, name=None, dtype=None, sparse=False)</c>: a placeholder of shape (batch_size, *shape) that starts a Keras tensor graph.</summary>
    public static Tensor Input(int?[]? shape, int? batchSize, string? name, DType? dtype, bool sparse)
    {
        if (shape is null) throw new KerasValueException("input", "shape", "input: shape is required (the shape of one sample, without the batch axis).");
        if (batchSize is < 0) throw new KerasValueException("input", "batch_size", $"input: batch_size must be non-negative. Received: batch_size={batchSize}");
        var full = new int?[shape.Length + 1];
        full[0] = batchSize;
        shape.CopyTo(full, 1);
        return GraphBuilder.Placeholder(SymbolicShape("input", full, null), dtype ?? Config.Floatx, name, sparse, keras: true);
    }

    private static Shape SymbolicShape(string op, int?[]? shape, int? ndim)
    {
        if (shape is not null)
        {
            if (shape.Length > Shape.MaxRank)
                throw new KerasValueException(op, "shape", $"{op}: a tensor has at most {Shape.MaxRank} dimensions. Received: a shape of {shape.Length} dimensions");
            foreach (var d in shape)
                if (d is < 0)
                    throw new KerasValueException(op, "shape", $"{op}: dimensions must be non-negative or None. Received: shape=({string.Join(", ", shape.Select(x => x?.ToString() ?? "None"))})");
            return Shape.Wrap(shape.Select(d => d ?? Shape.Unknown).ToArray());
        }
        if (ndim is null)
            throw new KerasValueException(op, "shape", $"{op}: give shape or ndim (tensors of unknown rank are not supported).");
        if (ndim < 0 || ndim > Shape.MaxRank) throw new KerasValueException(op, "ndim", $"{op}: ndim must be in [0, {Shape.MaxRank}]. Received: ndim={ndim}");
        return Shape.Wrap(Enumerable.Repeat(Shape.Unknown, ndim.Value).ToArray());
    }
}
