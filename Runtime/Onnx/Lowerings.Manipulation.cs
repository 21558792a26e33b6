namespace KerasBackend.Onnx;

// Lowerings of the manipulation, linalg and creation families, the composites that record their own node, and updates.
internal static partial class Lowerings
{
    private static long[] Longs(IEnumerable<int> v) => v.Select(x => (long)x).ToArray();

    /// <summary>Reshapes <paramref name="x"/> to <paramref name="shape"/> (unknown dimensions: at most one, as -1), zeros kept as zeros.</summary>
    private static string ReshapeTo(LoweringContext c, string x, KerasBackend.Shape shape)
    {
        if (shape.Dims.ToArray().Count(d => d < 0) > 1)
            throw new OnnxExportException(c.Op, $"{c.Op}: a result of shape {shape} with several unknown dimensions cannot be exported yet.");
        return c.Node("Reshape", [x, c.Ints(Longs(shape.Dims.ToArray()))], ("allowzero", 1L));
    }

    public static void Transpose(LoweringContext c) => c.Return(c.Node("Transpose", [c.In(0)]), c.InDType(0));

    public static void Reshape(LoweringContext c)
    {
        var shape = c.OutShape.IsFullyDefined ? c.OutShape : KerasBackend.Shape.Wrap(c.Attr<int[]>(0));
        c.Return(ReshapeTo(c, c.In(0), shape), c.InDType(0));
    }

    public static void ExpandDims(LoweringContext c)
    {
        int axis = c.Attr<int>(0);
        if (axis < 0) axis += c.InRank(0) + 1;
        c.Return(c.Node("Unsqueeze", [c.In(0), c.Ints(axis)]), c.InDType(0));
    }

    public static void Squeeze(LoweringContext c)
    {
        int axis = Normalize.Axis(c.Attr<int>(0), c.InRank(0));
        c.Return(c.Node("Squeeze", [c.In(0), c.Ints(axis)]), c.InDType(0));
    }

    /// <summary>numpy.tile: x gains leading 1-dimensions or n leading 1s until their lengths match.</summary>
    public static void Tile(LoweringContext c)
    {
        var n = c.Attr<int[]>(0);
        int rank = c.InRank(0), r = Math.Max(rank, n.Length);
        var x = c.In(0);
        if (r > rank) x = c.Node("Unsqueeze", [x, c.Ints(Longs(Enumerable.Range(0, r - rank)))]);
        var reps = Enumerable.Repeat(1L, r - n.Length).Concat(n.Select(v => (long)v)).ToArray();
        c.Return(c.Node("Tile", [x, c.Ints(reps)]), c.InDType(0));
    }

    public static void Stack(LoweringContext c)
    {
        int axis = c.Attr<int>(0);
        if (axis < 0) axis += c.InRank(0) + 1;
        var parts = Enumerable.Range(0, c.InputCount).Select(i => c.Node("Unsqueeze", [c.InAs(i, c.OutDType), c.Ints(axis)])).ToArray();
        c.Return(c.Node("Concat", parts, ("axis", (long)axis)), c.OutDType);
    }

    public static void Reverse(LoweringContext c)
    {
        var axes = AxesAttr(c, 0);
        if (axes.Length == 0) { c.Return(c.In(0), c.InDType(0)); return; }
        var y = c.Node("Slice", [c.In(0), c.Ints(axes.Select(_ => -1L).ToArray()), c.Ints(axes.Select(_ => long.MinValue).ToArray()),
            c.Ints(Longs(axes)), c.Ints(axes.Select(_ => -1L).ToArray())]);
        c.Return(y, c.InDType(0));
    }

    /// <summary>reference[indices] along axis 0 (negative indices count from the end in both).</summary>
    public static void Gather(LoweringContext c) =>
        c.Return(c.Node("Gather", [c.In(0), c.InAs(1, DType.Int64)], ("axis", 0L)), c.InDType(0));

