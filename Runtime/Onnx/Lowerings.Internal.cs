namespace KerasBackend.Onnx;

// Lowerings of the graph's internal nodes (not spec ops): the reads, shape plumbing of gradients, the dropout mask and
// scatter's gradient pair (Lowerings.Scatter.cs) and the plumbing of other gradients (Lowerings.GradientPlumbing.cs).
internal static partial class Lowerings
{
    static partial void RegisterInternal()
    {
        AddInternal("_read", c => c.Return(c.Node("Identity", [c.In(0)]), c.InDType(0)));
        AddInternal("_broadcast_like", c => c.Return(c.Node("Expand", [c.In(0), c.Node("Shape", [c.In(1)])]), c.InDType(0)));
        AddInternal("_ones_like", c => c.Return(c.Node("Expand", [c.Scalar(1, c.OutDType), c.Node("Shape", [c.In(0)])]), c.OutDType));
        AddInternal("_zeros_like", c => c.Return(c.Node("Expand", [c.Scalar(0, c.OutDType), c.Node("Shape", [c.In(0)])]), c.OutDType));
        AddInternal("_expand_axes", c => c.Return(c.Node("Unsqueeze", [c.In(0), c.Ints(Longs(c.Attr<int[]>(0)))]), c.InDType(0)));
        AddInternal("_squeeze_axes", c => c.Return(c.Node("Squeeze", [c.In(0), c.Ints(Longs(c.Attr<int[]>(0)))]), c.InDType(0)));
        AddInternal("_slice_axis", c =>
        {
            int axis = c.Attr<int>(0), start = c.Attr<int>(1), length = c.Attr<int>(2);
            c.Return(c.Node("Slice", [c.In(0), c.Ints(start), c.Ints((long)start + length), c.Ints(axis)]), c.InDType(0));
        });
        AddInternal("_reshape_like", c => c.Return(c.Node("Reshape", [c.In(0), c.Node("Shape", [c.In(1)])]), c.InDType(0)));
        AddInternal("_sum_like", SumLike);
        AddInternal("_dropout_mask", DropoutMask);
        AddInternal("_scatter_gather", ScatterGather);
        AddInternal("_scatter_add_back", ScatterAddBack);
        AddInternal("_concat_part", ConcatPart);
        AddInternal("_crop", Crop);
        AddInternal("_uncrop", Uncrop);
        AddInternal("_untile", Untile);
        AddInternal("_scatter_rows", ScatterRows);
        AddInternal("_take_scatter", TakeScatter);
        AddInternal("_take_along_axis_scatter", TakeAlongAxisScatter);
    }

    /// <summary>
    /// The gradient g summed back to x's shape: over g's leading axes and the axes where x has size 1. An unknown dimension
    /// of x is taken as unstretched (the batch axis of a gradient has x's size).
    /// </summary>
    private static void SumLike(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        var g = c.InAs(0, t);
        KerasBackend.Shape gs = c.InShape(0), xs = c.InShape(1);
        int lead = gs.Rank - xs.Rank;
        if (lead > 0) g = c.Reduce("ReduceSum", g, Enumerable.Range(0, lead).ToArray(), false);
        var stretched = Enumerable.Range(0, xs.Rank).Where(i => xs[i] == 1 && gs[lead + i] != 1).ToArray();
        if (stretched.Length > 0) g = c.Reduce("ReduceSum", g, stretched, true);
        c.Return(g, t);
    }

    /// <summary>dropout's keep mask: 1 / (1 − level) where a uniform draw is below 1 − level, else 0. ONNX Runtime draws its own stream.</summary>
    private static void DropoutMask(LoweringContext c)
    {
        double level = c.Attr<double>(0);
        var noise = (int?[]?)c.Attr(1);
        var t = FloatCompute(c.OutDType);
        string u;
        if (noise is null) u = c.Node("RandomUniformLike", [c.InAs(0, t)], ("dtype", (long)OnnxTypes.ElemType(t)));
        else if (c.OutShape.IsFullyDefined) u = c.Node("RandomUniform", [], ("dtype", (long)OnnxTypes.ElemType(t)), ("shape", Longs(c.OutShape.Dims.ToArray())));
        else throw new OnnxExportException("dropout", $"dropout with a noise_shape of unknown dimensions ({c.OutShape}) cannot be exported yet.");
        var keep = c.Cast(c.Node("Less", [u, c.Scalar(1 - level, t)]), DType.Bool, t);
        c.Return(level == 0 ? keep : c.Node("Mul", [keep, c.Scalar(1 / (1 - level), t)]), t);
    }
}
