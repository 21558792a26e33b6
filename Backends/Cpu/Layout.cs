using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>Axis permutations: output[i_0, …, i_{r-1}] = x[j] with j[pattern[d]] = i_d.</summary>
/// <remarks>
/// Design. When the trailing axes stay in place, each kept run is one contiguous block copy. Otherwise the
/// permutation is a stack of 2-D transposes: the input's contiguous last axis becomes output axis p and the
/// output's contiguous last axis reads input axis q with stride s_q. Each plane is walked in 64×64 blocks
/// (16 KiB of float32 read and 16 KiB written: both stay in L1, and a block touches only 64 pages of each
/// side, so the TLB holds them), and each block in register tiles: 16×16 float32 with AVX-512 (sixteen 64-byte
/// loads, four shuffle stages, sixteen 64-byte stores: every cache line on both sides is used whole, which
/// matters with power-of-two strides where all the rows of a tile share one L1 set), else 8×8 float32 / 4×4
/// float64 with AVX unpack/shuffle/permute2f128. 1- and 2-byte dtypes use the same blocking with scalar tiles.
/// When the output is far larger than the caches and its rows are 64-byte aligned, the 16×16 tiles are written
/// with streaming stores (no read of the destination line; see <see cref="NonTemporal"/>). Copies of at least
/// 1 MiB split into (plane, 64-row block) tasks that the cores claim in turn (see <see cref="Workers"/>).
/// Nothing is allocated per call: the plan lives on the stack and in the job struct.
/// </remarks>
internal static unsafe class Layout
{
    private const int Block = 64;
    private const long ParallelBytes = 1 << 20;
    private const int MaxRank = 16;

