namespace KerasBackend.Composites;

/// <summary>Keras 3's split, broadcast_to, pad and slice_update, built on numpy basic indexing (strided_slice,
/// strided_slice_update), concatenate and broadcasting: so they record into graphs and differentiate through those ops.</summary>
internal static class IndexingOps
{
    /// <summary>x with <paramref name="axis"/> sliced as numpy's <c>start:stop:step</c> and every other axis whole.</summary>
    internal static Tensor Along(Tensor x, int axis, int? start, int? stop, int step = 1)
    {
        var items = new TensorIndex[axis + 1];
        for (int i = 0; i < axis; i++) items[i] = ..;
        items[axis] = TensorIndex.Step(start, stop, step);
        return x[items];
    }

    /// <summary>Keras 3 <c>split(x, indices_or_sections, axis)</c>, numpy.split: N equal sections, or the pieces between
    /// the given indices (Python slicing: x[:i0], x[i0:i1], ..., x[ik:]).</summary>
    public static IReadOnlyList<Tensor> Split(Tensor x, object indicesOrSections, int axis)
    {
        int a = axis < 0 ? axis + x.Rank : axis;
        if (Checks.SplitSectionsCount(indicesOrSections) is int n)
        {
            int size = x.Shape[a] / n;
            return Enumerable.Range(0, n).Select(i => Along(x, a, i * size, (i + 1) * size)).ToList();
        }
        var cuts = Checks.SplitIndices(indicesOrSections)!;
        var pieces = new List<Tensor>(cuts.Length + 1);
        for (int i = 0; i <= cuts.Length; i++)
            pieces.Add(Along(x, a, i == 0 ? 0 : cuts[i - 1], i == cuts.Length ? null : cuts[i]));
        return pieces;
    }

    /// <summary>Keras 3 <c>broadcast_to(x, shape)</c>, numpy.broadcast_to: x plus zeros of the target shape, so broadcasting
    /// (also of dimensions unknown until a graph runs) stretches x and the gradient sums back over the stretched axes.</summary>
    public static Tensor BroadcastTo(Tensor x, int[] shape)
    {
        // -0.0 is the additive identity of every float (x + 0.0 would turn -0.0 into 0.0; numpy keeps it).
        if (x.DType.IsFloat()) return K.Add(x, K.Constant(-0.0, x.DType, shape));
        if (x.DType != DType.Bool) return K.Add(x, K.Zeros(shape, x.DType));
        return K.Cast(K.Add(K.Cast(x, DType.UInt8), K.Zeros(shape, DType.UInt8)), DType.Bool);
    }

    /// <summary>Keras 3 <c>pad(x, pad_width, mode, constant_values)</c>, numpy.pad for the modes constant, reflect and
    /// symmetric: one axis at a time, the pads concatenated to x (reflect and symmetric read them with negative steps).</summary>
    public static Tensor Pad(Tensor x, object padWidth, string mode, double? constantValues)
    {
        var pads = Checks.PadPairs(x, padWidth)!;
        var y = x;
        for (int a = 0; a < x.Rank; a++)
        {
            var (before, after) = pads[a];
            if (before == 0 && after == 0) continue;
            var parts = new List<Tensor>(3);
            if (before > 0) parts.Add(mode switch
            {
                "reflect" => Along(y, a, before, 0, -1),           // x[b:0:-1]
                "symmetric" => Along(y, a, before - 1, null, -1),  // x[b-1::-1]
                _ => Block(y, a, before, constantValues ?? 0),
            });
            parts.Add(y);
            if (after > 0) parts.Add(mode switch
            {
                "reflect" => Along(y, a, -2, -after - 2, -1),      // x[-2:-a-2:-1]
                "symmetric" => Along(y, a, -1, -after - 1, -1),    // x[-1:-a-1:-1]
                _ => Block(y, a, after, constantValues ?? 0),
            });
            y = K.Concatenate(parts, a);
        }
        return ReferenceEquals(y, x) ? K.Identity(x) : y;
    }

    /// <summary>A block of <paramref name="value"/> shaped like y with <paramref name="axis"/> of length <paramref name="n"/>;
    /// when a dimension is unknown, n copies of y's first slice along the axis filled with the value, so it takes y's
    /// run-time shape (which needs that axis non-empty when the graph runs).</summary>
    private static Tensor Block(Tensor y, int axis, int n, double value)
    {
        var shape = y.Shape.ToArray();
        if (y.Shape.IsFullyDefined)
        {
            shape[axis] = n;
            return K.Constant(value, y.DType, shape);
        }
        var one = K.ZerosLike(Along(y, axis, 0, 1));
        var filled = value == 0 ? one : K.Cast(K.Add(K.Cast(one, DType.Float64), K.Constant(value, DType.Float64)), y.DType);
        return n == 1 ? filled : K.Concatenate(Enumerable.Repeat(filled, n).ToList(), axis);
    }

    /// <summary>Keras 3 <c>slice_update(inputs, start_indices, updates)</c>: inputs with the block at start_indices of
    /// updates' shape replaced by updates (strided_slice_update with steps 1).</summary>
    public static Tensor SliceUpdate(Tensor inputs, int[] startIndices, Tensor updates)
    {
        var end = new int[startIndices.Length];
        for (int i = 0; i < end.Length; i++) end[i] = startIndices[i] + updates.Shape[i];
        return K.StridedSliceUpdate(inputs, startIndices, end, Enumerable.Repeat(1, end.Length).ToArray(), updates);
    }
}
