using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>Matrix products. C[b] = A[b] · B[b] for row-major operands with row strides lda, ldb, ldc.</summary>
/// <remarks>
/// Design (Goto/BLIS loop order). B is packed into panels of NR columns × KC rows (zero-padded), so a
/// micro-kernel streams one contiguous KC×NR panel (KC=512, NR=32 floats: 64 KiB); A is packed in blocks of MC rows
/// × KC (float 256×512, float64 128×512: 512 KiB, within L2) as MR-row slivers. Panel and slivers stream from L2
/// (the kernel needs about 10 bytes a cycle); KC=512 rather than 256 (a panel within L1) halves the C tile reloads
/// and measured 1.05–1.10× less thread cpu time for float 512³ and 1024³, 1.04–1.10× for float64 512³ (even at 1024³). The micro-kernel keeps an MR×NR tile
/// of C in registers: Vector512 8×32 for float and 8×16 for double (16 zmm accumulators, enough independent FMA
/// chains for two FMA pipes of latency 4), Vector256 6×16 / 6×8 when 512-bit vectors are not accelerated (12 of
/// 16 ymm). Partial edge tiles go through a stack tile. A small B (≤ 64 Ki elements) under a single row block is
/// read in place instead of packed. Threads, by size (a fork costs about a µs even with the backend's workers):
/// below <see cref="ParallelFlops"/> one thread; many small products one whole product per task; a medium
/// product (≤ <see cref="LargeFlops"/>) one task per core, each packing its own operands (split by column panels,
/// or by rows when narrow), so a call forks once; a large product packs B once (row chunks in parallel) and
/// schedules row blocks of about M/(4·threads) rows dynamically; all through the backend's fork-join
/// <see cref="Workers"/>. Integer and float16 operands use the plain loop.
/// Outside the micro-kernel (which runs at 90–93% of the FMA peak on L1/L2-resident panels) a product spends its
/// time packing and reloading C: B is packed row by row (sequential reads), full float64 A slivers with an AVX-512
/// 8×8 transpose, and the C tile a KC slab accumulates into is prefetched one tile ahead. Together, against the
/// previous panel-by-panel packing, one thread's cpu time for 512³ / 1024³ fell by 1.11× / 1.07× (float) and
/// 1.17× / 1.09× (float64), in one process on the shared 2-core machine (load 13).
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Gemm
{
    private const int KC = 512;

    /// <summary>Below about 2 MFLOP the cost of waking a second thread exceeds the work it would take.</summary>
    private const long ParallelFlops = 2_000_000;

    /// <summary>out[i, b, j] = Σ_t x[i, t] · y[b, t, j]: batch b of y writes a strided C (row stride batches·n).</summary>
    public static void DotBatched<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> output, int m, int k, int n, int batches,
        VectorWidth width = VectorWidth.Auto) where T : unmanaged, INumber<T>
        => Run(x, y, output, m, k, n, batches, 0, k, (long)k * n, n, n, batches * n, width);

    /// <summary>c = a · b for contiguous row-major a (m, k), b (k, n), c (m, n).</summary>
    public static void MatMul<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n,
        VectorWidth width = VectorWidth.Auto) where T : unmanaged, INumber<T>
        => Run(a, b, c, m, k, n, 1, 0, k, 0, n, 0, n, width);

    /// <summary>c[i] = a[i] · b[i] for contiguous row-major a (batches, m, k), b (batches, k, n), c (batches, m, n).</summary>
    public static void MatMulBatched<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, int batches,
        VectorWidth width = VectorWidth.Auto) where T : unmanaged, INumber<T>
        => Run(a, b, c, m, k, n, batches, (long)m * k, k, (long)k * n, n, (long)m * n, n, width);

    /// <summary>c[i] = a · b[i] (shareA) or a[i] · b (otherwise) for contiguous row-major operands: the shared one is read with stride 0.</summary>
    public static void MatMulShared<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, int batches, bool shareA,
        VectorWidth width = VectorWidth.Auto) where T : unmanaged, INumber<T>
        => Run(a, b, c, m, k, n, batches, shareA ? 0 : (long)m * k, k, shareA ? (long)k * n : 0, n, (long)m * n, n, width);

    /// <summary>
    /// c = a · b for row-major operands in place, with row strides lda, ldb, ldc (blocks of larger tensors: attention's
    /// head slices). A product below <see cref="ParallelFlops"/> runs on the calling thread.
    /// </summary>
    internal static void MatMulStrided<T>(T* a, int lda, T* b, int ldb, T* c, int ldc, int m, int k, int n) where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        long needA = (long)(m - 1) * lda + k, needB = k == 0 ? 0 : (long)(k - 1) * ldb + n, needC = (long)(m - 1) * ldc + n;
        Run(new ReadOnlySpan<T>(a, (int)needA), new ReadOnlySpan<T>(b, (int)needB), new Span<T>(c, (int)needC), m, k, n, 1, 0, lda, 0, ldb, 0, ldc, VectorWidth.Auto);
    }

    private static void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, int batches,
        long strideA, int lda, long strideB, int ldb, long strideC, int ldc, VectorWidth width) where T : unmanaged, INumber<T>
    {
        if (m < 0 || k < 0 || n < 0 || batches < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: negative extent m={m}, k={k}, n={n}, batches={batches}.");
        if (m == 0 || n == 0 || batches == 0) return;
        long needA = (batches - 1) * strideA + (long)(m - 1) * lda + k;
        long needB = (batches - 1) * strideB + (long)(k - 1) * ldb + n;
        long needC = (batches - 1) * strideC + (long)(m - 1) * ldc + n;
        if (a.Length < needA || (k > 0 && b.Length < needB) || c.Length < needC)
            throw new ArgumentException($"Gemm: buffers too small for m={m}, k={k}, n={n}, batches={batches} (a {a.Length}, b {b.Length}, c {c.Length}).");
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            if (k == 0)
            {
                // An empty sum is zero.
                for (int bt = 0; bt < batches; bt++)
                    for (int i = 0; i < m; i++)
                        new Span<T>(pc + bt * strideC + (long)i * ldc, n).Clear();
                return;
            }
            var job = new Job<T>((nint)pa, strideA, lda, (nint)pb, strideB, ldb, (nint)pc, strideC, ldc, m, k, n, batches);
            // Vector512 micro-kernels unless the caller limits the width (tests force the Vector256 ones with it).
            bool wide = width >= VectorWidth.Vector512;
            if (typeof(T) == typeof(float) && wide && Float512.Supported) Drive<float, Float512>(Unsafe.As<Job<T>, Job<float>>(ref job), 256);
            else if (typeof(T) == typeof(float) && Float256.Supported) Drive<float, Float256>(Unsafe.As<Job<T>, Job<float>>(ref job), 240);
            else if (typeof(T) == typeof(double) && wide && Double512.Supported) Drive<double, Double512>(Unsafe.As<Job<T>, Job<double>>(ref job), 128);
            else if (typeof(T) == typeof(double) && Double256.Supported) Drive<double, Double256>(Unsafe.As<Job<T>, Job<double>>(ref job), 120);
            else Plain(job);
        }
    }

    /// <summary>Operand pointers and strides of one (batched) product.</summary>
    private readonly record struct Job<T>(nint A, long StrideA, int Lda, nint B, long StrideB, int Ldb, nint C, long StrideC, int Ldc,
        int M, int K, int N, int Batches) where T : unmanaged;

    private interface IMicroKernel<T> where T : unmanaged
    {
        static abstract int MR { get; }
        static abstract int NR { get; }
        static abstract bool Supported { get; }

        /// <summary>C tile (MR×NR, row stride ldc) = (accumulate ? C : 0) + Apacked(kc×MR) · B(kc×NR, row stride ldbp: NR when packed).</summary>
        static abstract void Run(int kc, T* a, T* b, int ldbp, T* c, int ldc, bool accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Drive<T, TK>(Job<T> job, int mcMax) where T : unmanaged, INumber<T> where TK : struct, IMicroKernel<T>
    {
        long flops = 2L * job.M * job.K * job.N;
        int threads = flops * job.Batches >= ParallelFlops ? Workers.Threads : 1;
        var parts = new Parts<T, TK> { Job = job, McMax = mcMax, Panels = (job.N + TK.NR - 1) / TK.NR };
        if (threads > 1 && job.Batches >= threads && flops < LargeFlops)
        {
            // Many small products: one whole product per part (claimed dynamically), so no two share a C tile.
            parts.Split = Split.Batches;
            Workers.Run(ref parts, job.Batches);
            return;
        }
        for (int bt = 0; bt < job.Batches; bt++)
        {
            parts.Bt = bt;
            if (threads == 1 || flops < ParallelFlops)
                Part<T, TK>(job, bt, mcMax, 0, job.M, 0, parts.Panels, null);
            else if (flops < LargeFlops)
            {
                // Medium: one part per thread, each packing its own operands, so the call forks once. Narrow products
                // split by rows; wide ones by whichever split packs fewer elements per part (see MediumSplit).
                parts.Count = threads;
                parts.Rows = RoundUp((job.M + threads - 1) / threads, TK.MR);
                parts.Split = MediumSplit(job, threads, parts.Panels, parts.Rows, mcMax);
                Workers.Run(ref parts, threads);
            }
            else
                Large(ref parts, threads);
        }
    }

    /// <summary>
    /// How a medium product is split over <paramref name="threads"/> parts. By column panels each part packs all of A
    /// and its share of B; by rows, its share of A and all of B; B is read in place instead (no packing) when it is
    /// small and a part's rows fit one MC block. The split that packs fewer elements per part wins (columns on a tie):
    /// 256³ goes by rows with B in place, against columns that packed all of A in every part, 1.03–1.08× faster
    /// (float and float64, two threads, in one process).
    /// </summary>
    private static Split MediumSplit<T>(Job<T> job, int threads, int panels, int rowsPerPart, int mcMax) where T : unmanaged
    {
        if (panels < 2 * threads) return Split.Rows;
        long m = job.M, k = job.K, n = job.N;
        bool smallB = k * n <= DirectB;
        long byColumns = m * k + (smallB && m <= mcMax ? 0 : k * n / threads);
        long byRows = (long)rowsPerPart * k + (smallB && rowsPerPart <= mcMax ? 0 : k * n);
        return byRows < byColumns ? Split.Rows : Split.Columns;
    }

    /// <summary>Above this many FLOP a product is split into many row-block parts over a B packed once and shared.</summary>
    private const long LargeFlops = 64 * ParallelFlops;

    /// <summary>
    /// A large product: B is packed once (panels in parallel), then MC-row blocks are claimed dynamically, which
    /// keeps both cores busy even when one of them is shared with other work.
    /// </summary>
    private static void Large<T, TK>(ref Parts<T, TK> parts, int threads) where T : unmanaged, INumber<T> where TK : struct, IMicroKernel<T>
    {
        var bBuf = ArrayPool<T>.Shared.Rent(parts.Job.K * parts.Panels * TK.NR);
        try
        {
            fixed (T* bp = bBuf)
            {
                parts.PackedB = (nint)bp;
                parts.Split = Split.PackRows;
                parts.Rows = PackRowsPerPart;
                Workers.Run(ref parts, (parts.Job.K + PackRowsPerPart - 1) / PackRowsPerPart);
                parts.Split = Split.RowBlocks;
                // About four row blocks per thread (at least 4·MR rows, at most MC), so a thread slowed by other work
                // on its core can take fewer of them. Each block packs only its own rows of A, so the finer split costs
                // one more pass over the packed B (from L2/L3) per block. Measured against one block per thread (same
                // process, 512³ and 1024³, float and float64): even within noise (0.95–1.07×) on a quiet machine and
                // with one competing spinning process; kept for the uneven case.
                int perPart = RoundUp((parts.Job.M + 4 * threads - 1) / (4 * threads), TK.MR);
                parts.Rows = Math.Min(parts.McMax, Math.Max(4 * TK.MR, perPart));
                Workers.Run(ref parts, (parts.Job.M + parts.Rows - 1) / parts.Rows);
            }
        }
        finally { ArrayPool<T>.Shared.Return(bBuf); }
    }

    private enum Split { Batches, Columns, Rows, PackRows, RowBlocks }

    /// <summary>Rows of B each part packs when a large product packs B once in parallel.</summary>
    private const int PackRowsPerPart = 64;

    /// <summary>The parts of one threaded product (or batch of products), run by <see cref="Workers"/>.</summary>
    private struct Parts<T, TK> : IWorkItem where T : unmanaged, INumber<T> where TK : struct, IMicroKernel<T>
    {
        public Job<T> Job;
        public Split Split;
        public int Bt, McMax, Panels, Count, Rows;
        /// <summary>The whole packed B of a large product: slab pc at pc·nPad, its panel jp at jp·NR·kc within the slab.</summary>
        public nint PackedB;

        public readonly void Run(int p)
        {
            var job = Job;
            switch (Split)
            {
                case Split.Batches:
                    Part<T, TK>(job, p, McMax, 0, job.M, 0, Panels, null);
                    break;
                case Split.Columns:
                    Part<T, TK>(job, Bt, McMax, 0, job.M, Panels * p / Count, Panels * (p + 1) / Count, null);
                    break;
                case Split.Rows:
                case Split.RowBlocks:
                    if (p * Rows < job.M)
                        Part<T, TK>(job, Bt, McMax, p * Rows, Math.Min(job.M, (p + 1) * Rows), 0, Panels, Split == Split.RowBlocks ? (T*)PackedB : null);
                    break;
                default:
                {
                    // Rows [p·Rows, (p+1)·Rows) of B, each read once from start to end (sequential reads the
                    // prefetchers follow) and scattered into every panel of its KC slab.
                    int nPad = Panels * TK.NR;
                    T* b = (T*)job.B + Bt * job.StrideB;
                    for (int t = p * Rows, t1 = Math.Min(job.K, (p + 1) * Rows); t < t1; t++)
                    {
                        int pc = t / KC * KC;
                        PackBRow((T*)PackedB + (long)pc * nPad, b + (long)t * job.Ldb, t - pc, Math.Min(KC, job.K - pc), 0, Panels, job.N, TK.NR);
                    }
                    break;
                }
            }
        }
    }

    /// <summary>Largest B (elements) read unpacked by the micro-kernel.</summary>
    private const long DirectB = 1 << 16;

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>
    /// Rows [i0, i1) × column panels [jp0, jp1) of product <paramref name="bt"/>, on the calling thread: per KC slab
    /// of k the slab's panels of B (kc × NR each, what a micro-kernel streams from L1) are packed — unless
    /// <paramref name="sharedB"/> holds the whole packed B — then per MC block of rows A is packed (kc × MC, held
    /// in L2) and every panel × sliver pair runs the micro-kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Part<T, TK>(Job<T> job, int bt, int mcMax, int i0, int i1, int jp0, int jp1, T* sharedB)
        where T : unmanaged, INumber<T> where TK : struct, IMicroKernel<T>
    {
        int mr = TK.MR, nr = TK.NR, k = job.K, n = job.N, lda = job.Lda, ldb = job.Ldb, ldc = job.Ldc;
        T* a = (T*)job.A + bt * job.StrideA;
        T* b = (T*)job.B + bt * job.StrideB;
        T* c = (T*)job.C + bt * job.StrideC;
        int mc = Math.Min(mcMax, RoundUp(i1 - i0, mr));
        // A small B (at most DirectB elements, so it stays in L2) whose rows all A slivers share is read in place:
        // packing it would cost about as much as the product. Only full NR-wide panels; a ragged last one is packed.
        bool direct = sharedB is null && (long)k * n <= DirectB && i1 - i0 <= mc;
        long nPad = (long)((n + nr - 1) / nr) * nr;
        var bBuf = sharedB is null ? ArrayPool<T>.Shared.Rent(Math.Min(KC, k) * (jp1 - jp0) * nr) : null;
        var aBuf = ArrayPool<T>.Shared.Rent(mc * Math.Min(KC, k));
        T* tile = stackalloc T[8 * 32];
        try
        {
            fixed (T* own = bBuf)
            fixed (T* ap = aBuf)
            {
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kc = Math.Min(KC, k - pc);
                    bool acc = pc > 0;
                    T* slab = sharedB is null ? own - (long)jp0 * nr * kc : sharedB + pc * nPad;
                    // Direct: only a ragged last panel is packed.
                    int pj0 = direct ? Math.Max(jp0, n / nr) : jp0;
                    if (sharedB is null && pj0 < jp1)
                        for (int t = 0; t < kc; t++)
                            PackBRow(slab, b + (long)(pc + t) * ldb, t, kc, pj0, jp1, n, nr);
                    for (int ib = i0; ib < i1; ib += mc)
                    {
                        int rows = Math.Min(mc, i1 - ib), slivers = (rows + mr - 1) / mr;
                        PackA(ap, a + (long)ib * lda + pc, lda, rows, kc, mr);
                        // jp outside the slivers: the kc×nr panel of B stays in L1 while the A slivers stream from L2.
                        for (int jp = jp0; jp < jp1; jp++)
                        {
                            int j0 = jp * nr, w = Math.Min(nr, n - j0);
                            bool unpacked = direct && w == nr;
                            T* bpanel = unpacked ? b + (long)pc * ldb + j0 : slab + (long)jp * nr * kc;
                            int ldbp = unpacked ? ldb : nr;
                            for (int s = 0; s < slivers; s++)
                            {
                                int r0 = s * mr, h = Math.Min(mr, rows - r0);
                                T* cTile = c + (long)(ib + r0) * ldc + j0;
                                if (acc) PrefetchNextTile(c, ldc, ib, rows, r0, mr, j0, nr, jp + 1 < jp1);
                                if (h == mr && w == nr)
                                {
                                    TK.Run(kc, ap + (long)s * mr * kc, bpanel, ldbp, cTile, ldc, acc);
                                    continue;
                                }
                                TK.Run(kc, ap + (long)s * mr * kc, bpanel, ldbp, tile, nr, false);
                                for (int r = 0; r < h; r++)
                                {
                                    T* src = tile + r * nr, dst = cTile + (long)r * ldc;
                                    if (acc) for (int j = 0; j < w; j++) dst[j] += src[j];
                                    else new ReadOnlySpan<T>(src, w).CopyTo(new Span<T>(dst, w));
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(aBuf);
            if (bBuf is not null) ArrayPool<T>.Shared.Return(bBuf);
        }
    }

    /// <summary>
    /// Prefetches the C rows of the tile after (rows r0.., columns j0..) in the sliver loop: the next sliver's, or the
    /// first sliver of the next panel. A micro-kernel that accumulates starts by loading its 8 C rows, which a
    /// previous KC slab left in L3 or memory; loaded during the current tile they no longer stall the next one's FMA
    /// chains (float 512³: 3–7% less thread cpu time, float64 about 3%).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchNextTile<T>(T* c, int ldc, int ib, int rows, int r0, int mr, int j0, int nr, bool nextPanel) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        T* next;
        int h;
        if (r0 + mr < rows) { next = c + (long)(ib + r0 + mr) * ldc + j0; h = Math.Min(mr, rows - r0 - mr); }
        else if (nextPanel) { next = c + (long)ib * ldc + j0 + nr; h = Math.Min(mr, rows); }
        else return;
        for (int r = 0; r < h; r++)
        {
            Sse.Prefetch0(next + (long)r * ldc);
            Sse.Prefetch0((byte*)(next + (long)r * ldc) + 64);
        }
    }

    /// <summary>
    /// Row t of a kc-row slab of B (bRow: contiguous) into panels [jp0, jp1) of the packed slab (panel jp at jp·NR·kc,
    /// row t at t·NR within it), zero past column n. Packing B row by row reads it sequentially: packing it panel by
    /// panel instead read NR elements per row with the row stride, and took 14% of a 512³ float product in place
    /// (4.5% row by row, measured with the thread's cpu time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBRow<T>(T* slab, T* bRow, int t, int kc, int jp0, int jp1, int n, int nr) where T : unmanaged
    {
        int full = Math.Min(jp1, n / nr), bytes = nr * sizeof(T);
        long step = (long)nr * kc;
        T* dst = slab + jp0 * step + (long)t * nr;
        int jp = jp0;
        if (Vector512.IsHardwareAccelerated && bytes % 64 == 0)
            for (; jp < full; jp++, dst += step)
                for (int o = 0; o < bytes; o += 64)
                    Vector512.Store(Vector512.Load((byte*)(bRow + jp * nr) + o), (byte*)dst + o);
        else if (Vector256.IsHardwareAccelerated && bytes % 32 == 0)
            for (; jp < full; jp++, dst += step)
                for (int o = 0; o < bytes; o += 32)
                    Vector256.Store(Vector256.Load((byte*)(bRow + jp * nr) + o), (byte*)dst + o);
        for (; jp < jp1; jp++, dst += step)
        {
            int w = Math.Min(nr, n - jp * nr);
            new ReadOnlySpan<T>(bRow + jp * nr, w).CopyTo(new Span<T>(dst, w));
            if (w < nr) new Span<T>(dst + w, nr - w).Clear();
        }
    }

    /// <summary>Packs rows × kc of A as MR-row slivers, element (r, p) at p·MR + r, zero past the last row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA<T>(T* ap, T* a, int lda, int rows, int kc, int mr) where T : unmanaged
    {
        int slivers = (rows + mr - 1) / mr;
        for (int s = 0; s < slivers; s++)
        {
            T* dst = ap + (long)s * mr * kc;
            bool f32 = typeof(T) == typeof(float) && System.Runtime.Intrinsics.X86.Avx.IsSupported;
            bool f64 = typeof(T) == typeof(double) && Avx512F.IsSupported;
            if ((f32 || f64) && mr == 8 && s * mr + 8 <= rows)
            {
                // A full 8-row sliver is an 8×8 block transpose per 8 columns of k (in registers). For float64 it
                // replaced a scalar loop that took 10% of a 512³ product (4% with it).
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                    if (f32) Layout.Tile8x8((float*)(a + (long)s * mr * lda + p), lda, (float*)(dst + p * mr), mr);
                    else Tile8x8((double*)(a + (long)s * mr * lda + p), lda, (double*)(dst + p * mr), mr);
                for (int r = 0; r < mr; r++)
                {
                    T* src = a + (long)(s * mr + r) * lda;
                    for (int q = p; q < kc; q++) dst[q * mr + r] = src[q];
                }
                continue;
            }
            for (int r = 0; r < mr; r++)
            {
                int row = s * mr + r;
                if (row >= rows)
                {
                    for (int p = 0; p < kc; p++) dst[p * mr + r] = default;
                    continue;
                }
                // Each source row is read sequentially; the sliver is written with stride MR.
                T* src = a + (long)row * lda;
                for (int p = 0; p < kc; p++) dst[p * mr + r] = src[p];
            }
        }
    }

    /// <summary>8×8 float64 transpose in registers (AVX-512): row r of s (row stride ls) becomes column r of d (row stride ld).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8x8(double* s, long ls, double* d, long ld)
    {
        var r0 = Vector512.Load(s); var r1 = Vector512.Load(s + ls);
        var r2 = Vector512.Load(s + 2 * ls); var r3 = Vector512.Load(s + 3 * ls);
        var r4 = Vector512.Load(s + 4 * ls); var r5 = Vector512.Load(s + 5 * ls);
        var r6 = Vector512.Load(s + 6 * ls); var r7 = Vector512.Load(s + 7 * ls);
        // Row pairs interleaved: t0 = (r0[0], r1[0], r0[2], r1[2], ...), t1 = (r0[1], r1[1], r0[3], r1[3], ...).
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        // 128-bit lanes gathered: 0x88 takes lanes 0 and 2 of each operand, 0xDD lanes 1 and 3.
        var u0 = Avx512F.Shuffle4x128(t0, t2, 0x88); var u1 = Avx512F.Shuffle4x128(t1, t3, 0x88);
        var u2 = Avx512F.Shuffle4x128(t0, t2, 0xDD); var u3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
        var v0 = Avx512F.Shuffle4x128(t4, t6, 0x88); var v1 = Avx512F.Shuffle4x128(t5, t7, 0x88);
        var v2 = Avx512F.Shuffle4x128(t4, t6, 0xDD); var v3 = Avx512F.Shuffle4x128(t5, t7, 0xDD);
        Vector512.Store(Avx512F.Shuffle4x128(u0, v0, 0x88), d);
        Vector512.Store(Avx512F.Shuffle4x128(u1, v1, 0x88), d + ld);
        Vector512.Store(Avx512F.Shuffle4x128(u2, v2, 0x88), d + 2 * ld);
        Vector512.Store(Avx512F.Shuffle4x128(u3, v3, 0x88), d + 3 * ld);
        Vector512.Store(Avx512F.Shuffle4x128(u0, v0, 0xDD), d + 4 * ld);
        Vector512.Store(Avx512F.Shuffle4x128(u1, v1, 0xDD), d + 5 * ld);
        Vector512.Store(Avx512F.Shuffle4x128(u2, v2, 0xDD), d + 6 * ld);
        Vector512.Store(Avx512F.Shuffle4x128(u3, v3, 0xDD), d + 7 * ld);
    }

    /// <summary>Integer and float16 products: i-t-j order, each step adds a scaled B row into a C row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plain<T>(Job<T> job) where T : unmanaged, INumber<T>
    {
        for (int bt = 0; bt < job.Batches; bt++)
        {
            T* a = (T*)job.A + bt * job.StrideA, b = (T*)job.B + bt * job.StrideB, c = (T*)job.C + bt * job.StrideC;
            for (int i = 0; i < job.M; i++)
            {
                var o = new Span<T>(c + (long)i * job.Ldc, job.N);
                o.Clear();
                for (int t = 0; t < job.K; t++)
                {
                    T s = a[(long)i * job.Lda + t];
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(b + (long)t * job.Ldb, job.N), s, o, o);
                }
            }
        }
    }

    /// <summary>8×32 float tile with Vector512: 16 accumulators, 2 B loads and 8 A broadcasts per k step.</summary>
    private struct Float512 : IMicroKernel<float>
    {
        public static int MR => 8;
        public static int NR => 32;
        public static bool Supported => Vector512.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(int kc, float* a, float* b, int ldbp, float* c, int ldc, bool accumulate)
        {
            Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
            if (accumulate)
            {
                c00 = Vector512.Load(c);
                c01 = Vector512.Load(c + 16);
                c10 = Vector512.Load(c + ldc);
                c11 = Vector512.Load((c + ldc) + 16);
                c20 = Vector512.Load(c + 2 * ldc);
                c21 = Vector512.Load((c + 2 * ldc) + 16);
                c30 = Vector512.Load(c + 3 * ldc);
                c31 = Vector512.Load((c + 3 * ldc) + 16);
                c40 = Vector512.Load(c + 4 * ldc);
                c41 = Vector512.Load((c + 4 * ldc) + 16);
                c50 = Vector512.Load(c + 5 * ldc);
                c51 = Vector512.Load((c + 5 * ldc) + 16);
                c60 = Vector512.Load(c + 6 * ldc);
                c61 = Vector512.Load((c + 6 * ldc) + 16);
                c70 = Vector512.Load(c + 7 * ldc);
                c71 = Vector512.Load((c + 7 * ldc) + 16);
            }
            else
            {
                c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<float>.Zero;
            }
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                var a0 = Vector512.Create(a[0]);
                c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector512.Create(a[1]);
                c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
                var a2 = Vector512.Create(a[2]);
                c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
                var a3 = Vector512.Create(a[3]);
                c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
                var a4 = Vector512.Create(a[4]);
                c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
                var a5 = Vector512.Create(a[5]);
                c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
                var a6 = Vector512.Create(a[6]);
                c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
                c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
                var a7 = Vector512.Create(a[7]);
                c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
                c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
                a += 8;
                b += ldbp;
            }
            c00.Store(c);
            c01.Store(c + 16);
            c10.Store(c + ldc);
            c11.Store((c + ldc) + 16);
            c20.Store(c + 2 * ldc);
            c21.Store((c + 2 * ldc) + 16);
            c30.Store(c + 3 * ldc);
            c31.Store((c + 3 * ldc) + 16);
            c40.Store(c + 4 * ldc);
            c41.Store((c + 4 * ldc) + 16);
            c50.Store(c + 5 * ldc);
            c51.Store((c + 5 * ldc) + 16);
            c60.Store(c + 6 * ldc);
            c61.Store((c + 6 * ldc) + 16);
            c70.Store(c + 7 * ldc);
            c71.Store((c + 7 * ldc) + 16);
        }
    }

    /// <summary>8×16 double tile with Vector512: 16 accumulators, 2 B loads and 8 A broadcasts per k step.</summary>
    private struct Double512 : IMicroKernel<double>
    {
        public static int MR => 8;
        public static int NR => 16;
        public static bool Supported => Vector512.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(int kc, double* a, double* b, int ldbp, double* c, int ldc, bool accumulate)
        {
            Vector512<double> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
            if (accumulate)
            {
                c00 = Vector512.Load(c);
                c01 = Vector512.Load(c + 8);
                c10 = Vector512.Load(c + ldc);
                c11 = Vector512.Load((c + ldc) + 8);
                c20 = Vector512.Load(c + 2 * ldc);
                c21 = Vector512.Load((c + 2 * ldc) + 8);
                c30 = Vector512.Load(c + 3 * ldc);
                c31 = Vector512.Load((c + 3 * ldc) + 8);
                c40 = Vector512.Load(c + 4 * ldc);
                c41 = Vector512.Load((c + 4 * ldc) + 8);
                c50 = Vector512.Load(c + 5 * ldc);
                c51 = Vector512.Load((c + 5 * ldc) + 8);
                c60 = Vector512.Load(c + 6 * ldc);
                c61 = Vector512.Load((c + 6 * ldc) + 8);
                c70 = Vector512.Load(c + 7 * ldc);
                c71 = Vector512.Load((c + 7 * ldc) + 8);
            }
            else
            {
                c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<double>.Zero;
            }
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 8);
                var a0 = Vector512.Create(a[0]);
                c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector512.Create(a[1]);
                c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
                var a2 = Vector512.Create(a[2]);
                c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
                var a3 = Vector512.Create(a[3]);
                c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
                var a4 = Vector512.Create(a[4]);
                c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
                var a5 = Vector512.Create(a[5]);
                c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
                var a6 = Vector512.Create(a[6]);
                c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
                c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
                var a7 = Vector512.Create(a[7]);
                c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
                c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
                a += 8;
                b += ldbp;
            }
            c00.Store(c);
            c01.Store(c + 8);
            c10.Store(c + ldc);
            c11.Store((c + ldc) + 8);
            c20.Store(c + 2 * ldc);
            c21.Store((c + 2 * ldc) + 8);
            c30.Store(c + 3 * ldc);
            c31.Store((c + 3 * ldc) + 8);
            c40.Store(c + 4 * ldc);
            c41.Store((c + 4 * ldc) + 8);
            c50.Store(c + 5 * ldc);
            c51.Store((c + 5 * ldc) + 8);
            c60.Store(c + 6 * ldc);
            c61.Store((c + 6 * ldc) + 8);
            c70.Store(c + 7 * ldc);
            c71.Store((c + 7 * ldc) + 8);
        }
    }

    /// <summary>6×16 float tile with Vector256: 12 accumulators, 2 B loads and 6 A broadcasts per k step.</summary>
    private struct Float256 : IMicroKernel<float>
    {
        public static int MR => 6;
        public static int NR => 16;
        public static bool Supported => Vector256.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(int kc, float* a, float* b, int ldbp, float* c, int ldc, bool accumulate)
        {
            Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
            if (accumulate)
            {
                c00 = Vector256.Load(c);
                c01 = Vector256.Load(c + 8);
                c10 = Vector256.Load(c + ldc);
                c11 = Vector256.Load((c + ldc) + 8);
                c20 = Vector256.Load(c + 2 * ldc);
                c21 = Vector256.Load((c + 2 * ldc) + 8);
                c30 = Vector256.Load(c + 3 * ldc);
                c31 = Vector256.Load((c + 3 * ldc) + 8);
                c40 = Vector256.Load(c + 4 * ldc);
                c41 = Vector256.Load((c + 4 * ldc) + 8);
                c50 = Vector256.Load(c + 5 * ldc);
                c51 = Vector256.Load((c + 5 * ldc) + 8);
            }
            else
            {
                c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<float>.Zero;
            }
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var a0 = Vector256.Create(a[0]);
                c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
                c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector256.Create(a[1]);
                c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
                c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
                var a2 = Vector256.Create(a[2]);
                c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
                c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
                var a3 = Vector256.Create(a[3]);
                c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
                c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
                var a4 = Vector256.Create(a[4]);
                c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
                c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
                var a5 = Vector256.Create(a[5]);
                c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
                c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
                a += 6;
                b += ldbp;
            }
            c00.Store(c);
            c01.Store(c + 8);
            c10.Store(c + ldc);
            c11.Store((c + ldc) + 8);
            c20.Store(c + 2 * ldc);
            c21.Store((c + 2 * ldc) + 8);
            c30.Store(c + 3 * ldc);
            c31.Store((c + 3 * ldc) + 8);
            c40.Store(c + 4 * ldc);
            c41.Store((c + 4 * ldc) + 8);
            c50.Store(c + 5 * ldc);
            c51.Store((c + 5 * ldc) + 8);
        }
    }

    /// <summary>6×8 double tile with Vector256: 12 accumulators, 2 B loads and 6 A broadcasts per k step.</summary>
    private struct Double256 : IMicroKernel<double>
    {
        public static int MR => 6;
        public static int NR => 8;
        public static bool Supported => Vector256.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(int kc, double* a, double* b, int ldbp, double* c, int ldc, bool accumulate)
        {
            Vector256<double> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
            if (accumulate)
            {
                c00 = Vector256.Load(c);
                c01 = Vector256.Load(c + 4);
                c10 = Vector256.Load(c + ldc);
                c11 = Vector256.Load((c + ldc) + 4);
                c20 = Vector256.Load(c + 2 * ldc);
                c21 = Vector256.Load((c + 2 * ldc) + 4);
                c30 = Vector256.Load(c + 3 * ldc);
                c31 = Vector256.Load((c + 3 * ldc) + 4);
                c40 = Vector256.Load(c + 4 * ldc);
                c41 = Vector256.Load((c + 4 * ldc) + 4);
                c50 = Vector256.Load(c + 5 * ldc);
                c51 = Vector256.Load((c + 5 * ldc) + 4);
            }
            else
            {
                c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<double>.Zero;
            }
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 4);
                var a0 = Vector256.Create(a[0]);
                c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
                c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector256.Create(a[1]);
                c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
                c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
                var a2 = Vector256.Create(a[2]);
                c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
                c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
                var a3 = Vector256.Create(a[3]);
                c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
                c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
                var a4 = Vector256.Create(a[4]);
                c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
                c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
                var a5 = Vector256.Create(a[5]);
                c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
                c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
                a += 6;
                b += ldbp;
            }
            c00.Store(c);
            c01.Store(c + 4);
            c10.Store(c + ldc);
            c11.Store((c + ldc) + 4);
            c20.Store(c + 2 * ldc);
            c21.Store((c + 2 * ldc) + 4);
            c30.Store(c + 3 * ldc);
            c31.Store((c + 3 * ldc) + 4);
            c40.Store(c + 4 * ldc);
            c41.Store((c + 4 * ldc) + 4);
            c50.Store(c + 5 * ldc);
            c51.Store((c + 5 * ldc) + 4);
        }
    }
}
