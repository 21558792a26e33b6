using KerasBackend.Graph;

namespace KerasBackend.Autodiff;

/// <summary>
/// Shape plumbing for gradients: reduce a broadcast gradient back to an input's shape, broadcast it out
/// again, insert or drop size-1 axes, take one part of a concatenation, ones/zeros shaped like a tensor.
/// On concrete tensors they compute at once (with K ops, or by copying bytes for pure re-layouts); on
/// symbolic tensors whose shapes are fully known they emit ordinary K ops; otherwise they record a small
/// node (name starting with '_') whose replay decides from the fed shapes. Each such node declares its own
/// gradient in <see cref="Table"/>, so gradients of gradients work.
/// </summary>
internal static class GradOps
{
    public static readonly IReadOnlyDictionary<string, GradientFunction> Table = new Dictionary<string, GradientFunction>(StringComparer.Ordinal)
    {
        ["_read"] = g => [g.Upstream],
        ["_sum_like"] = g => [BroadcastLike(g.Upstream, g.X), null],
        ["_broadcast_like"] = g => [SumLike(g.Upstream, g.X), null],
        ["_ones_like"] = g => [null],
        ["_zeros_like"] = g => [null],
        ["_expand_axes"] = g => [SqueezeAxes(g.Upstream, g.Attr<int[]>(0, []))],
        ["_squeeze_axes"] = g => [ExpandAxes(g.Upstream, g.Attr<int[]>(0, []))],
        ["_slice_axis"] = SliceAxisGradient,
        ["_untile"] = g => [K.Tile(g.Upstream, g.Attr<int[]>(0, [1])), null],
        ["_reshape_like"] = g => [ReshapeLike(g.Upstream, g.X), null],
        ["_scatter_rows"] = g => [K.Gather(g.Upstream, g.Y), null, null],
        ["_concat_part"] = ConcatPartGradient,
        ["_crop"] = ConvGrads.CropGradient,
        ["_uncrop"] = ConvGrads.UncropGradient,
        ["_take_scatter"] = SelectionGrads.Table["_take_scatter"],
        ["_take_along_axis_scatter"] = SelectionGrads.Table["_take_along_axis_scatter"],
        ["_scatter_gather"] = ScatterGrads.Table["_scatter_gather"],
        ["_scatter_add_back"] = ScatterGrads.Table["_scatter_add_back"],
    };

    /// <summary>A symbolic read of <paramref name="v"/>: its value when the graph runs.</summary>
    public static Tensor Read(Variable v) => GraphBuilder.Record("_read", [v], [], v.Shape, v.DType, ins => ins[0]!);

    /// <summary>A gradient made to fit input <paramref name="x"/>: summed over the axes broadcasting stretched, cast to x's dtype.</summary>
    public static Tensor Fit(Tensor g, Tensor x)
    {
        g = SumLike(g, x);
        return g.DType == x.DType ? g : K.Cast(g, x.DType);
    }

    /// <summary>Σ of <paramref name="g"/> over the leading axes x lacks and the axes where x has size 1 (numpy broadcasting undone).</summary>
    public static Tensor SumLike(Tensor g, Tensor x)
    {
        if (KnownEqual(g.Shape, x.Shape)) return g;
        if (!g.IsSymbolic && !x.IsSymbolic || g.Shape.IsFullyDefined && x.Shape.IsFullyDefined) return SumTo(g, x.Shape);
        return GraphBuilder.Record("_sum_like", [g, x], [], x.Shape, g.DType, ins => SumLike(ins[0]!, ins[1]!));
    }

    private static Tensor SumTo(Tensor g, Shape target)
    {
        int lead = g.Rank - target.Rank;
        if (lead > 0) g = K.Sum(g, Enumerable.Range(0, lead).ToArray());
        var stretched = Enumerable.Range(0, target.Rank).Where(i => target[i] == 1 && g.Shape[i] != 1).ToArray();
        if (stretched.Length > 0) g = K.Sum(g, stretched, keepdims: true);
        return g;
    }

    /// <summary><paramref name="u"/> broadcast to the shape of <paramref name="x"/> (u must be broadcastable to it).</summary>
    public static Tensor BroadcastLike(Tensor u, Tensor x)
    {
        if (KnownEqual(u.Shape, x.Shape)) return u;
        if (!u.IsSymbolic && !x.IsSymbolic || x.Shape.IsFullyDefined)
            return K.Add(u, K.Zeros(x.Shape.ToArray(), u.DType));
        return GraphBuilder.Record("_broadcast_like", [u, x], [], x.Shape, u.DType, ins => BroadcastLike(ins[0]!, ins[1]!));
    }

