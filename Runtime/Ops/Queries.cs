using KerasBackend.Graph;

namespace KerasBackend;

/// <summary>Composite implementations of the queries on tensors (eval, is_*, shape, int_shape, ...), values (get/set) and sparse tensors.</summary>
internal static class Queries
{
    /// <summary>Keras <c>eval(x)</c>: the value of x as a new concrete tensor; a symbolic x is evaluated (it must not need placeholders).</summary>
    public static Tensor Eval(Tensor x) => Value(x, "eval");

    /// <summary>Keras <c>get_value(x)</c>: as <c>eval</c>.</summary>
    public static Tensor GetValue(Tensor x) => Value(x, "get_value");

    /// <summary>Keras <c>batch_get_value(tensors)</c>: the values of several tensors, symbolic ones evaluated together.</summary>
    public static IReadOnlyList<Tensor> BatchGetValue(IReadOnlyList<Tensor> tensors)
    {
        for (int i = 0; i < tensors.Count; i++) if (tensors[i] is null) throw Errors.Null("batch_get_value", "tensors");
        var symbolic = tensors.Where(t => t.IsSymbolic).ToList();
        var values = symbolic.Count == 0 ? null : Evaluate(symbolic, "batch_get_value");
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        return tensors.Select(t =>
        {
            var v = t.IsSymbolic ? values![t] : t;
            return !t.IsSymbolic || !seen.Add(v) || v is Variable ? v.Copy() : v;
        }).ToList();
    }

    private static Tensor Value(Tensor x, string op)
    {
        if (!x.IsSymbolic) return x.Copy();
        var v = Evaluate([x], op)[x];
        return v is Variable ? v.Copy() : v;
    }

    private static Dictionary<Tensor, Tensor> Evaluate(IReadOnlyList<Tensor> roots, string op)
    {
        var plan = new Plan(roots);
        var feed = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        Tensor? phase = null;
        foreach (var p in plan.Placeholders)
        {
            if (!ReferenceEquals(p, LearningPhaseScope.Placeholder))
                throw new KerasValueException(op, "x",
                    $"{op}: the tensor depends on the placeholder {p.Describe()}, which has no value here. Build a K.Function with the placeholder among its inputs and call it with a value.");
            phase = Tensor.Uninitialized(DType.Int32, Shape.Scalar);
            phase.SetLong(0, LearningPhaseScope.Current);
            feed[p] = phase;
        }
        var values = plan.Run(feed);
        if (phase is not null && !values.Values.Contains(phase, ReferenceEqualityComparer.Instance)) phase.Dispose();
        return values;
    }


    /// <summary>Keras <c>set_value(x, value)</c>: assigns a value (converted to x's dtype) to a variable.</summary>
    public static void SetValue(Tensor x, object value)
    {
        const string op = "set_value";
        if (x is not Variable v)
            throw new KerasTypeException(op, "x", $"{op}: x must be a variable (K.Variable). Received: x={x.Describe()}");
        var t = Creation.ToTensor(value, op, v.DType);
        if (t.Shape != v.Shape)
            throw new KerasValueException(op, "value", $"{op}: the value must have the variable's shape. Received: x.shape={v.Shape}, value.shape={t.Shape}");
        v.Assign(t, op);
        t.Dispose();
    }

    /// <summary>Keras <c>batch_set_value(tuples)</c>: (variable, value) pairs; every pair is checked before any is assigned.</summary>
    public static void BatchSetValue(IEnumerable<object>? tuples)
    {
        const string op = "batch_set_value";
        if (tuples is null) throw Errors.Null(op, "tuples");
        var pairs = new List<(Variable, Tensor)>();
        int i = 0;
        foreach (var item in tuples)
        {
            if (item is not System.Runtime.CompilerServices.ITuple { Length: 2 } pair)
                throw new KerasTypeException(op, "tuples", $"{op}: tuples[{i}] must be a (variable, value) pair. Received: {item?.GetType().Name ?? "null"}");
            if (pair[0] is not Variable v)
                throw new KerasTypeException(op, "tuples", $"{op}: tuples[{i}][0] must be a variable. Received: {Format.Py(pair[0])}");
            var t = Creation.ToTensor(pair[1] ?? throw Errors.Null(op, "tuples"), op, v.DType);
            if (t.Shape != v.Shape)
                throw new KerasValueException(op, "tuples", $"{op}: tuples[{i}]: the value must have the variable's shape. Received: x.shape={v.Shape}, value.shape={t.Shape}");
            pairs.Add((v, t));
            i++;
        }
        foreach (var (v, t) in pairs) { v.Assign(t, op); t.Dispose(); }
    }

    public static bool IsTensor(object? x) => x is Tensor;

    public static bool IsVariable(object? x) => x is Variable;

    public static bool IsPlaceholder(object? x) => x is Tensor { IsSymbolic: true } t && t.Node!.IsPlaceholder;