    public static void Permute(Tensor x, ReadOnlySpan<int> pattern, Tensor output)
    {
        int rank = x.Rank, size = x.DType.ItemSize();
        if (output.Size == 0) return;
        if (rank > MaxRank) { PermuteSlow(x, pattern.ToArray(), output); return; }
        Span<int> inStrides = stackalloc int[rank];
        StridesOf(x.Shape, inStrides);
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

    private static void StridesOf(Shape shape, Span<int> strides)
    {
        int acc = 1;
        for (int i = shape.Rank - 1; i >= 0; i--) { strides[i] = acc; acc *= shape[i]; }
    }

    [InlineArray(MaxRank)] private struct Longs16 { private long _e; }

    /// <summary>The plan of a stack of 2-D transposes: the outer output axes (sizes and both strides) and the plane geometry.</summary>
    private struct TransposeJob : IWorkItem
    {
        public byte* Src, Dst;
        public Longs16 OuterDims, OuterSrc, OuterDst;
        public int OuterRank, Rows, Cols, Size, RowBlocks;
        public long SrcLd, DstLd;
        public bool Stream;

        /// <summary>Task t: plane t / RowBlocks, rows [64·(t % RowBlocks), +64).</summary>
        public readonly void Run(int t)
        {
            int o = t / RowBlocks, rb = t % RowBlocks * Block;
            long s = 0, d = 0;
            // The plane's base offsets: o decomposed over the outer output axes, the last one fastest.
            for (int e = OuterRank - 1; e >= 0; e--)
            {
                long n = OuterDims[e], i = o % n;
                o = (int)(o / n);
                s += i * OuterSrc[e];
                d += i * OuterDst[e];
            }
            Plane(Src + s * Size, SrcLd, Dst + d * Size, DstLd, rb, Math.Min(Rows, rb + Block), Cols, Size, Stream);
        }
    }

    /// <summary>The last input axis moves: a 2-D transpose per combination of the remaining output axes.</summary>
    private static void TransposePlanes(Tensor x, ReadOnlySpan<int> pattern, Tensor output, ReadOnlySpan<int> inStrides, int size)
    {
        int rank = x.Rank;
        Span<int> outStrides = stackalloc int[rank];
        StridesOf(output.Shape, outStrides);
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
        job.RowBlocks = (job.Rows + Block - 1) / Block;
        long bytes = (long)output.Size * size;
        // Streaming stores need whole, aligned destination lines: rows a multiple of 64 bytes apart.
        job.Stream = size == 4 && Avx512F.IsSupported && bytes >= NonTemporal.MinBytes && job.DstLd * size % 64 == 0;
        fixed (byte* src = x.Bytes())
        fixed (byte* dst = output.Bytes())
        {
            job.Src = src;
            job.Dst = dst;
            long tasks = (long)planes * job.RowBlocks;
            if (bytes >= ParallelBytes && tasks > 1 && tasks <= int.MaxValue && Workers.Threads > 1) Workers.Run(ref job, (int)tasks);
            else for (int t = 0; t < tasks; t++) job.Run(t);
            if (job.Stream) NonTemporal.Fence();
        }
    }

    /// <summary>dst[r·dstLd + c] = src[c·srcLd + r] for r in [r0, r1), c in [0, cols) (strides in elements).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane(byte* src, long srcLd, byte* dst, long dstLd, int r0, int r1, int cols, int size, bool stream)
    {
        switch (size)
        {
            case 4:
                if (Avx512F.IsSupported)
                {
                    // Start the tiles at the first column whose destination address is 64-byte aligned (the same for every row).
                    int mis = (int)((nint)dst & 63);
                    int head = mis % 4 == 0 ? Math.Min(cols, (64 - mis & 63) / 4) : 0;
                    Blocked16((uint*)src, srcLd, (uint*)dst, dstLd, r0, r1, cols, head, stream && mis % 4 == 0);
                }
                else Blocked<uint>((uint*)src, srcLd, (uint*)dst, dstLd, r0, r1, cols, Avx.IsSupported ? 8 : 0);
                break;
            case 8: Blocked<ulong>((ulong*)src, srcLd, (ulong*)dst, dstLd, r0, r1, cols, Avx.IsSupported ? 4 : 0); break;
            case 2: Blocked<ushort>((ushort*)src, srcLd, (ushort*)dst, dstLd, r0, r1, cols, 0); break;
            default: Blocked<byte>(src, srcLd, dst, dstLd, r0, r1, cols, 0); break;
        }
    }

    /// <summary>32-bit elements with 16×16 AVX-512 tiles; columns [0, head) and the ragged edges element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked16(uint* src, long srcLd, uint* dst, long dstLd, int r0, int r1, int cols, int head, bool stream)
    {
        for (int r = r0; r < r1; r++)
            for (int c = 0; c < head; c++) dst[r * dstLd + c] = src[c * srcLd + r];
        for (int rb = r0; rb < r1; rb += Block)
        {
            int re = Math.Min(r1, rb + Block);
            for (int cb = head; cb < cols; cb += Block)
            {
                int ce = Math.Min(cols, cb + Block);
                int r = rb;
                for (; r + 16 <= re; r += 16)
                {
                    int c = cb;
                    for (; c + 16 <= ce; c += 16)
                        Tile16x16((float*)(src + c * srcLd + r), srcLd, (float*)(dst + r * dstLd + c), dstLd, stream);
                    for (int rr = r; rr < r + 16; rr++)
                        for (int cc = c; cc < ce; cc++) dst[rr * dstLd + cc] = src[cc * srcLd + rr];
                }
                for (; r < re; r++)
                    for (int c = cb; c < ce; c++) dst[r * dstLd + c] = src[c * srcLd + r];
            }
        }
    }

    /// <summary>16×16 32-bit transpose in registers: unpack pairs, unpack quads, then two rounds of 128-bit lane shuffles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile16x16(float* s, long ls, float* d, long ld, bool stream)
    {
        var r0 = Vector512.Load(s); var r1 = Vector512.Load(s + ls);
        var r2 = Vector512.Load(s + 2 * ls); var r3 = Vector512.Load(s + 3 * ls);
        var r4 = Vector512.Load(s + 4 * ls); var r5 = Vector512.Load(s + 5 * ls);
        var r6 = Vector512.Load(s + 6 * ls); var r7 = Vector512.Load(s + 7 * ls);
        var r8 = Vector512.Load(s + 8 * ls); var r9 = Vector512.Load(s + 9 * ls);
        var r10 = Vector512.Load(s + 10 * ls); var r11 = Vector512.Load(s + 11 * ls);
        var r12 = Vector512.Load(s + 12 * ls); var r13 = Vector512.Load(s + 13 * ls);
        var r14 = Vector512.Load(s + 14 * ls); var r15 = Vector512.Load(s + 15 * ls);
        // Pairs: t(2i) / t(2i+1) interleave rows 2i and 2i+1 within each 128-bit lane.
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);
        // Quads: lane k of u(4j + m) holds column 4k + m of rows 4j..4j+3.
        var u0 = Q(t0, t2, true); var u1 = Q(t0, t2, false); var u2 = Q(t1, t3, true); var u3 = Q(t1, t3, false);
        var u4 = Q(t4, t6, true); var u5 = Q(t4, t6, false); var u6 = Q(t5, t7, true); var u7 = Q(t5, t7, false);
        var u8 = Q(t8, t10, true); var u9 = Q(t8, t10, false); var u10 = Q(t9, t11, true); var u11 = Q(t9, t11, false);
        var u12 = Q(t12, t14, true); var u13 = Q(t12, t14, false); var u14 = Q(t13, t15, true); var u15 = Q(t13, t15, false);
        // Lanes: v gathers lanes (0, 2) or (1, 3) of two rows-of-4 groups; the second round completes each column.
        var v0 = Avx512F.Shuffle4x128(u0, u4, 0x88); var v1 = Avx512F.Shuffle4x128(u0, u4, 0xDD);
        var v2 = Avx512F.Shuffle4x128(u1, u5, 0x88); var v3 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        var v4 = Avx512F.Shuffle4x128(u2, u6, 0x88); var v5 = Avx512F.Shuffle4x128(u2, u6, 0xDD);
        var v6 = Avx512F.Shuffle4x128(u3, u7, 0x88); var v7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        var v8 = Avx512F.Shuffle4x128(u8, u12, 0x88); var v9 = Avx512F.Shuffle4x128(u8, u12, 0xDD);
        var v10 = Avx512F.Shuffle4x128(u9, u13, 0x88); var v11 = Avx512F.Shuffle4x128(u9, u13, 0xDD);
        var v12 = Avx512F.Shuffle4x128(u10, u14, 0x88); var v13 = Avx512F.Shuffle4x128(u10, u14, 0xDD);
        var v14 = Avx512F.Shuffle4x128(u11, u15, 0x88); var v15 = Avx512F.Shuffle4x128(u11, u15, 0xDD);
        St(Avx512F.Shuffle4x128(v0, v8, 0x88), d, stream);
        St(Avx512F.Shuffle4x128(v2, v10, 0x88), d + ld, stream);
        St(Avx512F.Shuffle4x128(v4, v12, 0x88), d + 2 * ld, stream);
        St(Avx512F.Shuffle4x128(v6, v14, 0x88), d + 3 * ld, stream);
        St(Avx512F.Shuffle4x128(v1, v9, 0x88), d + 4 * ld, stream);
        St(Avx512F.Shuffle4x128(v3, v11, 0x88), d + 5 * ld, stream);
        St(Avx512F.Shuffle4x128(v5, v13, 0x88), d + 6 * ld, stream);
        St(Avx512F.Shuffle4x128(v7, v15, 0x88), d + 7 * ld, stream);
        St(Avx512F.Shuffle4x128(v0, v8, 0xDD), d + 8 * ld, stream);
        St(Avx512F.Shuffle4x128(v2, v10, 0xDD), d + 9 * ld, stream);
        St(Avx512F.Shuffle4x128(v4, v12, 0xDD), d + 10 * ld, stream);
        St(Avx512F.Shuffle4x128(v6, v14, 0xDD), d + 11 * ld, stream);
        St(Avx512F.Shuffle4x128(v1, v9, 0xDD), d + 12 * ld, stream);
        St(Avx512F.Shuffle4x128(v3, v11, 0xDD), d + 13 * ld, stream);
        St(Avx512F.Shuffle4x128(v5, v13, 0xDD), d + 14 * ld, stream);
        St(Avx512F.Shuffle4x128(v7, v15, 0xDD), d + 15 * ld, stream);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Q(Vector512<float> a, Vector512<float> b, bool low) =>
        low ? Avx512F.UnpackLow(a.AsDouble(), b.AsDouble()).AsSingle() : Avx512F.UnpackHigh(a.AsDouble(), b.AsDouble()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void St(Vector512<float> v, float* d, bool stream)
    {
        if (stream) Vector512.StoreAlignedNonTemporal(v, d);
        else v.Store(d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T>(T* src, long srcLd, T* dst, long dstLd, int r0, int r1, int cols, int tile) where T : unmanaged
    {
        for (int rb = r0; rb < r1; rb += Block)
        {
            int re = Math.Min(r1, rb + Block);
            for (int cb = 0; cb < cols; cb += Block)
            {
                int ce = Math.Min(cols, cb + Block);
                int r = rb;
                if (tile > 0)
                {
                    // Full register tiles first; the ragged right and bottom strips fall through to scalars.
                    for (; r + tile <= re; r += tile)
                    {
                        int c = cb;
                        for (; c + tile <= ce; c += tile)
                        {
                            if (tile == 8) Tile8x8((float*)(src + c * srcLd + r), srcLd, (float*)(dst + r * dstLd + c), dstLd);
                            else Tile4x4((double*)(src + c * srcLd + r), srcLd, (double*)(dst + r * dstLd + c), dstLd);
                        }
                        for (int rr = r; rr < r + tile; rr++)
                            for (int cc = c; cc < ce; cc++) dst[rr * dstLd + cc] = src[cc * srcLd + rr];
                    }
                }
                for (; r < re; r++)
                    for (int c = cb; c < ce; c++) dst[r * dstLd + c] = src[c * srcLd + r];
            }
        }
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