    /// <summary>Ones with the shape of <paramref name="x"/> (known when the graph runs).</summary>
    public static Tensor OnesLike(Tensor x, DType dtype) =>
        x.Shape.IsFullyDefined ? K.Ones(x.Shape.ToArray(), dtype)
        : GraphBuilder.Record("_ones_like", [x], [dtype], x.Shape, dtype, ins => OnesLike(ins[0]!, dtype));

    /// <summary>Zeros with the shape of <paramref name="x"/> (known when the graph runs).</summary>
    public static Tensor ZerosLike(Tensor x, DType dtype) =>
        x.Shape.IsFullyDefined ? K.Zeros(x.Shape.ToArray(), dtype)
        : GraphBuilder.Record("_zeros_like", [x], [dtype], x.Shape, dtype, ins => ZerosLike(ins[0]!, dtype));

    /// <summary>Inserts size-1 axes at the absolute, sorted positions <paramref name="axes"/> of the result.</summary>
    public static Tensor ExpandAxes(Tensor u, int[] axes)
    {
        if (axes.Length == 0) return u;
        var dims = new int[u.Rank + axes.Length];
        for (int i = 0, j = 0; i < dims.Length; i++) dims[i] = Array.IndexOf(axes, i) >= 0 ? 1 : u.Shape[j++];
        var shape = Shape.Wrap(dims);
        return u.IsSymbolic
            ? GraphBuilder.Record("_expand_axes", [u], [axes], shape, u.DType, ins => ExpandAxes(ins[0]!, axes))
            : Copy(u, shape);
    }

    /// <summary>Drops the size-1 axes at the absolute positions <paramref name="axes"/>.</summary>
    public static Tensor SqueezeAxes(Tensor u, int[] axes)
    {
        if (axes.Length == 0) return u;
        var shape = Shape.Wrap(Enumerable.Range(0, u.Rank).Where(i => Array.IndexOf(axes, i) < 0).Select(i => u.Shape[i]).ToArray());
        return u.IsSymbolic
            ? GraphBuilder.Record("_squeeze_axes", [u], [axes], shape, u.DType, ins => SqueezeAxes(ins[0]!, axes))
            : Copy(u, shape);
    }

    /// <summary><c>u[..., start:start+length, ...]</c> along <paramref name="axis"/>.</summary>
    public static Tensor SliceAxis(Tensor u, int axis, int start, int length)
    {
        var dims = u.Shape.ToArray();
        if (start == 0 && dims[axis] == length) return u;
        dims[axis] = length;
        var shape = Shape.Wrap(dims);
        if (u.IsSymbolic)
            return GraphBuilder.Record("_slice_axis", [u], [axis, start, length], shape, u.DType, ins => SliceAxis(ins[0]!, axis, start, length));
        var r = Tensor.Uninitialized(u.DType, shape);
        int item = u.DType.ItemSize(), outer = u.Shape.Prod(0, axis), inner = u.Shape.Prod(axis + 1, u.Rank) * item, n = u.Shape[axis];
        var src = u.Bytes();
        var dst = r.Bytes();
        // Each outer index holds one contiguous run of the slice.
        for (int o = 0; o < outer; o++)
            src.Slice((o * n + start) * inner, length * inner).CopyTo(dst.Slice(o * length * inner, length * inner));
        return r;
    }

    /// <summary>The part of <paramref name="u"/> (a gradient of <c>concatenate(parts, axis)</c>) that belongs to <c>parts[index]</c>.</summary>
    public static Tensor ConcatPart(Tensor u, IReadOnlyList<Tensor> parts, int axis, int index)
    {
        if (parts.All(p => p.Shape[axis] >= 0))
        {
            int start = 0;
            for (int j = 0; j < index; j++) start += parts[j].Shape[axis];
            return SliceAxis(u, axis, start, parts[index].Shape[axis]);
        }
        return GraphBuilder.Record("_concat_part", [u, .. parts], [axis, index], parts[index].Shape, u.DType,
            ins => ConcatPart(ins[0]!, ins.Skip(1).Select(t => t!).ToArray(), axis, index));
    }

    private static Tensor?[] SliceAxisGradient(GradContext g)
    {
        int axis = g.Attr(0, 0), start = g.Attr(1, 0), length = g.Attr(2, 0);
        var u = g.X;
        var pieces = new List<Tensor>();
        if (start > 0) pieces.Add(ZerosLike(SliceAxis(u, axis, 0, start), g.Upstream.DType));
        pieces.Add(g.Upstream);
        int rest = u.Shape[axis] - start - length;
        if (rest > 0) pieces.Add(ZerosLike(SliceAxis(u, axis, start + length, rest), g.Upstream.DType));
        return [pieces.Count == 1 ? g.Upstream : K.Concatenate(pieces, axis)];
    }

