namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>Copies element by element, the output element at index (i0..in) taking x's element at the permuted index.</summary>
    private static void Permute(Tensor x, int[] pattern, Tensor output)
    {
        var inStrides = x.Shape.Strides();
        var idx = new int[output.Rank];
        for (int o = 0; o < output.Size; o++)
        {
            int src = 0;
            for (int d = 0; d < idx.Length; d++) src += idx[d] * inStrides[pattern[d]];
            CopyElement(x, src, output, o);
            for (int d = idx.Length - 1; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }

    private static void CopyElement(Tensor from, int i, Tensor to, int j)
    {
        if (to.DType.IsFloat()) to.SetDouble(j, from.GetDouble(i));
        else to.SetLong(j, from.GetLong(i));
    }

    public void Transpose(Tensor x, Tensor output) => Permute(x, Enumerable.Range(0, x.Rank).Reverse().ToArray(), output);

    public void Concatenate(IReadOnlyList<Tensor> tensors, int axis, Tensor output)
    {
        var (outer, total, inner) = Indexing.AroundAxis(output.Shape, axis);
        int offset = 0;
        foreach (var t in tensors)
        {
            int len = t.Shape[axis];
            for (int o = 0; o < outer; o++)
                for (int a = 0; a < len; a++)
                    for (int i = 0; i < inner; i++)
                        CopyElement(t, (o * len + a) * inner + i, output, (o * total + offset + a) * inner + i);
            offset += len;
        }
    }
}

public sealed partial class NumpyBackend
{
    /// <summary>numpy.reshape: the same row-major sequence of elements.</summary>
    public void Reshape(Tensor x, Tensor output) { for (int i = 0; i < output.Size; i++) CopyElement(x, i, output, i); }

    public void ExpandDims(Tensor x, int axis, Tensor output) { for (int i = 0; i < output.Size; i++) CopyElement(x, i, output, i); }

    public void Squeeze(Tensor x, int axis, Tensor output) { for (int i = 0; i < output.Size; i++) CopyElement(x, i, output, i); }

    /// <summary>numpy.transpose(x, pattern).</summary>
    public void PermuteDimensions(Tensor x, int[] pattern, Tensor output) => Permute(x, pattern, output);

    /// <summary>numpy.stack(x, axis): out[..., j, ...] = x[j][...].</summary>
    public void Stack(IReadOnlyList<Tensor> x, int axis, Tensor output)
    {
        int rank = x[0].Rank;
        int at = axis < 0 ? axis + rank + 1 : axis;
        int outer = x[0].Shape.Prod(0, at), inner = x[0].Shape.Prod(at, rank);
        for (int j = 0; j < x.Count; j++)
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    CopyElement(x[j], o * inner + i, output, (o * x.Count + j) * inner + i);
    }

    /// <summary>reference[indices] (numpy take along axis 0, negative indices wrap).</summary>
    public void Gather(Tensor reference, Tensor indices, Tensor output)
    {
        int n = reference.Shape[0];
        int row = reference.Shape.Prod(1, reference.Rank);
        for (int i = 0; i < indices.Size; i++)
        {
            long k = GatherIndex.Resolve(indices.GetLong(i), n, i);
            for (int j = 0; j < row; j++) CopyElement(reference, (int)k * row + j, output, i * row + j);
        }
    }

    /// <summary>numpy.flip(x, axes): out[i] = x[i with i_a → shape_a - 1 - i_a for each axis a in axes].</summary>
    public void Reverse(Tensor x, int[] axes, Tensor output)
    {
        var strides = x.Shape.Strides();
        var idx = new int[x.Rank];
        for (int o = 0; o < output.Size; o++)
        {
            int src = 0;
            for (int d = 0; d < x.Rank; d++) src += (Array.IndexOf(axes, d) >= 0 ? x.Shape[d] - 1 - idx[d] : idx[d]) * strides[d];
            CopyElement(x, src, output, o);
            for (int d = x.Rank - 1; d >= 0; d--) { if (++idx[d] < x.Shape[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>numpy.tile(x, n): out[i] = x[i mod x.shape], x padded with leading 1s to the output's rank.</summary>
    public void Tile(Tensor x, int[] n, Tensor output)
    {
        int r = output.Rank;
        var xd = new int[r];
        for (int d = 0; d < r; d++) xd[d] = d < r - x.Rank ? 1 : x.Shape[d - (r - x.Rank)];
        var strides = Shape.Wrap(xd).Strides();
        var idx = new int[r];
        for (int o = 0; o < output.Size; o++)
        {
            int src = 0;
            for (int d = 0; d < r; d++) src += idx[d] % xd[d] * strides[d];
            CopyElement(x, src, output, o);
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>numpy.where(condition padded with trailing 1s, then, else) with broadcasting; nonzero is true.</summary>
    public void Switch(Tensor condition, Tensor thenExpression, Tensor elseExpression, Tensor output)
    {
        var cm = Indexing.BroadcastMap(ShapeRules.PadRight(condition.Shape, output.Rank), output.Shape);
        var tm = Indexing.BroadcastMap(thenExpression.Shape, output.Shape);
        var em = Indexing.BroadcastMap(elseExpression.Shape, output.Shape);
        for (int i = 0; i < output.Size; i++)
        {
            bool c = condition.GetDouble(cm[i]) != 0;
            CopyElement(c ? thenExpression : elseExpression, c ? tm[i] : em[i], output, i);
        }
    }
}
