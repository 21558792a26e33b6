namespace KerasBackend.Backends.Numpy;

// one_hot, slice and arange: index arithmetic written out element by element.
public sealed partial class NumpyBackend
{
    /// <summary>out[..., j] = 1 where indices[...] == j (an index outside [0, num_classes) leaves its row all 0).</summary>
    public void OneHot(Tensor indices, int numClasses, Tensor output)
    {
        for (int i = 0; i < output.Size; i++) output.SetDouble(i, 0);
        for (int i = 0; i < indices.Size; i++)
        {
            long v = indices.GetLong(i);
            if (v >= 0 && v < numClasses) output.SetDouble(i * numClasses + (int)v, 1);
        }
    }

    /// <summary>out[i0, i1, ...] = x[start0 + i0, start1 + i1, ...].</summary>
    public void Slice(Tensor x, int[] start, int[] size, Tensor output)
    {
        var strides = x.Shape.Strides();
        var idx = new int[output.Rank];
        for (int o = 0; o < output.Size; o++)
        {
            int src = 0;
            for (int d = 0; d < idx.Length; d++) src += (start[d] + idx[d]) * strides[d];
            CopyElement(x, src, output, o);
            for (int d = idx.Length - 1; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>out[k] = first + k·step in double, rounded once into the output dtype (first = start, or 0 when stop is null).</summary>
    public void Arange(double start, double? stop, double step, Tensor output)
    {
        double first = stop is null ? 0 : start;
        for (int k = 0; k < output.Size; k++) output.SetDouble(k, first + k * step);
    }
}