    /// <summary>Keras switch: a condition of lower rank is padded with trailing 1s, then Where broadcasts.</summary>
    public static void Switch(LoweringContext c)
    {
        if (c.KnownValue(0) is { Size: 1 } known)
        {
            // A condition known at export (the learning phase baked in, a constant): only the chosen branch is written.
            c.Return(c.InCompute(known.GetDouble(0) != 0 ? 1 : 2, c.OutDType), OnnxTypes.Compute(c.OutDType));
            return;
        }
        var cond = c.Cast(c.In(0), c.InDType(0), DType.Bool);
        int rank = Math.Max(c.InRank(1), c.InRank(2)), cr = c.InRank(0);
        if (cr < rank && cr > 0) cond = c.Node("Unsqueeze", [cond, c.Ints(Longs(Enumerable.Range(cr, rank - cr)))]);
        c.Return(Where(c, cond, c.InCompute(1, c.OutDType), c.InCompute(2, c.OutDType)), OnnxTypes.Compute(c.OutDType));
    }

    /// <summary>One-hot along a new last axis; an index out of [0, num_classes) gives a row of zeros (ONNX would count negatives from the end).</summary>
    public static void OneHot(LoweringContext c)
    {
        int n = c.Attr<int>(0);
        var i = c.InAs(0, DType.Int64);
        var t = OnnxTypes.Compute(c.OutDType);
        if (n == 0)
        {
            c.Return(c.Node("Expand", [c.Scalar(0, t), c.Node("Concat", [c.Node("Shape", [i]), c.Ints(0)], ("axis", 0L))]), t);
            return;
        }
        bool scalar = c.InRank(0) == 0;
        if (scalar) i = c.Node("Unsqueeze", [i, c.Ints(0)]);
        i = Where(c, c.Node("Less", [i, c.Scalar(0, DType.Int64)]), c.Scalar(n, DType.Int64), i);
        var y = c.Node("OneHot", [i, c.Ints(n), c.Vector([0, 1], t)], ("axis", -1L));
        if (scalar) y = c.Node("Squeeze", [y, c.Ints(0)]);
        c.Return(y, t);
    }

    public static void Slice(LoweringContext c)
    {
        var start = c.Attr<int[]>(0);
        var size = c.Attr<int[]>(1);
        if (start.Length == 0) { c.Return(c.In(0), c.InDType(0)); return; }
        var ends = start.Select((s, d) => size[d] < 0 ? long.MaxValue : (long)s + size[d]).ToArray();
        var y = c.Node("Slice", [c.In(0), c.Ints(Longs(start)), c.Ints(ends), c.Ints(Longs(Enumerable.Range(0, start.Length)))]);
        c.Return(y, c.InDType(0));
    }

    /// <summary>An op without tensor inputs (zeros, ones, eye, arange): its value does not depend on the graph's inputs, so it is written as a constant.</summary>
    private static void Evaluated(LoweringContext c)
    {
        using var value = c.Evaluate();
        c.Return(c.Constant(value), value.DType);
    }

    public static void Zeros(LoweringContext c) => Evaluated(c);
    public static void Ones(LoweringContext c) => Evaluated(c);
    public static void Eye(LoweringContext c) => Evaluated(c);
    public static void Arange(LoweringContext c) => Evaluated(c);

    public static void Cast(LoweringContext c) => c.Return(c.In(0), c.InDType(0));

    private static void FilledLike(LoweringContext c, double value) =>
        c.Return(c.Node("Expand", [c.Scalar(value, c.OutDType), c.Node("Shape", [c.In(0)])]), c.OutDType);

    public static void ZerosLike(LoweringContext c) => FilledLike(c, 0);
    public static void OnesLike(LoweringContext c) => FilledLike(c, 1);

