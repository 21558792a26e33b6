using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>Axis permutations: output[i_0, …, i_{r-1}] = x[j] with j[pattern[d]] = i_d.</summary>
/// <remarks>
/// Design. When the trailing axes stay in place, each kept run is one contiguous block copy. Otherwise the
/// permutation is a stack of 2-D transposes: the input's contiguous last axis becomes output axis p and the
/// output's contiguous last axis reads input axis q with stride s_q. Each plane is cut into strips of 256 output
/// rows (the tasks the cores claim, see <see cref="Workers"/>, for copies of at least 1 MiB); a strip is walked in
/// passes of 1024 columns, so the pages one pass touches (1024 source rows, 256 destination rows) stay in the
/// second-level TLB and each page is walked about once per pass rather than once per block, in 2×2 groups of 8×8 float32 / 4×4 float64 register tiles
/// transposed with AVX unpack/shuffle/permute2f128 (eight 32-byte loads and stores per tile, no scalar gathers): a group
/// reads and writes whole 64-byte lines, which matters at power-of-two strides, where all rows share an L1 set.
/// 1- and 2-byte dtypes use the same blocking with scalar tiles. Nothing is allocated per call: the plan lives on
/// the stack and in the job struct. Measured here and not kept: 16×16 AVX-512 tiles with streaming stores (no
/// faster than the 8×8 tiles on (4096, 4096), slower in most runs).
/// </remarks>
internal static unsafe class Layout
{
    /// <summary>Rows and columns of one cache block: 128×128 float32 (64 KiB read, 64 KiB written) stays in L2. With the
    /// 2×2 register tiles, 128 and 256 ran alike on (4096, 4096) and 64 slower in a scratch comparison here.</summary>
    private const int Block = 128;

    /// <summary>Rows of one task, and columns of one pass over them: 256 × 1024 float32 touch 1024 source pages and
    /// 256 destination pages, which the second-level TLB holds, so each page is walked once per pass instead of once per
    /// 64×64 block (page walks are dear in a VM).</summary>
    private const int Strip = 256, Chunk = 1024;
    private const long ParallelBytes = 1 << 20;
    private const int MaxRank = 16;

