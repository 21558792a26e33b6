namespace KerasBackend.Onnx;

// Random ops: ONNX Runtime's generators (same distributions, other values than ours: the spec marks them inexact). They take
// no tensor input, so a graph holds their values as constants; these lowerings serve a graph that records them.
internal static partial class Lowerings
{
    private static (string Name, object Value)[] RandomAttrs(LoweringContext c, DType t, int? seed, params (string, object)[] more)
    {
        var attrs = new List<(string, object)> { ("dtype", (long)OnnxTypes.ElemType(t)), ("shape", Longs(c.OutShape.Dims.ToArray())) };
        attrs.AddRange(more);
        if (seed is int s) attrs.Add(("seed", (float)s));
        return attrs.ToArray();
    }

    public static void RandomUniform(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        c.Return(c.Node("RandomUniform", [], RandomAttrs(c, t, (int?)c.Attr(4), ("low", (float)c.Attr<double>(1)), ("high", (float)c.Attr<double>(2)))), t);
    }

    public static void RandomNormal(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        c.Return(c.Node("RandomNormal", [], RandomAttrs(c, t, (int?)c.Attr(4), ("mean", (float)c.Attr<double>(1)), ("scale", (float)c.Attr<double>(2)))), t);
    }

    /// <summary>1 where a uniform draw is below p, else 0 (Keras 2's random_binomial is this Bernoulli draw too).</summary>
    public static void RandomBernoulli(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        var u = c.Node("RandomUniform", [], RandomAttrs(c, t, (int?)c.Attr(3)));
        c.Return(c.Cast(c.Node("Less", [u, c.Scalar(c.Attr<double>(1), t)]), DType.Bool, t), t);
    }

    public static void RandomBinomial(LoweringContext c) => RandomBernoulli(c);
}

// truncated_normal: ONNX has no truncated normal; redraws are written out.
internal static partial class Lowerings
{
    /// <summary>Redraws a graph spends on truncated_normal before its last resort.</summary>
    private const int TruncatedNormalDraws = 8;

    /// <summary>
    /// mean + stddev · z, z standard normal redrawn while |z| &gt; 2: the first of <see cref="TruncatedNormalDraws"/> normal draws
    /// inside [−2, 2] (all of them fall outside with probability 0.0455⁸ ≈ 2·10⁻¹¹; that element then takes a uniform draw in
    /// [−2, 2], which is why the spec calls the lowering inexact besides ONNX Runtime's own generator).
    /// </summary>
    public static void TruncatedNormal(LoweringContext c)
    {
        var t = FloatCompute(c.OutDType);
        int? seed = (int?)c.Attr(4);
        int? Next(int k) => seed is int s ? unchecked(s * 31 + k) : null;
        var z = c.Node("RandomUniform", [], RandomAttrs(c, t, Next(TruncatedNormalDraws), ("low", -2f), ("high", 2f)));
        for (int k = TruncatedNormalDraws - 1; k >= 0; k--)
        {
            var draw = c.Node("RandomNormal", [], RandomAttrs(c, t, Next(k)));
            z = Where(c, c.Node("LessOrEqual", [c.Node("Abs", [draw]), c.Scalar(2, t)]), draw, z);
        }
        var y = c.Node("Add", [c.Node("Mul", [z, c.Scalar(c.Attr<double>(2), t)]), c.Scalar(c.Attr<double>(1), t)]);
        c.Return(y, t);
    }
}
