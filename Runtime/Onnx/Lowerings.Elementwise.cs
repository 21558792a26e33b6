namespace KerasBackend.Onnx;

// Lowerings of the activation, math and logic families.
internal static partial class Lowerings
{
    /// <summary>The dtype a floating result computes in (float16 in float32); integer results of float formulas compute in float64.</summary>
    private static DType FloatCompute(DType d) => d.IsFloat() ? OnnxTypes.Compute(d) : DType.Float64;

    /// <summary>Where(condition, a, b).</summary>
    private static string Where(LoweringContext c, string condition, string a, string b) => c.Node("Where", [condition, a, b]);

    /// <summary>log(1 + y), accurate for small y (Goldberg: log(u) · y / (u − 1) with u = 1 + y rounded; y itself when u = 1).</summary>
    private static string Log1p(LoweringContext c, string y, DType t)
    {
        var one = c.Scalar(1, t);
        var u = c.Node("Add", [one, y]);
        var um1 = c.Node("Sub", [u, one]);
        var ratio = c.Node("Div", [c.Node("Mul", [c.Node("Log", [u]), y]), um1]);
        return Where(c, c.Node("Equal", [u, one]), y, ratio);
    }

    /// <summary>max(x, 0) with NaN kept (x &lt; 0 ? 0 : x).</summary>
    private static string ReluOf(LoweringContext c, string x, DType t) => Where(c, c.Node("Less", [x, c.Scalar(0, t)]), c.Scalar(0, t), x);

    /// <summary>tf-keras relu: the threshold, the cap (max_value, applied before the floor so a negative cap gives 0) and the leak alpha · (threshold − x)⁺.</summary>
    public static void Relu(LoweringContext c)
    {
        double alpha = c.Attr<double>(0), threshold = c.Attr<double>(2);
        double? maxValue = (double?)c.Attr(1);
        var t = FloatCompute(c.OutDType);
        var x = c.InAs(0, t);
        var zero = c.Scalar(0, t);
        string pos = threshold != 0
            ? Where(c, c.Node("Greater", [x, c.Scalar(threshold, t)]), x, c.Node("Mul", [x, zero]))
            : ReluOf(c, x, t);
        if (maxValue is double m)
        {
            pos = Where(c, c.Node("Greater", [pos, c.Scalar(m, t)]), c.Scalar(m, t), pos);
            pos = Where(c, c.Node("Less", [pos, zero]), zero, pos);
        }
        if (alpha != 0)
        {
            var neg = c.Node("Sub", [c.Scalar(threshold, t), x]);
            neg = Where(c, c.Node("Less", [neg, zero]), zero, neg);
            pos = c.Node("Sub", [pos, c.Node("Mul", [c.Scalar(alpha, t), neg])]);
        }
        c.Return(pos, t);
    }

    /// <summary>x &gt; 0 ? x : alpha · (exp(x) − 1).</summary>
    public static void Elu(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        var x = c.InAs(0, t);
        var em1 = c.Node("Sub", [c.Node("Exp", [x]), c.Scalar(1, t)]);
        c.Return(Where(c, c.Node("Greater", [x, c.Scalar(0, t)]), x, c.Node("Mul", [c.Scalar(c.Attr<double>(0), t), em1])), t);
    }

    /// <summary>max(x, 0) + log1p(exp(−|x|)): no overflow.</summary>
    public static void Softplus(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        var x = c.InAs(0, t);
        var e = c.Node("Exp", [c.Node("Neg", [c.Node("Abs", [x])])]);
        c.Return(c.Node("Add", [ReluOf(c, x, t), Log1p(c, e, t)]), t);
    }

    /// <summary>x / (1 + |x|).</summary>
    public static void Softsign(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        var x = c.InAs(0, t);
        c.Return(c.Node("Div", [x, c.Node("Add", [c.Scalar(1, t), c.Node("Abs", [x])])]), t);
    }

    /// <summary>Keras 2's hard sigmoid clip(0.2 · x + 0.5, 0, 1), written (x + 2.5) · 0.2 as the kernels do; NaN passes.</summary>
    public static void HardSigmoid(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        var v = c.Node("Mul", [c.Node("Add", [c.InAs(0, t), c.Scalar(2.5, t)]), c.Scalar(0.2, t)]);
        c.Return(Clamp(c, v, 0, 1, t), t);
    }

