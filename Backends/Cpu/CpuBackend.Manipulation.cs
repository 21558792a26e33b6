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
