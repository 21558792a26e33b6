namespace KerasBackend.Backends.Cpu;

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
