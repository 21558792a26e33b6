using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// cumsum/cumprod along one axis, viewed as (outer, n, inner).
/// </summary>
/// <remarks>
/// Design.
/// <list type="bullet">
/// <item>inner &gt; 1 (a leading or middle axis): the running row of a block of up to <see cref="Chunk"/> columns is kept in
/// a stack buffer and the rows are walked in order, each step one contiguous vector pass (acc = acc ∘ x row; store acc),
/// so the scan costs a copy. Whole rows matter: a thread that walks half rows (2 KiB of every 4 KiB row) streams at
/// about half the rate of one that walks whole rows, as each page is then entered twice by the prefetchers; so the
/// cores are not given column halves but bands of rows. Band k (of B) first folds the rows before it into its
/// running row (reading only, in the same order as the sequential scan, so every result is bitwise the sequential
/// one, cumprod and integer wrap-around included), then scans its own rows; band k starts at n·(1 − 2^−k)/(1 − 2^−B),
/// which gives every band the same work (rows read ahead count once, own rows twice: read and written).</item>
/// <item>inner = 1 (the innermost axis): each element depends on the previous one, so one row is a chain of dependent
/// ops; four rows side by side keep four independent chains in flight (same order, same results); rows are split
/// across the cores.</item>
/// </list>
/// Measured on (4096, 1024) float32 axis 0 in one process, alternating with the previous kernel (column halves on the
/// two cores, each step a TensorPrimitives.Add of the previous output row): 0.89 ms against 1.28 ms median at load 4.2
/// (37.7 GB/s counting 16 MiB read and 16 MiB written); cumprod 1.50 against 4.12 ms and (64, 256, 256) axis 1 2.4
/// against 6.7 ms at load 7. Tried and dropped: non-temporal stores for outputs of 8 MiB and more (6–7 % slower at
/// (4096, 1024), with one band and with two: input and output together fit the L3); a running row of 4–8 AVX-512
/// registers per 64–128 columns, walking all rows (slower than whole rows, each row then a scatter of 256–512-byte pieces).
/// </remarks>
internal static unsafe class Scans
{
    /// <summary>Columns of one running row (16 KiB of float64 on the stack, in L1 beside the streams).</summary>
    private const int Chunk = 2048;

    /// <summary>At most this many row bands per block: with B bands each core moves 1/(2(1 − 2^−B)) of the serial scan's
    /// traffic (2/3 with two bands, 0.53 with four), so a fifth band would gain about 3 %.</summary>
    private const int MaxBands = 4;

    public static void Scan<T>(Tensor x, int axis, Tensor output, bool product) where T : unmanaged, INumber<T>
    {
        if (output.Size == 0) return;
        var (outer, n, inner) = Indexing.AroundAxis(x.Shape, axis);
        bool parallel = x.Size >= Reductions.ParallelThreshold && Workers.Threads >= 2;
        fixed (T* src = x.ReadOnlySpan<T>())
        fixed (T* dst = output.Span<T>())
        {
            if (inner == 1)
            {
                var last = new LastAxisJob<T> { X = src, D = dst, N = n, Product = product };
                int parts = parallel ? Math.Min(outer, Workers.Threads * 4) : 1;
                last.Step = (outer + parts - 1) / parts;
                last.Outer = outer;
                Run(ref last, (outer + last.Step - 1) / last.Step, parallel);
                return;
            }
            var job = new RowsJob<T>
            {
                X = src, D = dst, N = n, Inner = inner, Product = product, Chunks = (inner + Chunk - 1) / Chunk,
            };
            // Row bands only where blocks and column chunks leave a core idle.
            int bands = 1;
            long units = (long)outer * job.Chunks;
            if (parallel && units < Workers.Threads) bands = (int)Math.Min(Math.Min(MaxBands, (Workers.Threads + units - 1) / units), Math.Max(1, n / 2));
            job.Bands = bands;
            for (int k = 0; k < bands; k++) job.Start[k] = (int)Math.Round(n * (1 - Math.ScaleB(1.0, -k)) / (1 - Math.ScaleB(1.0, -bands)));
            job.Start[bands] = n;
            job.Units = (int)(units * bands);
            int partCount = parallel ? Math.Min(job.Units, Workers.Threads * 4) : 1;
            job.Step = (job.Units + partCount - 1) / partCount;
            Run(ref job, (job.Units + job.Step - 1) / job.Step, parallel);
        }
    }

    private static void Run<TJob>(ref TJob job, int parts, bool parallel) where TJob : struct, IWorkItem
    {
        if (parallel) Workers.Run(ref job, parts);
        else for (int p = 0; p < parts; p++) job.Run(p);
    }

    [InlineArray(MaxBands + 1)] private struct BandStarts { private int _e; }

    /// <summary>Units (block o, column chunk, row band), the band fastest; part p takes units [p·Step, +Step).</summary>
    private struct RowsJob<T> : IWorkItem where T : unmanaged, INumber<T>
    {
        public T* X, D;
        public int N, Inner, Chunks, Bands, Units, Step;
        public BandStarts Start;
        public bool Product;

        public readonly void Run(int part)
        {
            T* acc = stackalloc T[Math.Min(Inner, Chunk)];
            for (int u = part * Step, end = Math.Min(Units, u + Step); u < end; u++)
            {
                int band = u % Bands, c = u / Bands % Chunks, o = u / Bands / Chunks;
                int c0 = c * Chunk, w = Math.Min(Inner, c0 + Chunk) - c0;
                long b = (long)o * N * Inner + c0;
                if (Product) Rows<T, MulStep<T>>(X + b, D + b, Inner, w, Start[band], Start[band + 1], acc);
                else Rows<T, AddStep<T>>(X + b, D + b, Inner, w, Start[band], Start[band + 1], acc);
            }
        }
    }