    public static void Permute(Tensor x, ReadOnlySpan<int> pattern, Tensor output)
    {
        int rank = x.Rank, size = x.DType.ItemSize();
        if (output.Size == 0) return;
        if (rank > MaxRank) { PermuteSlow(x, pattern.ToArray(), output); return; }
        Span<int> inStrides = stackalloc int[rank];
        x.Shape.Strides(inStrides);
        // Trailing axes that stay in place form one contiguous run.
        int keep = 0;
        while (keep < rank && pattern[rank - 1 - keep] == rank - 1 - keep) keep++;
        if (keep == 0 && rank >= 2)
        {
            TransposePlanes(x, pattern, output, inStrides, size);
            return;
        }
        var src = x.Bytes();
        var dst = output.Bytes();
        int run = 1;
        for (int i = rank - keep; i < rank; i++) run *= x.Shape[i];
        int outerRank = rank - keep;
        Span<int> idx = stackalloc int[Math.Max(outerRank, 1)];
        idx.Clear();
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

    /// <summary>Ranks beyond <see cref="MaxRank"/>: element by element (no tensor of such rank is fast anyway).</summary>
    private static void PermuteSlow(Tensor x, int[] pattern, Tensor output)
    {
        int rank = x.Rank, size = x.DType.ItemSize();
        var inStrides = x.Shape.Strides();
        var src = x.Bytes();
        var dst = output.Bytes();
        var idx = new int[rank];
        for (int o = 0; o < output.Size; o++)
        {
            int s = 0;
            for (int d = 0; d < rank; d++) s += idx[d] * inStrides[pattern[d]];
            src.Slice(s * size, size).CopyTo(dst.Slice(o * size, size));
            for (int d = rank - 1; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }

    [InlineArray(MaxRank)] private struct Longs16 { private long _e; }

    /// <summary>The plan of a stack of 2-D transposes: the outer output axes (sizes and both strides) and the plane geometry.</summary>
    private struct TransposeJob : IWorkItem
    {
        public byte* Src, Dst;
        public Longs16 OuterDims, OuterSrc, OuterDst;
        public int OuterRank, Rows, Cols, Size, RowBlocks;
        public long SrcLd, DstLd;

        /// <summary>Task t: plane t / RowBlocks, rows [Strip·(t % RowBlocks), +Strip).</summary>
        public readonly void Run(int t)
        {
            int o = t / RowBlocks, rb = t % RowBlocks * Strip;
            long s = 0, d = 0;
            // The plane's base offsets: o decomposed over the outer output axes, the last one fastest.
            for (int e = OuterRank - 1; e >= 0; e--)
            {
                long n = OuterDims[e], i = o % n;
                o = (int)(o / n);
                s += i * OuterSrc[e];
                d += i * OuterDst[e];
            }
            Plane(Src + s * Size, SrcLd, Dst + d * Size, DstLd, rb, Math.Min(Rows, rb + Strip), Cols, Size);
        }
    }

    /// <summary>The last input axis moves: a 2-D transpose per combination of the remaining output axes.</summary>
    private static void TransposePlanes(Tensor x, ReadOnlySpan<int> pattern, Tensor output, ReadOnlySpan<int> inStrides, int size)
    {
        int rank = x.Rank;
        Span<int> outStrides = stackalloc int[rank];
        output.Shape.Strides(outStrides);
        int p = pattern.IndexOf(rank - 1), q = pattern[rank - 1];
        var job = new TransposeJob { Rows = output.Shape[p], Cols = output.Shape[rank - 1], Size = size, SrcLd = inStrides[q], DstLd = outStrides[p] };
        int planes = 1, k = 0;
        for (int d = 0; d < rank - 1; d++)
        {
            if (d == p) continue;
            job.OuterDims[k] = output.Shape[d];
            job.OuterSrc[k] = inStrides[pattern[d]];
            job.OuterDst[k] = outStrides[d];
            planes *= output.Shape[d];
            k++;
        }
        job.OuterRank = k;
        job.RowBlocks = (job.Rows + Strip - 1) / Strip;
        long bytes = (long)output.Size * size;
        fixed (byte* src = x.Bytes())
        fixed (byte* dst = output.Bytes())
        {
            job.Src = src;
            job.Dst = dst;
            long tasks = (long)planes * job.RowBlocks;
            if (bytes >= ParallelBytes && tasks > 1 && tasks <= int.MaxValue && Workers.Threads > 1) Workers.Run(ref job, (int)tasks);
            else for (int t = 0; t < tasks; t++) job.Run(t);
        }
    }

    /// <summary>dst[r·dstLd + c] = src[c·srcLd + r] for r in [r0, r1), c in [0, cols) (strides in elements), in passes of <see cref="Chunk"/> columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane(byte* src, long srcLd, byte* dst, long dstLd, int r0, int r1, int cols, int size)
    {
        for (int c0 = 0; c0 < cols; c0 += Chunk)
        {
            int c1 = Math.Min(cols, c0 + Chunk);
            switch (size)
            {
                case 4: Blocked<uint>((uint*)src, srcLd, (uint*)dst, dstLd, r0, r1, c0, c1, Avx.IsSupported ? 8 : 0); break;
                case 8: Blocked<ulong>((ulong*)src, srcLd, (ulong*)dst, dstLd, r0, r1, c0, c1, Avx.IsSupported ? 4 : 0); break;
                case 2: Blocked<ushort>((ushort*)src, srcLd, (ushort*)dst, dstLd, r0, r1, c0, c1, 0); break;
                default: Blocked<byte>(src, srcLd, dst, dstLd, r0, r1, c0, c1, 0); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T>(T* src, long srcLd, T* dst, long dstLd, int r0, int r1, int c0, int c1, int tile) where T : unmanaged
    {
        for (int rb = r0; rb < r1; rb += Block)
        {
            int re = Math.Min(r1, rb + Block);
            for (int cb = c0; cb < c1; cb += Block)
            {
                int ce = Math.Min(c1, cb + Block);
                int r = rb;
                if (tile > 0)
                {
                    // 2×2 register tiles first (16×16 float32, 8×8 float64): each source row and destination row they
                    // touch is one whole 64-byte line, used in one go. With single tiles a line is used half at a time,
                    // and at a power-of-two stride every row of the block falls in the same L1 set, so the line is
                    // evicted before its other half is read (or written: a second read-for-ownership).
                    int m = 2 * tile;
                    for (; r + m <= re; r += m)
                    {
                        int c = cb;
                        for (; c + m <= ce; c += m)
                        {
                            TileAt(src, srcLd, dst, dstLd, r, c, tile);
                            TileAt(src, srcLd, dst, dstLd, r, c + tile, tile);
                            TileAt(src, srcLd, dst, dstLd, r + tile, c, tile);
                            TileAt(src, srcLd, dst, dstLd, r + tile, c + tile, tile);
                        }
                        for (; c + tile <= ce; c += tile)
                        {
                            TileAt(src, srcLd, dst, dstLd, r, c, tile);
                            TileAt(src, srcLd, dst, dstLd, r + tile, c, tile);
                        }
                        for (int rr = r; rr < r + m; rr++)
                            for (int cc = c; cc < ce; cc++) dst[rr * dstLd + cc] = src[cc * srcLd + rr];
                    }
                    // Then single register tiles; the ragged right and bottom strips fall through to scalars.
                    for (; r + tile <= re; r += tile)
                    {
                        int c = cb;
                        for (; c + tile <= ce; c += tile) TileAt(src, srcLd, dst, dstLd, r, c, tile);
                        for (int rr = r; rr < r + tile; rr++)
                            for (int cc = c; cc < ce; cc++) dst[rr * dstLd + cc] = src[cc * srcLd + rr];
                    }
                }
                for (; r < re; r++)
                    for (int c = cb; c < ce; c++) dst[r * dstLd + c] = src[c * srcLd + r];
            }
        }
    }

    /// <summary>The register tile whose top-left output element is (r, c): 8×8 for 4-byte elements, 4×4 for 8-byte ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TileAt<T>(T* src, long srcLd, T* dst, long dstLd, int r, int c, int tile) where T : unmanaged
    {
        if (tile == 8) Tile8x8((float*)(src + c * srcLd + r), srcLd, (float*)(dst + r * dstLd + c), dstLd);
        else Tile4x4((double*)(src + c * srcLd + r), srcLd, (double*)(dst + r * dstLd + c), dstLd);
    }

    /// <summary>8×8 32-bit transpose in registers: unpack pairs, shuffle quads, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Tile8x8(float* s, long ls, float* d, long ld)
    {
        var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls); var r3 = Avx.LoadVector256(s + 3 * ls);
        var r4 = Avx.LoadVector256(s + 4 * ls); var r5 = Avx.LoadVector256(s + 5 * ls);
        var r6 = Avx.LoadVector256(s + 6 * ls); var r7 = Avx.LoadVector256(s + 7 * ls);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ld, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ld, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ld, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ld, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ld, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ld, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ld, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>4×4 64-bit transpose in registers: unpack pairs, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x4(double* s, long ls, double* d, long ld)
    {
        var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls); var r3 = Avx.LoadVector256(s + 3 * ls);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ld, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * ld, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * ld, Avx.Permute2x128(t1, t3, 0x31));
    }
}