    private static Tensor?[] ConcatPartGradient(GradContext g)
    {
        int axis = g.Attr(0, 0), index = g.Attr(1, 0);
        var parts = g.Inputs.Skip(1).Select(t => t!).ToArray();
        var pieces = parts.Select((p, j) => j == index ? g.Upstream : ZerosLike(p, g.Upstream.DType)).ToArray();
        var r = new Tensor?[g.Inputs.Count];
        r[0] = K.Concatenate(pieces, axis);
        return r;
    }

    /// <summary><paramref name="u"/> reshaped to the shape of <paramref name="x"/> (same number of elements).</summary>
    public static Tensor ReshapeLike(Tensor u, Tensor x)
    {
        if (KnownEqual(u.Shape, x.Shape)) return u;
        var dims = x.Shape.ToArray();
        if (dims.Count(d => d < 0) <= 1) return K.Reshape(u, dims.Select(d => d < 0 ? -1 : d).ToArray());
        return GraphBuilder.Record("_reshape_like", [u, x], [], x.Shape, u.DType, ins => ReshapeLike(ins[0]!, ins[1]!));
    }

    /// <summary>The adjoint of <c>tile(x, n)</c>: the sum of u's tiles, shaped like <paramref name="x"/> (numpy pads x and n with leading 1s).</summary>
    public static Tensor Untile(Tensor u, Tensor x, int[] n)
    {
        if (!x.Shape.IsFullyDefined)
            return GraphBuilder.Record("_untile", [u, x], [n], x.Shape, u.DType, ins => Untile(ins[0]!, ins[1]!, n));
        int r = Math.Max(x.Rank, n.Length);
        var xd = Enumerable.Repeat(1, r - x.Rank).Concat(x.Shape.ToArray()).ToArray();
        var nd = Enumerable.Repeat(1, r - n.Length).Concat(n).ToArray();
        // Output index i·xd + j along each axis: split every axis into (copy, position) and sum the copies.
        var split = Enumerable.Range(0, r).SelectMany(i => new[] { nd[i], xd[i] }).ToArray();
        var summed = K.Sum(K.Reshape(u, split), Enumerable.Range(0, r).Select(i => 2 * i).ToArray());
        return K.Reshape(summed, x.Shape.ToArray());
    }

    /// <summary>1 where a &gt; b, else 0 (a and b of one shape), in <paramref name="dtype"/>: max(a - b, 0) is nonzero exactly there.</summary>
    public static Tensor Greater(Tensor a, Tensor b, DType dtype) =>
        K.Switch(K.Maximum(K.Subtract(a, b), K.ZerosLike(a)), K.OnesLike(a, dtype), K.ZerosLike(a, dtype));

    /// <summary>1 where a == b, else 0 (a and b of one shape).</summary>
    public static Tensor Equal(Tensor a, Tensor b, DType dtype) =>
        K.Switch(K.Subtract(a, b), K.ZerosLike(a, dtype), K.OnesLike(a, dtype));

    /// <summary>Zeros shaped like <paramref name="reference"/> with the rows of <paramref name="u"/> added at <paramref name="indices"/> (the adjoint of gather; negative indices wrap).</summary>
    public static Tensor ScatterRows(Tensor u, Tensor indices, Tensor reference)
    {
        if (u.IsSymbolic || indices.IsSymbolic || reference.IsSymbolic)
            return GraphBuilder.Record("_scatter_rows", [u, indices, reference], [], reference.Shape, u.DType,
                ins => ScatterRows(ins[0]!, ins[1]!, ins[2]!));
        var r = new Tensor(u.DType, reference.Shape);
        int n = reference.Shape.Rank == 0 ? 1 : reference.Shape[0], row = n == 0 ? 0 : reference.Size / n;
        // Rows repeat when indices do, so they accumulate.
        for (int i = 0; i < indices.Size; i++)
        {
            long k = indices.GetLong(i);
            if (k < 0) k += n;
            if (k < 0 || k >= n) continue;
            for (int j = 0; j < row; j++)
                r.SetDouble((int)k * row + j, r.GetDouble((int)k * row + j) + u.GetDouble(i * row + j));
        }
        return r;
    }

    /// <summary>A copy of <paramref name="t"/>'s elements under another shape with the same number of elements.</summary>
    internal static Tensor Copy(Tensor t, Shape shape)
    {
        var r = Tensor.Uninitialized(t.DType, shape);
        t.Bytes().CopyTo(r.Bytes());
        return r;
    }

    /// <summary>Equal shapes whose dimensions are all known (an unknown one may still broadcast at run time).</summary>
    private static bool KnownEqual(Shape a, Shape b) => a.IsFullyDefined && a == b;
}