    /// <summary>Theano's dot: x (..., k) · y (..., k, n) contracts x's last axis with y's second-to-last.</summary>
    public static void Dot(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        string x = c.InCompute(0, c.OutDType), y = c.InCompute(1, c.OutDType);
        if (c.InRank(1) <= 2) { c.Return(c.Node("MatMul", [x, y]), t); return; }
        var ys = c.InShape(1);
        int ry = ys.Rank;
        if (!ys.IsFullyDefined) throw new OnnxExportException("dot", $"dot with a rank-{ry} y of unknown shape {ys} cannot be exported yet.");
        // y → (k, rest of y's dimensions) → (k, prod), x · that, then the result's shape.
        var perm = new long[ry];
        perm[0] = ry - 2;
        for (int i = 0, j = 1; i < ry; i++) if (i != ry - 2) perm[j++] = i;
        var y2 = c.Node("Reshape", [c.Node("Transpose", [y], ("perm", perm)), c.Ints(ys[-2], -1)]);
        c.Return(ReshapeTo(c, c.Node("MatMul", [x, y2]), c.OutShape), t);
    }

    /// <summary>batch_dot as an Einsum: the batch axis kept, axes[0] of x contracted with axes[1] of y; a rank-1 result becomes (batch, 1).</summary>
    public static void BatchDot(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        int rx = c.InRank(0), ry = c.InRank(1);
        var axes = Normalize.Pair(c.Attr<int[]?>(0), rx, ry);
        const string letters = "bcdefghijklmnopqrstuvwxyz";
        var xs = new char[rx];
        var ys = new char[ry];
        int next = 2;
        xs[0] = ys[0] = 'a';
        for (int i = 1; i < rx; i++) xs[i] = i == axes[0] ? 'b' : letters[next++];
        for (int i = 1; i < ry; i++) ys[i] = i == axes[1] ? 'b' : letters[next++];
        var outLetters = "a" + new string(xs.Where((ch, i) => i > 0 && ch != 'b').ToArray()) + new string(ys.Where((ch, i) => i > 0 && ch != 'b').ToArray());
        var eq = $"{new string(xs)},{new string(ys)}->{outLetters}";
        var r = c.Node("Einsum", [c.InCompute(0, c.OutDType), c.InCompute(1, c.OutDType)], ("equation", eq));
        if (outLetters.Length != c.OutShape.Rank) r = c.Node("Unsqueeze", [r, c.Ints(1)]);
        c.Return(r, t);
    }

    // The composites that record their own node.

    public static void Shape(LoweringContext c) => c.Return(c.Node("Shape", [c.In(0)]), DType.Int64);

    public static void Size(LoweringContext c) => c.Return(c.Node("Size", [c.In(0)]), DType.Int64);

    public static void StopGradient(LoweringContext c) => c.Return(c.Node("Identity", [c.In(0)]), c.InDType(0));

    // An update node's value is the variable's new value.
    public static void Update(LoweringContext c) => UpdateNode(c);
    public static void UpdateAdd(LoweringContext c) => UpdateNode(c);
    public static void UpdateSub(LoweringContext c) => UpdateNode(c);
    public static void MovingAverageUpdate(LoweringContext c) => UpdateNode(c);

    private static void UpdateNode(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        string x = c.InAs(0, t), y = c.InAs(1, t);
        switch (c.Op)
        {
            case "update": c.Return(y, t); break;
            case "update_add": c.Return(c.Node("Add", [x, y]), t); break;
            case "update_sub": c.Return(c.Node("Sub", [x, y]), t); break;
            default:
                if (c.Attr<bool>(1))
                    throw new OnnxExportException(c.Op, "moving_average_update with zero_debias keeps a hidden biased average per variable; it cannot be exported.");
                // x − (x − value)·(1 − momentum)
                var d = c.Node("Mul", [c.Node("Sub", [x, y]), c.Scalar(1 - c.Attr<double>(0), t)]);
                c.Return(c.Node("Sub", [x, d]), t);
                break;
        }
    }
}

// The Keras 3 creation ops, layer_normalization and the sparse ops.
internal static partial class Lowerings
{
    /// <summary>linspace has no tensor input: a graph holds its value as a constant.</summary>
    public static void Linspace(LoweringContext c) => Evaluated(c);

    /// <summary>numpy.tril: Trilu (lower) with k; integers and bool go through int64, floats through their compute dtype.</summary>
    public static void Tril(LoweringContext c) => Triangle(c, upper: false);