    /// <summary>lo ≤ v ≤ hi by comparisons, so that NaN passes (an infinite bound is left out).</summary>
    private static string Clamp(LoweringContext c, string v, double lo, double hi, DType t)
    {
        if (!double.IsPositiveInfinity(hi)) v = Where(c, c.Node("Greater", [v, c.Scalar(hi, t)]), c.Scalar(hi, t), v);
        if (!double.IsNegativeInfinity(lo)) v = Where(c, c.Node("Less", [v, c.Scalar(lo, t)]), c.Scalar(lo, t), v);
        return v;
    }

    /// <summary>Keras 2's sqrt: negatives clipped to 0 first (tf.maximum(x, 0), so NaN passes).</summary>
    public static void Sqrt(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        var x = c.InCompute(0, c.OutDType);
        c.Return(c.Node("Sqrt", [Where(c, c.Node("Less", [x, c.Scalar(0, t)]), c.Scalar(0, t), x)]), t);
    }

    /// <summary>numpy.round: half to even (ONNX Round too); integers and bool are already whole.</summary>
    public static void Round(LoweringContext c)
    {
        if (!c.InDType(0).IsFloat()) { c.Return(c.In(0), c.InDType(0)); return; }
        var t = OnnxTypes.Compute(c.OutDType);
        c.Return(c.Node("Round", [c.InAs(0, t)]), t);
    }

    /// <summary>x · x.</summary>
    public static void Square(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        var x = c.InAs(0, t);
        c.Return(c.Node("Mul", [x, x]), t);
    }

    /// <summary>x ** a: floats by Pow; integer results (a whole, non-negative exponent) by repeated squaring in int64, wrapping as numpy does.</summary>
    public static void Pow(LoweringContext c)
    {
        double a = c.Attr<double>(0);
        if (c.OutDType.IsFloat())
        {
            var t = OnnxTypes.Compute(c.OutDType);
            c.Return(c.Node("Pow", [c.InAs(0, t), c.Scalar(a, t)]), t);
            return;
        }
        var x = c.InAs(0, DType.Int64);
        string? result = null, square = x;
        for (long e = (long)a; e > 0; e >>= 1)
        {
            if ((e & 1) != 0) result = result is null ? square : c.Node("Mul", [result, square]);
            if (e > 1) square = c.Node("Mul", [square, square]);
        }
        result ??= c.Node("Expand", [c.Scalar(1, DType.Int64), c.Node("Shape", [x])]);
        c.Return(result, DType.Int64);
    }

    /// <summary>numpy.maximum: NaN in either operand wins; of equal values the second.</summary>
    public static void Maximum(LoweringContext c) => Extreme(c, "Greater");

    /// <summary>numpy.minimum: NaN in either operand wins; of equal values the second.</summary>
    public static void Minimum(LoweringContext c) => Extreme(c, "Less");

