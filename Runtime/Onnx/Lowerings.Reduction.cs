namespace KerasBackend.Onnx;

// Lowerings of the reduction and loss families.
internal static partial class Lowerings
{
    private static int[] AxesAttr(LoweringContext c, int attr) => Normalize.Axes(c.Attr<int[]?>(attr), c.InRank(0));

    private static void SimpleReduce(LoweringContext c, string op, DType t)
    {
        c.Return(c.Reduce(op, c.InAs(0, t), AxesAttr(c, 0), c.Attr<bool>(1)), t);
    }

    /// <summary>Integer sums and products accumulate in int64 and wrap to the result dtype when cast back, as numpy's do.</summary>
    private static DType Accumulate(DType d) => d.IsFloat() ? OnnxTypes.Compute(d) : DType.Int64;

    public static void Sum(LoweringContext c) => SimpleReduce(c, "ReduceSum", Accumulate(c.OutDType));

    public static void Prod(LoweringContext c) => SimpleReduce(c, "ReduceProd", Accumulate(c.OutDType));

    /// <summary>numpy.max: a NaN in the group gives NaN.</summary>
    public static void Max(LoweringContext c) => ReduceExtreme(c, "ReduceMax");

    public static void Min(LoweringContext c) => ReduceExtreme(c, "ReduceMin");