    /// <summary>numpy.triu: Trilu (upper) with k.</summary>
    public static void Triu(LoweringContext c) => Triangle(c, upper: true);

    private static void Triangle(LoweringContext c, bool upper)
    {
        var t = c.InDType(0).IsFloat() ? OnnxTypes.Compute(c.InDType(0)) : DType.Int64;
        c.Return(c.Node("Trilu", [c.InAs(0, t), c.IntScalar(c.Attr<int>(0))], ("upper", upper ? 1L : 0L)), t);
    }

    /// <summary>
    /// layer_normalization as the kernels compute it (not ONNX's LayerNormalization, which takes trailing axes only and
    /// computes the variance as E[x²] − E[x]²): the mean and the two-pass population variance over the axes, then
    /// (x − mean) / √(var + ε) · γ + β; floats in their compute dtype, integers and bool in float64, cast back (truncating).
    /// </summary>
    public static void LayerNormalization(LoweringContext c)
    {
        var t = c.OutDType.IsFloat() ? OnnxTypes.Compute(c.OutDType) : DType.Float64;
        var shape = c.InShape(0);
        int rank = shape.Rank;
        var axes = Normalize.Axes(c.Attr<int[]?>(0) ?? [-1], rank);
        double eps = (double?)c.Attr(1) ?? Config.Epsilon;
        var x = c.InAs(0, t);
        var d = c.Node("Sub", [x, c.Reduce("ReduceMean", x, axes, true)]);
        var variance = c.Reduce("ReduceMean", c.Node("Mul", [d, d]), axes, true);
        var y = c.Node("Div", [d, c.Node("Sqrt", [c.Node("Add", [variance, c.Scalar(eps, t)])])]);
        // A parameter of x's rank broadcasts as it is, a lower-rank one on the right when the only axis is the last; else it
        // holds the axes' extents in order (NormalizationParams.Expand).
        string Param(int i)
        {
            var p = c.InAs(i, t);
            if (c.InRank(i) == rank || (axes.Length == 1 && axes[0] == rank - 1)) return p;
            var target = Enumerable.Range(0, rank).Select(a => axes.Contains(a) ? (long)shape[a] : 1L).ToArray();
            return c.Node("Reshape", [p, c.Ints(target)]);
        }
        if (c.Input(1) is not null) y = c.Node("Mul", [y, Param(1)]);
        if (c.Input(2) is not null) y = c.Node("Add", [y, Param(2)]);
        c.Return(y, t);
    }

    // A sparse value inside a graph (ctc_label_dense_to_sparse on symbolic labels) is written densely: its stored values
    // in place, zeros elsewhere. Graph inputs are never sparse (export refuses sparse placeholders).

    /// <summary>The labels with the entries at or past each row's length zeroed (the sparse tensor's dense form).</summary>
    public static void CtcLabelDenseToSparse(LoweringContext c)
    {
        var labels = c.InCompute(0, c.OutDType);
        var lengths = c.Node("Reshape", [c.InAs(1, DType.Int64), c.Ints(-1, 1)]);
        var width = c.Node("Gather", [c.Node("Shape", [labels]), c.IntScalar(1)], ("axis", 0L));
        var steps = c.Node("Range", [c.IntScalar(0), width, c.IntScalar(1)]);
        var kept = c.Node("Less", [c.Node("Unsqueeze", [steps, c.Ints(0)]), lengths]);
        var t = OnnxTypes.Compute(c.OutDType);
        c.Return(Where(c, kept, labels, c.Scalar(0, t)), t);
    }

    /// <summary>to_dense of a sparse graph value: its dense form already.</summary>
    public static void ToDense(LoweringContext c) => c.Return(c.Node("Identity", [c.In(0)]), c.InDType(0));

    /// <summary>sparse × dense on the sparse operand's dense form: numpy.dot (MatMul; a rank-1 y contracts to a vector).</summary>
    public static void SparseDot(LoweringContext c) =>
        c.Return(c.Node("MatMul", [c.InCompute(0, c.OutDType), c.InCompute(1, c.OutDType)]), OnnxTypes.Compute(c.OutDType));
}