    private static void Extreme(LoweringContext c, string compare)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        string x = c.InCompute(0, c.OutDType), y = c.InCompute(1, c.OutDType);
        var r = Where(c, c.Node(compare, [x, y]), x, y);
        if (t.IsFloat()) r = Where(c, c.Node("IsNaN", [x]), x, r);
        c.Return(r, t);
    }

    /// <summary>tf-keras clip: a null bound is open, max &lt; min makes max = min; NaN passes.</summary>
    public static void Clip(LoweringContext c)
    {
        var (lo, hi) = KerasBackend.Backends.ClipBounds.Resolve((double?)c.Attr(0), (double?)c.Attr(1));
        var t = c.OutDType.IsFloat() || !KerasBackend.Backends.ClipBounds.Whole(lo, hi) ? FloatCompute(c.OutDType) : OnnxTypes.Compute(c.OutDType);
        if (!t.IsFloat())
        {
            // A bound beyond the compute dtype's range clips nothing on that side.
            double min = t == DType.Int64 ? long.MinValue : int.MinValue, max = t == DType.Int64 ? long.MaxValue : int.MaxValue;
            if (lo <= min) lo = double.NegativeInfinity;
            if (hi >= max) hi = double.PositiveInfinity;
        }
        var x = t == OnnxTypes.Compute(c.OutDType) ? c.InCompute(0, c.OutDType) : c.InAs(0, t);
        c.Return(Clamp(c, x, lo, hi, t), t);
    }

    /// <summary>not (x == y) in the promoted dtype (so NaN != NaN).</summary>
    public static void NotEqual(LoweringContext c)
    {
        var p = c.PromotedInputDType();
        c.Return(c.Node("Not", [c.Node("Equal", [c.InCompute(0, p), c.InCompute(1, p)])]), DType.Bool);
    }

    /// <summary>any: some element is non-zero (NaN counts), as a sum of truth values, so an empty reduction is false.</summary>
    public static void Any(LoweringContext c)
    {
        var b = c.Cast(c.Cast(c.In(0), c.InDType(0), DType.Bool), DType.Bool, DType.Int32);
        var axes = Normalize.Axes(c.Attr<int[]?>(0), c.InRank(0));
        var count = c.Reduce("ReduceSum", b, axes, c.Attr<bool>(1));
        c.Return(c.Node("Greater", [count, c.Scalar(0, DType.Int32)]), DType.Bool);
    }

    /// <summary>all: no element is zero, as a count of zeros, so an empty reduction is true.</summary>
    public static void All(LoweringContext c)
    {
        var zero = c.Cast(c.Node("Not", [c.Cast(c.In(0), c.InDType(0), DType.Bool)]), DType.Bool, DType.Int32);
        var axes = Normalize.Axes(c.Attr<int[]?>(0), c.InRank(0));
        var count = c.Reduce("ReduceSum", zero, axes, c.Attr<bool>(1));
        c.Return(c.Node("Equal", [count, c.Scalar(0, DType.Int32)]), DType.Bool);
    }

    /// <summary>numpy.argmax: the first index of the maximum, the first NaN winning.</summary>
    public static void Argmax(LoweringContext c) => ArgExtreme(c, "ArgMax");

    /// <summary>numpy.argmin: the first index of the minimum, the first NaN winning.</summary>
    public static void Argmin(LoweringContext c) => ArgExtreme(c, "ArgMin");

    private static void ArgExtreme(LoweringContext c, string op)
    {
        int axis = Normalize.Axis(c.Attr<int>(0), c.InRank(0));
        var t = OnnxTypes.Compute(c.InDType(0));
        var x = c.InAs(0, t);
        var idx = c.Node(op, [x], ("axis", (long)axis), ("keepdims", 0L), ("select_last_index", 0L));
        if (t.IsFloat())
        {
            var nan = c.Cast(c.Node("IsNaN", [x]), DType.Bool, DType.Int32);
            var firstNan = c.Node("ArgMax", [nan], ("axis", (long)axis), ("keepdims", 0L), ("select_last_index", 0L));
            var anyNan = c.Node("Greater", [c.Reduce("ReduceMax", nan, [axis], false), c.Scalar(0, DType.Int32)]);
            idx = Where(c, anyNan, firstNan, idx);
        }
        c.Return(idx, DType.Int64);
    }

    /// <summary>
    /// tf in_top_k: the target's prediction has fewer than k strictly greater predictions in its row; a row with a
    /// non-finite prediction, or a target out of range, gives false.
    /// </summary>
    public static void InTopK(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.InDType(0));
        var p = c.InAs(0, t);
        int classes = c.InShape(0)[1];
        var target = c.InAs(1, DType.Int64);
        var inRange = c.Node("And", [c.Node("GreaterOrEqual", [target, c.Scalar(0, DType.Int64)]),
            classes >= 0 ? c.Node("Less", [target, c.Scalar(classes, DType.Int64)])
                         : c.Node("Less", [target, c.Node("Gather", [c.Node("Shape", [p]), c.IntScalar(1)], ("axis", 0L))])]);
        var safe = Where(c, inRange, target, c.Scalar(0, DType.Int64));
        var tp = c.Node("GatherElements", [p, c.Node("Unsqueeze", [safe, c.Ints(1)])], ("axis", 1L));
        var greater = c.Reduce("ReduceSum", c.Cast(c.Node("Greater", [p, tp]), DType.Bool, DType.Int32), [1], false);
        var result = c.Node("And", [inRange, c.Node("Less", [greater, c.Scalar(c.Attr<int>(0), DType.Int32)])]);
        if (t.IsFloat())
        {
            var nonFinite = c.Cast(c.Node("Or", [c.Node("IsNaN", [p]), c.Node("IsInf", [p])]), DType.Bool, DType.Int32);
            var finiteRow = c.Node("Equal", [c.Reduce("ReduceSum", nonFinite, [1], false), c.Scalar(0, DType.Int32)]);
            result = c.Node("And", [result, finiteRow]);
        }
        c.Return(result, DType.Bool);
    }
}