    /// <summary>Keras <c>is_keras_tensor</c>: anything that is not a tensor raises ValueError; concrete tensors and variables give false.</summary>
    public static bool IsKerasTensor(object? x)
    {
        if (x is not Tensor t)
            throw new KerasValueException("is_keras_tensor", "x",
                $"Unexpectedly found an instance of type `{x?.GetType().Name ?? "null"}`. Expected a symbolic tensor instance.");
        return t.IsKerasTensor;
    }

    public static bool IsSparse(Tensor x) => x.IsSparse;

    /// <summary>Keras <c>to_dense</c>: a sparse tensor densified; a dense one is returned as is.</summary>
    public static Tensor ToDense(Tensor x)
    {
        if (!x.IsSparse) return x;
        if (x.IsSymbolic) return GraphBuilder.Record("to_dense", [x], [], x.Shape, x.DType, ins => ToDense(ins[0]!));
        return ((SparseTensor)x).ToDense();
    }

    /// <summary>Keras <c>shape(x)</c>: the shape as an int32 tensor (computed when the graph runs for a symbolic x).</summary>
    public static Tensor ShapeOf(Tensor x)
    {
        if (x.IsSymbolic) return GraphBuilder.Record("shape", [x], [], new Shape(x.Rank), DType.Int32, ins => ShapeOf(ins[0]!));
        var r = Tensor.Uninitialized(DType.Int32, new Shape(x.Rank));
        for (int i = 0; i < x.Rank; i++) r.SetLong(i, x.Shape[i]);
        return r;
    }

    /// <summary>Keras <c>int_shape(x)</c>: the static shape; unknown dimensions are null.</summary>
    public static int?[] IntShape(Tensor x) => x.Shape.Dims.ToArray().Select(d => d < 0 ? (int?)null : d).ToArray();

    public static int Ndim(Tensor x) => x.Rank;

    /// <summary>Keras <c>size(x)</c>: the number of elements as an int32 scalar tensor.</summary>
    public static Tensor Size(Tensor x, string? name)
    {
        if (x.IsSymbolic) return GraphBuilder.Record("size", [x], [name], KerasBackend.Shape.Scalar, DType.Int32, ins => Size(ins[0]!, name));
        var r = Tensor.Uninitialized(DType.Int32, KerasBackend.Shape.Scalar);
        r.SetLong(0, x.Shape.Size);
        if (name is not null) r.Name = name;
        return r;
    }

    public static string DTypeOf(Tensor x) => x.DType.Name();

    /// <summary>Keras <c>count_params(x)</c>: the product of the static shape.</summary>
    public static long CountParams(Tensor x)
    {
        long n = x.Shape.Size;
        if (n < 0)
            throw new KerasValueException("count_params", "x", $"count_params: the shape has unknown dimensions, so the count is not defined. Received: x.shape={x.Shape}");
        return n;
    }

    /// <summary>
    /// Sparse × dense product (tf-keras' <c>dot</c> on a sparse x): x sparse of rank 2 (n, k), y dense (k, m) or (k,).
    /// A dense x goes to <c>K.Dot</c>.
    /// </summary>
    public static Tensor SparseDot(Tensor x, Tensor y)
    {
        const string op = "sparse_dot";
        if (!x.IsSparse) return K.Dot(x, y);
        if (y.IsSparse)
            throw new KerasTypeException(op, "y", $"{op}: y must be dense (sparse × sparse is not supported). Received: y.shape={y.Shape}");
        if (x.Rank != 2 || y.Rank is not (1 or 2))
            throw new KerasValueException(op, "x", $"{op}: x must be a rank-2 sparse tensor and y a rank-1 or rank-2 dense tensor. Received: x.shape={x.Shape}, y.shape={y.Shape}");
        int k = y.Rank == 2 ? y.Shape[0] : y.Shape[0];
        if (x.Shape[1] >= 0 && k >= 0 && x.Shape[1] != k)
            throw new KerasValueException(op, "y",
                $"{op}: the last axis of x must match the first axis of y. Received: x.shape={x.Shape}, y.shape={y.Shape}");
        var outShape = y.Rank == 2 ? new Shape(x.Shape[0], y.Shape[1]) : new Shape(x.Shape[0]);
        var dtype = DTypes.Promote(x.DType, y.DType);
        if (x.IsSymbolic || y.IsSymbolic)
            return GraphBuilder.Record(op, [x, y], [], outShape, dtype, ins => SparseDot(ins[0]!, ins[1]!));
        var sp = (SparseTensor)x;
        int m = y.Rank == 2 ? y.Shape[1] : 1;
        var acc = new double[sp.Shape[0] * m];
        // Each stored x[i, j] adds x[i, j] · y[j, :] to row i: work proportional to nnz · m.
        for (int n = 0; n < sp.Nnz; n++)
        {
            int i = (int)sp.Indices.GetLong(2 * n), j = (int)sp.Indices.GetLong(2 * n + 1);
            double v = sp.Values.GetDouble(n);
            for (int c = 0; c < m; c++) acc[i * m + c] += v * y.GetDouble(j * m + c);
        }
        var r = Tensor.Uninitialized(dtype, outShape);
        for (int i = 0; i < acc.Length; i++) r.SetDouble(i, acc[i]);
        return r;
    }
}
