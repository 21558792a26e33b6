namespace KerasBackend.Backends.Cpu;

// one_hot, slice and arange.
public sealed partial class CpuBackend
{
    /// <summary>one_hot: clear the float32 output, then one store per index that is in range.</summary>
    public void OneHot(Tensor indices, int numClasses, Tensor output)
    {
        var o = output.Span<float>();
        o.Clear();
        for (int i = 0; i < indices.Size; i++)
        {
            long v = indices.GetLong(i);
            if (v >= 0 && v < numClasses) o[i * numClasses + (int)v] = 1f;
        }
    }

    /// <summary>slice: one block copy per contiguous run (the trailing axes the slice takes whole are merged into the run).</summary>
    public void Slice(Tensor x, int[] start, int[] size, Tensor output)
    {
        if (output.Size == 0) return;
        int rank = x.Rank, item = x.DType.ItemSize();
        if (rank == 0) { x.Bytes().CopyTo(output.Bytes()); return; }
        var strides = x.Shape.Strides();
        // Trailing axes taken whole (start 0, full length) extend the run of the last partial axis.
        int k = rank - 1;
        while (k > 0 && start[k] == 0 && output.Shape[k] == x.Shape[k]) k--;
        int run = output.Shape[k] * strides[k];
        int runs = output.Size / run;
        var src = x.Bytes();
        var dst = output.Bytes();
        var idx = new int[k];
        for (int r = 0; r < runs; r++)
        {
            int at = start[k] * strides[k];
            for (int d = 0; d < k; d++) at += (start[d] + idx[d]) * strides[d];
            src.Slice(at * item, run * item).CopyTo(dst.Slice(r * run * item, run * item));
            for (int d = k - 1; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>arange: out[k] = first + k·step in double, rounded once into the output dtype (a short 1-D fill; no vector loop needed).</summary>
    public void Arange(double start, double? stop, double step, Tensor output)
    {
        double first = stop is null ? 0 : start;
        for (int k = 0; k < output.Size; k++) output.SetDouble(k, first + k * step);
    }
}
