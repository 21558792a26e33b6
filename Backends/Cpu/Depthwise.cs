using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// depthwise_conv2d and its two gradients on channels-last data (N, D, H, W, C), kernels (KD, KH, KW, C, M), outputs
/// (N, OD, OH, OW, C·M) with output channel c·M + m fed by input channel c only.
/// </summary>
/// <remarks>
/// Design: a depthwise convolution has no reduction over channels, so it is no GEMM; it is a pooling-like window walk
/// (<see cref="Pooling.WindowCells"/>, shared) with a multiply-add per tap, vectorized along the channels, which are
/// contiguous in both x and the kernel's tap rows. With a multiplier of 1 (the common case) each output cell's
/// channels are accumulated in registers over the whole window, four vectors at a time, and stored once;
/// with M &gt; 1 each channel's M outputs take an M-wide multiply-add per tap. Forward parts are rows of output
/// cells; the input gradient's parts are whole images (no two parts add into the same cells); the kernel gradient
/// sums one partial (window × C × M) per part and adds the partials at the end. Both cores run through
/// <see cref="Workers"/> above about a million multiply-adds; buffers come from <see cref="ArrayPool{T}"/>.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Depthwise
{
    private const long ParallelWork = 1 << 20;

    /// <summary>y = depthwise_conv(x, k) for a geometry whose O is C·M.</summary>
    public static void Forward<T>(in ConvGeometry g, int m, T* x, T* k, T* y) where T : unmanaged, INumber<T>
    {
        var job = new Job<T> { G = g, M = m, X = x, K = k, Y = y, Pass = 0 };
        int rows = g.N * g.Out[0] * g.Out[1];
        Run(ref job, rows, (long)g.N * g.OutSize * g.Window * g.O);
    }

    /// <summary>dx = the input gradient for grad (N, cells, C·M).</summary>
    public static void BackwardInput<T>(in ConvGeometry g, int m, T* k, T* grad, T* dx) where T : unmanaged, INumber<T>
    {
        var job = new Job<T> { G = g, M = m, K = k, Grad = grad, Dx = dx, Pass = 1 };
        Run(ref job, g.N, (long)g.N * g.OutSize * g.Window * g.O);
    }

    /// <summary>dk (window × C × M) = the kernel gradient of x for grad.</summary>
    public static void BackwardKernel<T>(in ConvGeometry g, int m, T* x, T* grad, T* dk) where T : unmanaged, INumber<T>
    {
        int size = g.Window * g.O;
        if (size == 0) return;
        long work = (long)g.N * g.OutSize * g.Window * g.O;
        int parts = work < ParallelWork ? 1 : Math.Min(g.N, 2 * Workers.Threads);
        if (parts == 0) { new Span<T>(dk, size).Clear(); return; }
        var partials = ArrayPool<T>.Shared.Rent(parts * size);
        try
        {
            fixed (T* pp = partials)
            {
                var job = new Job<T> { G = g, M = m, X = x, Grad = grad, Partials = pp, Parts = parts, Pass = 2 };
                if (parts == 1) job.Run(0);
                else Workers.Run(ref job, parts);
                var sum = new Span<T>(dk, size);
                new ReadOnlySpan<T>(pp, size).CopyTo(sum);
                for (int p = 1; p < parts; p++) TensorPrimitives.Add(sum, new ReadOnlySpan<T>(pp + (long)p * size, size), sum);
            }
        }
        finally { ArrayPool<T>.Shared.Return(partials); }
    }

    private static void Run<T>(ref Job<T> job, int parts, long work) where T : unmanaged, INumber<T>
    {
        if (parts <= 1 || work < ParallelWork) { for (int p = 0; p < parts; p++) job.Run(p); return; }
        Workers.Run(ref job, parts);
    }

    private struct Job<T> : IWorkItem where T : unmanaged, INumber<T>
    {
        public ConvGeometry G;
        public int M, Parts, Pass;
        public T* X, K, Y, Grad, Dx, Partials;

        public readonly void Run(int p)
        {
            // One window's cells and taps: on the stack, or rented for a huge window.
            int window = G.Window;
            long[]? rc = window > 512 ? ArrayPool<long>.Shared.Rent(window) : null;
            int[]? rt = window > 512 ? ArrayPool<int>.Shared.Rent(window) : null;
            Span<long> cells = rc is null ? stackalloc long[512] : rc;
            Span<int> taps = rt is null ? stackalloc int[512] : rt;
            switch (Pass)
            {
                case 0: ForwardRow(p, cells, taps); break;
                case 1: InputImage(p, cells, taps); break;
                default: KernelPart(p, cells, taps); break;
            }
            if (rc is not null) ArrayPool<long>.Shared.Return(rc);
            if (rt is not null) ArrayPool<int>.Shared.Return(rt);
        }

        /// <summary>Output row p = (n, od, oh): every cell along the width, accumulated over its window.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void ForwardRow(int p, Span<long> cells, Span<int> taps)
        {
            var g = G;
            int c = g.C, o = g.O, m = M, oh = p % g.Out[1], od = p / g.Out[1] % g.Out[0], n = p / g.Out[1] / g.Out[0];
            T* xi = X + (long)n * g.InSize * c;
            for (int ow = 0; ow < g.Out[2]; ow++)
            {
                T* acc = Y + ((long)p * g.Out[2] + ow) * o;
                int count = Pooling.WindowCells(g, od, oh, ow, cells, taps);
                if (m == 1)
                {
                    fixed (long* pc = cells)
                    fixed (int* pt = taps)
                        WindowSum(xi, pc, pt, count, K, c, acc);
                    continue;
                }
                var dst = new Span<T>(acc, o);
                dst.Clear();
                for (int i = 0; i < count; i++)
                {
                    T* xv = xi + cells[i], kv = K + (long)taps[i] * o;
                    for (int ch = 0; ch < c; ch++)
                    {
                        var run = dst.Slice(ch * m, m);
                        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(kv + ch * m, m), xv[ch], run, run);
                    }
                }
            }
        }

        /// <summary>
        /// dst[0..c) = Σ_i x[cells[i] + ch] · k[taps[i]·c + ch] (a multiplier of 1): four vectors of channels at a time
        /// held in registers over the whole window (Vector512 where the hardware has it, else Vector256), then one
        /// vector, then scalars.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void WindowSum(T* x, long* cells, int* taps, int count, T* k, int c, T* dst)
        {
            int ch = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                int w = Vector512<T>.Count;
                for (; ch + 4 * w <= c; ch += 4 * w)
                {
                    Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default;
                    for (int i = 0; i < count; i++)
                    {
                        T* xv = x + cells[i] + ch, kv = k + (long)taps[i] * c + ch;
                        s0 += Vector512.Load(xv) * Vector512.Load(kv);
                        s1 += Vector512.Load(xv + w) * Vector512.Load(kv + w);
                        s2 += Vector512.Load(xv + 2 * w) * Vector512.Load(kv + 2 * w);
                        s3 += Vector512.Load(xv + 3 * w) * Vector512.Load(kv + 3 * w);
                    }
                    s0.Store(dst + ch); s1.Store(dst + ch + w); s2.Store(dst + ch + 2 * w); s3.Store(dst + ch + 3 * w);
                }
                for (; ch + w <= c; ch += w)
                {
                    Vector512<T> s0 = default;
                    for (int i = 0; i < count; i++) s0 += Vector512.Load(x + cells[i] + ch) * Vector512.Load(k + (long)taps[i] * c + ch);
                    s0.Store(dst + ch);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                int w = Vector256<T>.Count;
                for (; ch + 2 * w <= c; ch += 2 * w)
                {
                    Vector256<T> s0 = default, s1 = default;
                    for (int i = 0; i < count; i++)
                    {
                        T* xv = x + cells[i] + ch, kv = k + (long)taps[i] * c + ch;
                        s0 += Vector256.Load(xv) * Vector256.Load(kv);
                        s1 += Vector256.Load(xv + w) * Vector256.Load(kv + w);
                    }
                    s0.Store(dst + ch); s1.Store(dst + ch + w);
                }
                for (; ch + w <= c; ch += w)
                {
                    Vector256<T> s0 = default;
                    for (int i = 0; i < count; i++) s0 += Vector256.Load(x + cells[i] + ch) * Vector256.Load(k + (long)taps[i] * c + ch);
                    s0.Store(dst + ch);
                }
            }
            for (; ch < c; ch++)
            {
                T s = T.Zero;
                for (int i = 0; i < count; i++) s += x[cells[i] + ch] * k[(long)taps[i] * c + ch];
                dst[ch] = s;
            }
        }

        /// <summary>Image n: zero its gradient, then every tap adds grad · k back to the cell it read.</summary>
        private readonly void InputImage(int n, Span<long> cells, Span<int> taps)
        {
            long image = (long)G.InSize * G.C;
            new Span<T>(Dx + n * image, (int)image).Clear();
            BackwardImage(n, null, cells, taps);
        }

        /// <summary>Part p: images p, p + Parts, ... summed into the part's partial kernel gradient.</summary>
        private readonly void KernelPart(int p, Span<long> cells, Span<int> taps)
        {
            T* dk = Partials + (long)p * G.Window * G.O;
            new Span<T>(dk, G.Window * G.O).Clear();
            for (int n = p; n < G.N; n += Parts) BackwardImage(n, dk, cells, taps);
        }

        /// <summary>
        /// Image n's (output cell, tap) pairs: with <paramref name="dk"/> null each adds grad · k into dx at the cell
        /// it read (the input gradient), else x · grad into dk at the tap (the kernel gradient).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void BackwardImage(int n, T* dk, Span<long> cells, Span<int> taps)
        {
            var g = G;
            int c = g.C, o = g.O, m = M;
            T* xi = X + (long)n * g.InSize * c, dxi = Dx + (long)n * g.InSize * c;
            for (int od = 0; od < g.Out[0]; od++)
            for (int oh = 0; oh < g.Out[1]; oh++)
            for (int ow = 0; ow < g.Out[2]; ow++)
            {
                T* u = Grad + ((((long)n * g.Out[0] + od) * g.Out[1] + oh) * g.Out[2] + ow) * o;
                int count = Pooling.WindowCells(g, od, oh, ow, cells, taps);
                for (int i = 0; i < count; i++)
                {
                    if (dk is null)
                    {
                        T* kv = K + (long)taps[i] * o;
                        if (m == 1)
                        {
                            var dst = new Span<T>(dxi + cells[i], c);
                            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(u, c), new ReadOnlySpan<T>(kv, c), dst, dst);
                        }
                        else
                            for (int ch = 0; ch < c; ch++)
                                dxi[cells[i] + ch] += TensorPrimitives.Dot(new ReadOnlySpan<T>(u + ch * m, m), new ReadOnlySpan<T>(kv + ch * m, m));
                        continue;
                    }
                    T* dv = dk + (long)taps[i] * o, xv = xi + cells[i];
                    if (m == 1)
                    {
                        var dst = new Span<T>(dv, c);
                        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(xv, c), new ReadOnlySpan<T>(u, c), dst, dst);
                    }
                    else
                        for (int ch = 0; ch < c; ch++)
                        {
                            var dst = new Span<T>(dv + ch * m, m);
                            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(u + ch * m, m), xv[ch], dst, dst);
                        }
                }
            }
        }
    }
}
