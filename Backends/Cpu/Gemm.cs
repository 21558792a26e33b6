using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

/// <summary>Matrix products. C[b] = A[b] · B[b] for row-major operands with row strides lda, ldb, ldc.</summary>
/// <remarks>
/// Design (Goto/BLIS loop order). B is packed once per call into panels of NR columns, KC rows each
/// (zero-padded), so a micro-kernel reads one contiguous KC×NR panel that stays in L1 (KC=256, NR=32 floats:
/// 32 KiB of Zen 5's 48 KiB). A is packed per thread in blocks of MC rows × KC (float 256×256 = 256 KiB, half of L2)
/// as MR-row slivers. The micro-kernel keeps an MR×NR tile of C in registers: Vector512 8×32 for float and 8×16
/// for double (16 zmm accumulators, enough independent FMA chains for two FMA pipes of latency 4), Vector256
/// 6×16 / 6×8 when 512-bit vectors are not accelerated (12 of 16 ymm). Partial edge tiles go through a stack
/// tile. Threads: only above <see cref="ParallelFlops"/>; many small matrices split by batch, one large matrix
/// by MC row blocks (and by column panels when there are fewer row blocks than cores). Integer and float16
/// operands use the plain loop.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Gemm
{
    private const int KC = 256;

    /// <summary>Use the Vector256 micro-kernels even where Vector512 is accelerated (tests cover both paths with it).</summary>
    internal static bool PreferVector256;

    /// <summary>Below about 2 MFLOP the cost of waking a second thread exceeds the work it would take.</summary>
    private const long ParallelFlops = 2_000_000;

    /// <summary>out[i, b, j] = Σ_t x[i, t] · y[b, t, j]: batch b of y writes a strided C (row stride batches·n).</summary>
    public static void DotBatched<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> output, int m, int k, int n, int batches)
        where T : unmanaged, INumber<T>
        => Run(x, y, output, m, k, n, batches, 0, k, (long)k * n, n, n, batches * n);

    /// <summary>c = a · b for contiguous row-major a (m, k), b (k, n), c (m, n).</summary>
    public static void MatMul<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n)
        where T : unmanaged, INumber<T>
        => Run(a, b, c, m, k, n, 1, 0, k, 0, n, 0, n);

    /// <summary>c[i] = a[i] · b[i] for contiguous row-major a (batches, m, k), b (batches, k, n), c (batches, m, n).</summary>
    public static void MatMulBatched<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, int batches)
        where T : unmanaged, INumber<T>
        => Run(a, b, c, m, k, n, batches, (long)m * k, k, (long)k * n, n, (long)m * n, n);

    private static void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, int batches,
        long strideA, int lda, long strideB, int ldb, long strideC, int ldc) where T : unmanaged, INumber<T>
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
            bool wide = !PreferVector256;
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

        /// <summary>C tile (MR×NR, row stride ldc) = (accumulate ? C : 0) + Apacked(kc×MR) · Bpacked(kc×NR).</summary>
        static abstract void Run(int kc, T* a, T* b, T* c, int ldc, bool accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Drive<T, TK>(Job<T> job, int mcMax) where T : unmanaged, INumber<T> where TK : struct, IMicroKernel<T>
    {
        long flops = 2L * job.M * job.K * job.N;
        int threads = flops * job.Batches >= ParallelFlops ? Environment.ProcessorCount : 1;
        if (threads > 1 && job.Batches >= threads && flops < 64 * ParallelFlops)
        {
            // Many small products: one whole product per task, so no two threads share a C tile.
            Parallel.For(0, job.Batches, new ParallelOptions { MaxDegreeOfParallelism = threads }, bt => One<T, TK>(job, bt, mcMax, 1));
            return;
        }
        for (int bt = 0; bt < job.Batches; bt++)
            One<T, TK>(job, bt, mcMax, flops >= ParallelFlops ? threads : 1);
    }

    /// <summary>One product C = A · B of the job, using up to <paramref name="threads"/> threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void One<T, TK>(Job<T> job, int bt, int mcMax, int threads) where T : unmanaged, INumber<T> where TK : struct, IMicroKernel<T>
    {
        int mr = TK.MR, nr = TK.NR, m = job.M, k = job.K, n = job.N;
        T* a = (T*)job.A + bt * job.StrideA;
        T* b = (T*)job.B + bt * job.StrideB;
        T* c = (T*)job.C + bt * job.StrideC;
        int panels = (n + nr - 1) / nr, nPad = panels * nr;
        var bBuf = ArrayPool<T>.Shared.Rent(k * nPad);
        try
        {
            fixed (T* bp = bBuf)
            {
                nint bpn = (nint)bp, bn = (nint)b;
                int ldb = job.Ldb;
                if (threads > 1 && panels > 1)
                    Parallel.For(0, panels, new ParallelOptions { MaxDegreeOfParallelism = threads }, jp => PackB((T*)bpn, (T*)bn, ldb, k, n, nPad, nr, jp));
                else
                    for (int jp = 0; jp < panels; jp++) PackB(bp, b, ldb, k, n, nPad, nr, jp);

                // Row blocks: as large as L2 allows, but at least one per thread when the matrix is tall enough.
                int mc = Math.Min(mcMax, RoundUp((m + threads - 1) / threads, mr));
                int rowBlocks = (m + mc - 1) / mc;
                int colSplits = threads > 1 && rowBlocks < threads ? Math.Min(threads, panels) : 1;
                int tasks = rowBlocks * colSplits;
                nint an = (nint)a, cn = (nint)c;
                int lda = job.Lda, ldc = job.Ldc;
                if (tasks > 1 && threads > 1)
                    Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads },
                        t => Block<T, TK>((T*)an, lda, (T*)bpn, nPad, (T*)cn, ldc, m, k, n, mc, t / colSplits, t % colSplits, colSplits, panels));
                else
                    for (int t = 0; t < tasks; t++)
                        Block<T, TK>(a, lda, bp, nPad, c, ldc, m, k, n, mc, t / colSplits, t % colSplits, colSplits, panels);
            }
        }
        finally { ArrayPool<T>.Shared.Return(bBuf); }
    }

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>Packs column panel jp of B: for each KC block, kc rows × nr columns contiguous, zero past column n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB<T>(T* bp, T* b, int ldb, int k, int n, int nPad, int nr, int jp) where T : unmanaged
    {
        int j0 = jp * nr, w = Math.Min(nr, n - j0);
        for (int pc = 0; pc < k; pc += KC)
        {
            int kc = Math.Min(KC, k - pc);
            T* dst = bp + (long)pc * nPad + (long)jp * nr * kc;
            for (int p = 0; p < kc; p++, dst += nr)
            {
                // Rows of B are contiguous: copy w elements and zero the padding lanes.
                new ReadOnlySpan<T>(b + (long)(pc + p) * ldb + j0, w).CopyTo(new Span<T>(dst, w));
                if (w < nr) new Span<T>(dst + w, nr - w).Clear();
            }
        }
    }

    /// <summary>One row block (mc rows from ib·mc) times the column panels of split js of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<T, TK>(T* a, int lda, T* bp, int nPad, T* c, int ldc, int m, int k, int n, int mc, int ib, int js, int splits, int panels)
        where T : unmanaged, INumber<T> where TK : struct, IMicroKernel<T>
    {
        int mr = TK.MR, nr = TK.NR;
        int i0 = ib * mc, rows = Math.Min(mc, m - i0);
        int slivers = (rows + mr - 1) / mr;
        int jp0 = (int)((long)panels * js / splits), jp1 = (int)((long)panels * (js + 1) / splits);
        var aBuf = ArrayPool<T>.Shared.Rent(slivers * mr * KC);
        T* tile = stackalloc T[8 * 32];
        try
        {
            fixed (T* ap = aBuf)
            {
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kc = Math.Min(KC, k - pc);
                    bool acc = pc > 0;
                    PackA(ap, a + (long)i0 * lda + pc, lda, rows, kc, mr);
                    // jp outside ir: the kc×nr panel of B stays in L1 while the A slivers stream from L2.
                    for (int jp = jp0; jp < jp1; jp++)
                    {
                        T* bpanel = bp + (long)pc * nPad + (long)jp * nr * kc;
                        int j0 = jp * nr, w = Math.Min(nr, n - j0);
                        for (int s = 0; s < slivers; s++)
                        {
                            int r0 = s * mr, h = Math.Min(mr, rows - r0);
                            T* cTile = c + (long)(i0 + r0) * ldc + j0;
                            if (h == mr && w == nr)
                            {
                                TK.Run(kc, ap + (long)s * mr * kc, bpanel, cTile, ldc, acc);
                                continue;
                            }
                            TK.Run(kc, ap + (long)s * mr * kc, bpanel, tile, nr, false);
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
        finally { ArrayPool<T>.Shared.Return(aBuf); }
    }

    /// <summary>Packs rows × kc of A as MR-row slivers, element (r, p) at p·MR + r, zero past the last row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA<T>(T* ap, T* a, int lda, int rows, int kc, int mr) where T : unmanaged
    {
        int slivers = (rows + mr - 1) / mr;
        for (int s = 0; s < slivers; s++)
        {
            T* dst = ap + (long)s * mr * kc;
            if (typeof(T) == typeof(float) && mr == 8 && s * mr + 8 <= rows && System.Runtime.Intrinsics.X86.Avx.IsSupported)
            {
                // A full 8-row float sliver is an 8×8 block transpose per 8 columns of k (in registers).
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                    Layout.Tile8x8((float*)(a + (long)s * mr * lda + p), lda, (float*)(dst + p * mr), mr);
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
        public static void Run(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
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
                b += 32;
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
        public static void Run(int kc, double* a, double* b, double* c, int ldc, bool accumulate)
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
                b += 16;
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
        public static void Run(int kc, float* a, float* b, float* c, int ldc, bool accumulate)
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
                b += 16;
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
        public static void Run(int kc, double* a, double* b, double* c, int ldc, bool accumulate)
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
                b += 8;
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
