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