    private static void ReduceExtreme(LoweringContext c, string op)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        var x = c.InAs(0, t);
        var axes = AxesAttr(c, 0);
        bool keep = c.Attr<bool>(1);
        var r = c.Reduce(op, x, axes, keep);
        if (t.IsFloat() && axes.Length > 0)
        {
            var nan = c.Reduce("ReduceMax", c.Cast(c.Node("IsNaN", [x]), DType.Bool, DType.Int32), axes, keep);
            r = Where(c, c.Node("Greater", [nan, c.Scalar(0, DType.Int32)]), c.Scalar(double.NaN, t), r);
        }
        c.Return(r, t);
    }

    /// <summary>Σ / n over the axes, so that an empty group gives NaN (0 / 0) as numpy's mean does (ReduceMean would give 0).</summary>
    private static string MeanOf(LoweringContext c, string x, DType t, int[] axes, bool keep)
    {
        var shape = c.InShape(0);
        if (axes.Length == 0) return x;
        if (axes.Any(a => shape[a] < 0)) return c.Reduce("ReduceMean", x, axes, keep);
        long n = axes.Aggregate(1L, (p, a) => p * shape[a]);
        return c.Node("Div", [c.Reduce("ReduceSum", x, axes, keep), c.Scalar(n, t)]);
    }

    public static void Mean(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        c.Return(MeanOf(c, c.InAs(0, t), t, AxesAttr(c, 0), c.Attr<bool>(1)), t);
    }

    /// <summary>The population variance mean((x − mean(x))²) over the axes.</summary>
    private static string Variance(LoweringContext c, DType t)
    {
        var x = c.InAs(0, t);
        var axes = AxesAttr(c, 0);
        var d = c.Node("Sub", [x, MeanOf(c, x, t, axes, true)]);
        return MeanOf(c, c.Node("Mul", [d, d]), t, axes, c.Attr<bool>(1));
    }

    public static void Var(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        c.Return(Variance(c, t), t);
    }

    public static void Std(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        c.Return(c.Node("Sqrt", [Variance(c, t)]), t);
    }

    /// <summary>Running sums: ONNX CumSum, except float16, whose sums numpy rounds to float16 at every step.</summary>
    public static void Cumsum(LoweringContext c)
    {
        if (c.OutDType == DType.Float16) { Running(c, "Add"); return; }
        var t = Accumulate(c.OutDType);
        int axis = Normalize.Axis(c.Attr<int>(0), c.InRank(0));
        c.Return(c.Node("CumSum", [c.InCompute(0, c.OutDType), c.IntScalar(axis)]), t);
    }

    /// <summary>Running products (ONNX has no CumProd).</summary>
    public static void Cumprod(LoweringContext c) => Running(c, "Mul");

    /// <summary>
    /// A running sum or product along the axis, one node per position (the axis length must be known); float16 rounds to
    /// float16 after every step, as numpy's float16 accumulation does.
    /// </summary>
    private static void Running(LoweringContext c, string op)
    {
        var t = Accumulate(c.OutDType);
        int axis = Normalize.Axis(c.Attr<int>(0), c.InRank(0));
        int n = c.InShape(0)[axis];
        if (n < 0) throw new OnnxExportException(c.Op, $"{c.Op} along an axis of unknown length cannot be exported (it is written one step per position). Received: x.shape={c.InShape(0)}, axis={axis}");
        var x = c.InCompute(0, c.OutDType);
        if (n <= 1) { c.Return(x, t); return; }
        var steps = c.Nodes("Split", [x, c.Ints(Enumerable.Repeat(1L, n).ToArray())], n, ("axis", (long)axis));
        for (int i = 1; i < n; i++)
        {
            steps[i] = c.Node(op, [steps[i - 1], steps[i]]);
            if (c.OutDType == DType.Float16) steps[i] = c.Cast(c.Cast(steps[i], t, DType.Float16), DType.Float16, t);
        }
        c.Return(c.Node("Concat", steps, ("axis", (long)axis)), t);
    }

    /// <summary>exp(x − max) / Σ exp(x − max) along the axis.</summary>
    public static void Softmax(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        int axis = Normalize.Axis(c.Attr<int>(0), c.InRank(0));
        var x = c.InAs(0, t);
        var e = c.Node("Exp", [c.Node("Sub", [x, c.Reduce("ReduceMax", x, [axis], true)])]);
        c.Return(c.Node("Div", [e, c.Reduce("ReduceSum", e, [axis], true)]), t);
    }

    /// <summary>tf.reduce_logsumexp: m + log Σ exp(x − m), m the group's maximum, or 0 when it is not finite.</summary>
    public static void LogSumExp(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        var x = c.InAs(0, t);
        var axes = AxesAttr(c, 0);
        bool keep = c.Attr<bool>(1);
        var m = c.Reduce("ReduceMax", x, axes, true);
        var finite = c.Node("Not", [c.Node("Or", [c.Node("IsNaN", [m]), c.Node("IsInf", [m])])]);
        var shift = Where(c, finite, m, c.Scalar(0, t));
        var s = c.Reduce("ReduceSum", c.Node("Exp", [c.Node("Sub", [x, shift])]), axes, keep);
        var shiftOut = keep ? shift : c.Node("Squeeze", [shift, c.Ints(axes.Select(a => (long)a).ToArray())]);
        c.Return(c.Node("Add", [c.Node("Log", [s]), shiftOut]), t);
    }

    /// <summary>tf.clip_by_value(v, ε, 1 − ε) with the bounds in float32 unless the result is float64 (as the kernels do); NaN passes.</summary>
    private static string ClipEpsilon(LoweringContext c, string v, DType t)
    {
        double eps = Config.Epsilon;
        double lo = c.OutDType == DType.Float64 ? eps : (float)eps, hi = c.OutDType == DType.Float64 ? 1 - eps : (float)(1 - eps);
        return Clamp(c, v, lo, hi, t);
    }

    /// <summary>m + log Σ exp(x − m) along the axis, kept (m the maximum: an infinite maximum or NaN gives NaN as the shifted formula does).</summary>
    private static string LogSumExpKeep(LoweringContext c, string x, int axis)
    {
        var m = c.Reduce("ReduceMax", x, [axis], true);
        var s = c.Reduce("ReduceSum", c.Node("Exp", [c.Node("Sub", [x, m])]), [axis], true);
        return c.Node("Add", [m, c.Node("Log", [s])]);
    }

    /// <summary>Logits: −Σ t·(x − logsumexp(x)); probabilities: p = o / Σo clipped to [ε, 1 − ε], −Σ t·log p.</summary>
    public static void CategoricalCrossentropy(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        bool logits = c.Attr<bool>(0);
        int axis = Normalize.Axis(c.Attr<int>(1), c.InRank(1));
        string target = c.InAs(0, t), output = c.InAs(1, t);
        string term = logits
            ? c.Node("Sub", [output, LogSumExpKeep(c, output, axis)])
            : c.Node("Log", [ClipEpsilon(c, c.Node("Div", [output, c.Reduce("ReduceSum", output, [axis], true)]), t)]);
        c.Return(c.Node("Neg", [c.Reduce("ReduceSum", c.Node("Mul", [target, term]), [axis], false)]), t);
    }

    /// <summary>Logits: logsumexp(x) − x[label]; probabilities: log Σ clip(o) − log clip(o)[label]; ignore_class positions give 0.</summary>
    public static void SparseCategoricalCrossentropy(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        bool logits = c.Attr<bool>(0);
        int axis = Normalize.Axis(c.Attr<int>(1), c.InRank(1));
        int? ignore = (int?)c.Attr(2);
        // One label per result value: a target such as (batch, 1) is laid out as the output without its class axis.
        var outDims = c.InShape(1).Dims.ToArray().Where((_, i) => i != axis).ToArray();
        var label = ReshapeTo(c, c.InAs(0, DType.Int64), KerasBackend.Shape.Wrap(outDims));
        string? ignored = ignore is int ic ? c.Node("Equal", [label, c.Scalar(ic, DType.Int64)]) : null;
        if (ignored is not null) label = Where(c, ignored, c.Scalar(0, DType.Int64), label);
        var output = c.InAs(1, t);
        var index = c.Node("Unsqueeze", [label, c.Ints(axis)]);
        string loss;
        if (logits)
        {
            var picked = c.Node("GatherElements", [output, index], ("axis", (long)axis));
            loss = c.Node("Sub", [LogSumExpKeep(c, output, axis), picked]);
        }
        else
        {
            var clipped = ClipEpsilon(c, output, t);
            var picked = c.Node("GatherElements", [clipped, index], ("axis", (long)axis));
            loss = c.Node("Sub", [c.Node("Log", [c.Reduce("ReduceSum", clipped, [axis], true)]), c.Node("Log", [picked])]);
        }
        loss = c.Node("Squeeze", [loss, c.Ints(axis)]);
        if (ignored is not null) loss = Where(c, ignored, c.Scalar(0, t), loss);
        c.Return(ReshapeTo(c, loss, c.OutShape), t);
    }

    /// <summary>Logits: max(x, 0) − x·t + log(1 + exp(−|x|)); probabilities: c = clip(o), −(t·log(c + ε) + (1 − t)·log(1 − c + ε)).</summary>
    public static void BinaryCrossentropy(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        string target = c.InAs(0, t), x = c.InAs(1, t);
        var one = c.Scalar(1, t);
        if (c.Attr<bool>(0))
        {
            var soft = c.Node("Log", [c.Node("Add", [one, c.Node("Exp", [c.Node("Neg", [c.Node("Abs", [x])])])])]);
            c.Return(c.Node("Add", [c.Node("Sub", [ReluOf(c, x, t), c.Node("Mul", [x, target])]), soft]), t);
            return;
        }
        var eps = c.Scalar(Config.Epsilon, t);
        var cl = ClipEpsilon(c, x, t);
        var a = c.Node("Mul", [target, c.Node("Log", [c.Node("Add", [cl, eps])])]);
        var b = c.Node("Mul", [c.Node("Sub", [one, target]), c.Node("Log", [c.Node("Add", [c.Node("Sub", [one, cl]), eps])])]);
        c.Return(c.Node("Neg", [c.Node("Add", [a, b])]), t);
    }
}