    /// <summary>The scan of rows [s0, s1) of w columns (row stride ld): row 0 and then rows [1, s0) fold into the running
    /// row without being stored, exactly as the sequential scan forms them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<T, TS>(T* x, T* d, long ld, int w, int s0, int s1, T* acc)
        where T : unmanaged, INumber<T> where TS : IStep<T>
    {
        new ReadOnlySpan<T>(x, w).CopyTo(new Span<T>(acc, w));
        if (s0 == 0) new ReadOnlySpan<T>(acc, w).CopyTo(new Span<T>(d, w));
        for (int i = 1; i < s0; i++) Step<T, TS>(acc, x + i * ld, null, w);
        for (int i = Math.Max(s0, 1); i < s1; i++) Step<T, TS>(acc, x + i * ld, d + i * ld, w);
    }

    /// <summary>acc = acc ∘ x over w elements, and d = acc when d is not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<T, TS>(T* acc, T* x, T* d, int w) where T : unmanaged, INumber<T> where TS : IStep<T>
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            int vc = Vector512<T>.Count;
            if (d == null)
                for (; j <= w - vc; j += vc) TS.Apply(Vector512.Load(acc + j), Vector512.Load(x + j)).Store(acc + j);
            else
                for (; j <= w - vc; j += vc)
                {
                    var a = TS.Apply(Vector512.Load(acc + j), Vector512.Load(x + j));
                    a.Store(acc + j);
                    a.Store(d + j);
                }
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            int vc = Vector256<T>.Count;
            for (; j <= w - vc; j += vc)
            {
                var a = TS.Apply(Vector256.Load(acc + j), Vector256.Load(x + j));
                a.Store(acc + j);
                if (d != null) a.Store(d + j);
            }
        }
        for (; j < w; j++)
        {
            acc[j] = TS.Apply(acc[j], x[j]);
            if (d != null) d[j] = acc[j];
        }
    }

    /// <summary>The innermost axis: rows [p·Step, +Step) of length N.</summary>
    private struct LastAxisJob<T> : IWorkItem where T : unmanaged, INumber<T>
    {
        public T* X, D;
        public int N, Outer, Step;
        public bool Product;

        public readonly void Run(int part)
        {
            int o0 = part * Step, o1 = Math.Min(Outer, o0 + Step);
            if (Product) LastAxis<T, MulStep<T>>(X, D, o0, o1, N);
            else LastAxis<T, AddStep<T>>(X, D, o0, o1, N);
        }
    }

    /// <summary>Rows [o0, o1): each element depends on the previous one, so one row is a chain of dependent ops; four rows
    /// side by side keep four independent chains in flight (same order, same results).</summary>
    private static void LastAxis<T, TS>(T* src, T* dst, int o0, int o1, int n) where T : unmanaged, INumber<T> where TS : IStep<T>
    {
        if (n == 0) return;
        int o = o0;
        for (; o + 4 <= o1; o += 4) Rows4<T, TS>(src + (long)o * n, dst + (long)o * n, n);
        for (; o < o1; o++)
        {
            T* s = src + (long)o * n, d = dst + (long)o * n;
            T acc = s[0];
            d[0] = acc;
            for (int j = 1; j < n; j++) d[j] = acc = TS.Apply(acc, s[j]);
        }
    }

    private interface IStep<T> where T : unmanaged
    {
        static abstract T Apply(T acc, T x);
        static abstract Vector512<T> Apply(Vector512<T> acc, Vector512<T> x);
        static abstract Vector256<T> Apply(Vector256<T> acc, Vector256<T> x);
    }

    private readonly struct AddStep<T> : IStep<T> where T : unmanaged, INumber<T>
    {
        public static T Apply(T acc, T x) => acc + x;
        public static Vector512<T> Apply(Vector512<T> acc, Vector512<T> x) => acc + x;
        public static Vector256<T> Apply(Vector256<T> acc, Vector256<T> x) => acc + x;
    }

    private readonly struct MulStep<T> : IStep<T> where T : unmanaged, INumber<T>
    {
        public static T Apply(T acc, T x) => acc * x;
        public static Vector512<T> Apply(Vector512<T> acc, Vector512<T> x) => acc * x;
        public static Vector256<T> Apply(Vector256<T> acc, Vector256<T> x) => acc * x;
    }

    /// <summary>Scans four consecutive rows of length n (src and dst hold 4·n elements).</summary>
    private static void Rows4<T, TS>(T* s, T* d, int n) where T : unmanaged, INumber<T> where TS : IStep<T>
    {
        T a0 = s[0], a1 = s[n], a2 = s[2 * n], a3 = s[3 * n];
        d[0] = a0; d[n] = a1; d[2 * n] = a2; d[3 * n] = a3;
        for (int j = 1; j < n; j++)
        {
            a0 = TS.Apply(a0, s[j]);
            a1 = TS.Apply(a1, s[n + j]);
            a2 = TS.Apply(a2, s[2 * n + j]);
            a3 = TS.Apply(a3, s[3 * n + j]);
            d[j] = a0;
            d[n + j] = a1;
            d[2 * n + j] = a2;
            d[3 * n + j] = a3;
        }
    }
}
