using KerasBackend.Backends.Cpu;

namespace KerasBackend.Conformance.Kernels;

/// <summary>The blocked permutation kernel against direct index arithmetic.</summary>
public class LayoutTests
{
    /// <summary>Fills x with distinct bit patterns (by index) and checks output[i] = x[j], j[pattern[d]] = i[d].</summary>
    private static void Check(DType dtype, int[] dims, int[] pattern)
    {
        var shape = new Shape(dims);
        using var x = Tensor.Uninitialized(dtype, shape);
        var xb = x.Bytes();
        int size = dtype.ItemSize();
        for (int i = 0; i < xb.Length; i++) xb[i] = (byte)(i * 31 + i / size * 7 + 1);
        using var output = Tensor.Uninitialized(dtype, new Shape(pattern.Select(p => dims[p]).ToArray()));
        Layout.Permute(x, pattern, output);
        var ob = output.Bytes();
        var inStrides = shape.Strides();
        var idx = new int[dims.Length];
        for (int o = 0; o < output.Size; o++)
        {
            int s = 0;
            for (int d = 0; d < dims.Length; d++) s += idx[d] * inStrides[pattern[d]];
            Assert.True(xb.Slice(s * size, size).SequenceEqual(ob.Slice(o * size, size)),
                $"{dtype} shape=({string.Join(",", dims)}) pattern=({string.Join(",", pattern)}) at output {o}");
            for (int d = dims.Length - 1; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }

    public static TheoryData<DType> DTypes => new() { DType.Float32, DType.Float64, DType.Float16, DType.Int8, DType.Int64, DType.Bool };

    [Theory, MemberData(nameof(DTypes))]
    public void Two_d_transposes_across_tile_and_block_edges(DType dtype)
    {
        foreach (int r in new[] { 0, 1, 3, 8, 9, 15, 16, 24, 63, 64, 65, 70, 129, 130, 257 })
            foreach (int c in new[] { 1, 4, 7, 8, 17, 24, 64, 66, 130 })
                Check(dtype, [r, c], [1, 0]);
    }

    [Theory, MemberData(nameof(DTypes))]
    public void Every_permutation_up_to_rank_4(DType dtype)
    {
        int[] dims = [3, 9, 5, 17];
        for (int rank = 1; rank <= 4; rank++)
            foreach (var p in Permutations(Enumerable.Range(0, rank).ToArray()))
                Check(dtype, dims[..rank], p);
    }

    [Fact]
    public void Rank_5_and_large_parallel_planes()
    {
        Check(DType.Float32, [2, 3, 4, 5, 6], [4, 2, 0, 3, 1]);
        Check(DType.Float32, [2, 3, 4, 5, 6], [0, 1, 2, 4, 3]);
        Check(DType.Float32, [520, 700], [1, 0]);
        Check(DType.Float64, [3, 300, 260], [0, 2, 1]);
        Check(DType.Int32, [90, 70, 66], [2, 0, 1]);
    }

    [Fact]
    public void Large_transposes_across_strips_and_column_passes()
    {
        // 17 MB of output: several 256-row strips and 1024-column passes per plane, ragged edges both ways.
        Check(DType.Float32, [2064, 2080], [1, 0]);
        Check(DType.Float32, [2, 1040, 2064], [0, 2, 1]);
    }

    [Fact]
    public void Streaming_transpose_at_every_destination_alignment()
    {
        // The streaming path's head columns (before the first aligned destination line) depend on where the output
        // starts: walk all 16 float offsets of a 64-byte line, with three row strips (the last ragged, 530 = 2·256 + 18),
        // a tail and two column passes.
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;
        const int rows = 530, cols = 1104;
        var src = new float[cols * rows];
        for (int i = 0; i < src.Length; i++) src[i] = i + 1;
        var buffer = new float[rows * cols + 16];
        for (int offset = 0; offset < 16; offset++)
        {
            Array.Clear(buffer);
            var dst = buffer.AsSpan(offset, rows * cols);
            Layout.StreamTranspose(src, dst, rows, cols);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    if (dst[r * cols + c] != src[c * rows + r]) Assert.Fail($"offset {offset}: output ({r}, {c})");
        }
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, j) => j != i).ToArray()))
                yield return [items[i], .. rest];
    }
}
