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
/// the stack and in the job struct.
/// Large 4-byte outputs (<see cref="VectorLoops.Streams{T}"/>: the elementwise ops' streaming-store size; AVX-512;
/// destination rows 64-byte aligned alike) take the streaming path instead (<see cref="StreamPlane"/>): 16×16 AVX-512
/// tiles, one non-temporal 64-byte store per destination row, walked source-contiguous, and tasks of one strip × one
/// column pass. On (4096, 4096) float32 in one process against the cached 8×8 path: 5.99 ms (22.4 GB/s read + written)
/// against 9.67 ms median at load 3.8, 9.9–11.0 against 18.9–20.3 ms at load 7.8; in TransposeBench (BenchmarkDotNet,
/// load 4.0) 4.65 ms = 28.9 GB/s, ORT/cpu 4.72. Tried and dropped: the same tiles with ordinary stores (1.3–1.5× slower: the
/// destination is read for ownership and evicted again); walking destination-contiguous (16 destination rows, columns
/// inner: 1.6× slower, source lines then come from 16 new rows per tile with no stream for the prefetcher); 2 or 4
/// tiles side by side along the destination row for longer write bursts (1.4–1.6× slower: 32–64 source streams);
/// strips of 128, 512 or 1024 rows and passes of 512 or 2048 columns (within ±5 %, no consistent winner); software
/// prefetch of the next source tile or of the next 16 source rows (no gain).
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
        public bool Stream;
        public int Passes;

        /// <summary>Task t: plane t / (Passes·RowBlocks); within it column pass (t / RowBlocks) % Passes (streaming only, else
        /// one pass) and rows [Strip·(t % RowBlocks), +Strip): tasks that follow each other share source rows.</summary>
        public readonly void Run(int t)
        {
            int per = Passes * RowBlocks, o = t / per, pass = t % per / RowBlocks, rb = t % RowBlocks * Strip;
            long s = 0, d = 0;
            // The plane's base offsets: o decomposed over the outer output axes, the last one fastest.
            for (int e = OuterRank - 1; e >= 0; e--)
            {
                long n = OuterDims[e], i = o % n;
                o = (int)(o / n);
                s += i * OuterSrc[e];
                d += i * OuterDst[e];
            }
            int re = Math.Min(Rows, rb + Strip);
            if (Stream) StreamPlane((float*)(Src + s * Size), SrcLd, (float*)(Dst + d * Size), DstLd, rb, re, Cols, pass, Passes);
            else Plane(Src + s * Size, SrcLd, Dst + d * Size, DstLd, rb, re, Cols, Size);
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
        // Streaming tiles need whole 16-float destination lines: every destination row shares one alignment (dstLd a
        // multiple of 16) and a row holds at least one aligned line past its head.
        job.Stream = size == 4 && VectorLoops.Streams<uint>(output.Size) && Avx512F.IsSupported && job.DstLd % 16 == 0
            && job.Cols >= 32 && job.Rows >= 16;
        job.Passes = job.Stream ? (job.Cols + Chunk - 1) / Chunk : 1;
        fixed (byte* src = x.Bytes())
        fixed (byte* dst = output.Bytes())
        {
            job.Src = src;
            job.Dst = dst;
            long tasks = (long)planes * job.RowBlocks * job.Passes;
            if (bytes >= ParallelBytes && tasks > 1 && tasks <= int.MaxValue && Workers.Threads > 1) Workers.Run(ref job, (int)tasks);
            else for (int t = 0; t < tasks; t++) job.Run(t);
        }
    }

    /// <summary>
    /// The float32 plane of a large output (<see cref="VectorLoops.StreamingBytes"/>), rows [r0, r1): 16×16 AVX-512
    /// register tiles whose destination rows are whole aligned 64-byte lines, stored non-temporally (no read for ownership, no cache
    /// pollution). A pass of <see cref="Chunk"/> destination columns walks source-contiguous: 16 source rows at a time,
    /// each read front to back across the strip's rows (16 sequential streams for the prefetcher); the source line a tile
    /// reads and the destination line it writes are both used whole at once, so no cache blocking is needed. The ragged
    /// head and tail columns (before the first aligned line, after the last whole one) and the rows past a multiple of 16
    /// go through the cached path. Measured on (4096, 4096) in one process: about twice the cached 8×8 tiles' rate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StreamPlane(float* src, long srcLd, float* dst, long dstLd, int r0, int r1, int cols, int pass, int passes)
    {
        int head = (int)(((64 - ((nint)(dst + r0 * dstLd) & 63)) & 63) / sizeof(float));
        int ce = head + (cols - head) / 16 * 16, re = r0 + (r1 - r0) / 16 * 16;
        // Pass k: aligned columns [head + k·Chunk, +Chunk); the first pass also takes the head, the last the tail.
        int c0 = head + pass * Chunk, c1 = pass == passes - 1 ? ce : Math.Min(ce, c0 + Chunk);
        for (int c = c0; c < c1; c += 16)
        {
            float* s = src + c * srcLd, d = dst + c;
            for (int r = r0; r < re; r += 16) Tile16x16Stream(s + r, srcLd, d + r * dstLd, dstLd);
        }
        // Non-temporal stores are weakly ordered: make them visible before the part counts as done.
        Sse.StoreFence();
        uint* us = (uint*)src, ud = (uint*)dst;
        int tile = Avx.IsSupported ? 8 : 0;
        if (re < r1) Blocked(us, srcLd, ud, dstLd, re, r1, c0, c1, tile);
        if (pass == 0 && head > 0) Blocked(us, srcLd, ud, dstLd, r0, r1, 0, head, tile);
        if (pass == passes - 1 && ce < cols) Blocked(us, srcLd, ud, dstLd, r0, r1, ce, cols, tile);
    }

    /// <summary>One float32 plane through the streaming path whatever its size: dst (rows × cols) = transpose of src (cols × rows),
    /// in strips and passes as <see cref="Permute"/> cuts them. Requires AVX-512, cols a multiple of 16 and at least 32.</summary>
    internal static void StreamTranspose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        if (!Avx512F.IsSupported || cols % 16 != 0 || cols < 32 || src.Length < rows * cols || dst.Length < rows * cols)
            throw new ArgumentException("StreamTranspose: needs AVX-512, cols a multiple of 16 (>= 32) and rows·cols elements");
        int passes = (cols + Chunk - 1) / Chunk;
        fixed (float* s = src)
        fixed (float* d = dst)
            for (int r0 = 0; r0 < rows; r0 += Strip)
                for (int pass = 0; pass < passes; pass++) StreamPlane(s, rows, d, cols, r0, Math.Min(rows, r0 + Strip), cols, pass, passes);
    }

    /// <summary>16×16 32-bit transpose in AVX-512 registers (unpack pairs, shuffle quads, then two rounds of 128-bit lane
    /// shuffles); each output row is one aligned 64-byte line stored non-temporally (<paramref name="d"/> 64-byte aligned,
    /// <paramref name="ld"/> a multiple of 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile16x16Stream(float* s, long ls, float* d, long ld)
    {
        var r0 = Avx512F.LoadVector512(s); var r1 = Avx512F.LoadVector512(s + ls);
        var r2 = Avx512F.LoadVector512(s + 2 * ls); var r3 = Avx512F.LoadVector512(s + 3 * ls);
        var r4 = Avx512F.LoadVector512(s + 4 * ls); var r5 = Avx512F.LoadVector512(s + 5 * ls);
        var r6 = Avx512F.LoadVector512(s + 6 * ls); var r7 = Avx512F.LoadVector512(s + 7 * ls);
        var r8 = Avx512F.LoadVector512(s + 8 * ls); var r9 = Avx512F.LoadVector512(s + 9 * ls);
        var r10 = Avx512F.LoadVector512(s + 10 * ls); var r11 = Avx512F.LoadVector512(s + 11 * ls);
        var r12 = Avx512F.LoadVector512(s + 12 * ls); var r13 = Avx512F.LoadVector512(s + 13 * ls);
        var r14 = Avx512F.LoadVector512(s + 14 * ls); var r15 = Avx512F.LoadVector512(s + 15 * ls);
        // Pairs of rows interleaved within each 128-bit lane.
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);
        // 4×4 blocks transposed within each lane.
        r0 = Avx512F.Shuffle(t0, t2, 0x44); r1 = Avx512F.Shuffle(t0, t2, 0xEE);
        r2 = Avx512F.Shuffle(t1, t3, 0x44); r3 = Avx512F.Shuffle(t1, t3, 0xEE);
        r4 = Avx512F.Shuffle(t4, t6, 0x44); r5 = Avx512F.Shuffle(t4, t6, 0xEE);
        r6 = Avx512F.Shuffle(t5, t7, 0x44); r7 = Avx512F.Shuffle(t5, t7, 0xEE);
        r8 = Avx512F.Shuffle(t8, t10, 0x44); r9 = Avx512F.Shuffle(t8, t10, 0xEE);
        r10 = Avx512F.Shuffle(t9, t11, 0x44); r11 = Avx512F.Shuffle(t9, t11, 0xEE);
        r12 = Avx512F.Shuffle(t12, t14, 0x44); r13 = Avx512F.Shuffle(t12, t14, 0xEE);
        r14 = Avx512F.Shuffle(t13, t15, 0x44); r15 = Avx512F.Shuffle(t13, t15, 0xEE);
        // The 4×4 grid of lanes transposed in two rounds: even/odd lanes of row groups 4 apart, then 8 apart.
        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t1 = Avx512F.Shuffle4x128(r1, r5, 0x88);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD); t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
        t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD); t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        t8 = Avx512F.Shuffle4x128(r8, r12, 0x88); t9 = Avx512F.Shuffle4x128(r9, r13, 0x88);
        t10 = Avx512F.Shuffle4x128(r10, r14, 0x88); t11 = Avx512F.Shuffle4x128(r11, r15, 0x88);
        t12 = Avx512F.Shuffle4x128(r8, r12, 0xDD); t13 = Avx512F.Shuffle4x128(r9, r13, 0xDD);
        t14 = Avx512F.Shuffle4x128(r10, r14, 0xDD); t15 = Avx512F.Shuffle4x128(r11, r15, 0xDD);
        Avx512F.StoreAlignedNonTemporal(d, Avx512F.Shuffle4x128(t0, t8, 0x88));
        Avx512F.StoreAlignedNonTemporal(d + ld, Avx512F.Shuffle4x128(t1, t9, 0x88));
        Avx512F.StoreAlignedNonTemporal(d + 2 * ld, Avx512F.Shuffle4x128(t2, t10, 0x88));
        Avx512F.StoreAlignedNonTemporal(d + 3 * ld, Avx512F.Shuffle4x128(t3, t11, 0x88));
        Avx512F.StoreAlignedNonTemporal(d + 4 * ld, Avx512F.Shuffle4x128(t4, t12, 0x88));
        Avx512F.StoreAlignedNonTemporal(d + 5 * ld, Avx512F.Shuffle4x128(t5, t13, 0x88));
        Avx512F.StoreAlignedNonTemporal(d + 6 * ld, Avx512F.Shuffle4x128(t6, t14, 0x88));
        Avx512F.StoreAlignedNonTemporal(d + 7 * ld, Avx512F.Shuffle4x128(t7, t15, 0x88));
        Avx512F.StoreAlignedNonTemporal(d + 8 * ld, Avx512F.Shuffle4x128(t0, t8, 0xDD));
        Avx512F.StoreAlignedNonTemporal(d + 9 * ld, Avx512F.Shuffle4x128(t1, t9, 0xDD));
        Avx512F.StoreAlignedNonTemporal(d + 10 * ld, Avx512F.Shuffle4x128(t2, t10, 0xDD));
        Avx512F.StoreAlignedNonTemporal(d + 11 * ld, Avx512F.Shuffle4x128(t3, t11, 0xDD));
        Avx512F.StoreAlignedNonTemporal(d + 12 * ld, Avx512F.Shuffle4x128(t4, t12, 0xDD));
        Avx512F.StoreAlignedNonTemporal(d + 13 * ld, Avx512F.Shuffle4x128(t5, t13, 0xDD));
        Avx512F.StoreAlignedNonTemporal(d + 14 * ld, Avx512F.Shuffle4x128(t6, t14, 0xDD));
        Avx512F.StoreAlignedNonTemporal(d + 15 * ld, Avx512F.Shuffle4x128(t7, t15, 0xDD));
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
