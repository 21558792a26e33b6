namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void Transpose(Tensor x, Tensor output) => Layout.Permute(x, Enumerable.Range(0, x.Rank).Reverse().ToArray(), output);

    /// <summary>Copies each input's (outer, len·inner) block into its slot of every output row: contiguous memcpy runs.</summary>
    public void Concatenate(IReadOnlyList<Tensor> tensors, int axis, Tensor output)
    {
        var (outer, total, inner) = Indexing.AroundAxis(output.Shape, axis);
        int size = output.DType.ItemSize();
        var dst = output.Bytes();
        int offset = 0;
        foreach (var t in tensors)
        {
            var tc = As(t, output.DType);
            int run = t.Shape[axis] * inner * size;
            var src = tc.Bytes();
            for (int o = 0; o < outer; o++)
                src.Slice(o * run, run).CopyTo(dst.Slice((o * total * inner + offset * inner) * size, run));
            offset += t.Shape[axis];
            Release(tc, t);
        }
    }
}

/// <summary>Axis permutations as byte-block copies: the innermost kept run is copied whole.</summary>
internal static class Layout
{
    public static void Permute(Tensor x, int[] pattern, Tensor output)
    {
        int rank = x.Rank, size = x.DType.ItemSize();
        var src = x.Bytes();
        var dst = output.Bytes();
        if (output.Size == 0) return;
        var inStrides = x.Shape.Strides();
        // Trailing axes that stay in place form one contiguous run.
        int keep = 0;
        while (keep < rank && pattern[rank - 1 - keep] == rank - 1 - keep) keep++;
        int run = 1;
        for (int i = rank - keep; i < rank; i++) run *= x.Shape[i];
        int outerRank = rank - keep;
        var idx = new int[outerRank];
        int count = output.Size / run;
        int bytes = run * size;
        for (int o = 0; o < count; o++)
        {
            int s = 0;
            for (int d = 0; d < outerRank; d++) s += idx[d] * inStrides[pattern[d]];
            src.Slice(s * size, bytes).CopyTo(dst.Slice(o * bytes, bytes));
            for (int d = outerRank - 1; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }
}
