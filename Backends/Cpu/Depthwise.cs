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
/// with M &gt; 1 each channel's M outputs take an M-wide multiply-add per tap. The gradients with M = 1 are gathers
/// in registers too: each input cell sums over the output cells that read it (the window walk's adjoint), each
/// kernel tap over the box of output cells whose read lies inside x; with M &gt; 1 they scatter tap by tap. Forward
/// parts are rows of output cells; the input gradient's parts are whole images; the kernel gradient sums one
/// partial (window × C × M) per part and adds the partials at the end. Both cores run through
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

        /// <summary>
        /// Image n's input gradient. With a multiplier of 1 every input cell gathers grad · k over the output cells that
        /// read it (<see cref="ReaderCells"/>), in registers (<see cref="WindowSum"/>, as the forward pass); otherwise
        /// the image is zeroed and every tap scatters back (<see cref="BackwardImage"/>).
        /// </summary>
        private readonly void InputImage(int n, Span<long> cells, Span<int> taps)
        {
            var g = G;
            long image = (long)g.InSize * g.C;
            if (M != 1)
            {
                new Span<T>(Dx + n * image, (int)image).Clear();
                BackwardImage(n, null, cells, taps);
                return;
            }
            T* gi = Grad + (long)n * g.OutSize * g.O, dxi = Dx + n * image;
            fixed (long* pc = cells)
            fixed (int* pt = taps)
                for (int d = 0; d < g.In[0]; d++)
                for (int h = 0; h < g.In[1]; h++)
                for (int w = 0; w < g.In[2]; w++)
                {
                    int count = ReaderCells(g, d, h, w, pc, pt);
                    WindowSum(gi, pc, pt, count, K, g.C, dxi + (((long)d * g.In[1] + h) * g.In[2] + w) * g.C);
                }
        }

        /// <summary>
        /// The output cells whose window reads input cell (d, h, w), as element offsets within one output image, and
        /// the tap through which each reads it; returns how many. The adjoint of <see cref="Pooling.WindowCells"/>.
        /// </summary>
        private static int ReaderCells(in ConvGeometry g, int d, int h, int w, long* cells, int* taps)
        {
            int count = 0;
            for (int z = 0; z < g.K[0]; z++)
            {
                int nd = d + g.Pad[0] - z * g.D[0];
                if (nd < 0 || nd % g.S[0] != 0 || nd / g.S[0] >= g.Out[0]) continue;
                for (int a = 0; a < g.K[1]; a++)
                {
                    int nh = h + g.Pad[1] - a * g.D[1];
                    if (nh < 0 || nh % g.S[1] != 0 || nh / g.S[1] >= g.Out[1]) continue;
                    for (int b = 0; b < g.K[2]; b++)
                    {
                        int nw = w + g.Pad[2] - b * g.D[2];
                        if (nw < 0 || nw % g.S[2] != 0 || nw / g.S[2] >= g.Out[2]) continue;
                        taps[count] = (z * g.K[1] + a) * g.K[2] + b;
                        cells[count++] = (((long)(nd / g.S[0]) * g.Out[1] + nh / g.S[1]) * g.Out[2] + nw / g.S[2]) * g.O;
                    }
                }
            }
            return count;
        }

        /// <summary>
        /// Part p: images p, p + Parts, ... summed into the part's partial kernel gradient. With a multiplier of 1 each
        /// tap's row dk[tap, :] is a sum over the output cells whose read lies inside x (a box of them, from
        /// <see cref="TapRange"/>), accumulated in registers block by block; otherwise every tap scatters.
        /// </summary>
        private readonly void KernelPart(int p, Span<long> cells, Span<int> taps)
        {
            var g = G;
            T* dk = Partials + (long)p * g.Window * g.O;
            new Span<T>(dk, g.Window * g.O).Clear();
            for (int n = p; n < g.N; n += Parts)
            {
                if (M != 1) { BackwardImage(n, dk, cells, taps); continue; }
                T* xi = X + (long)n * g.InSize * g.C, ui = Grad + (long)n * g.OutSize * g.O;
                for (int z = 0; z < g.K[0]; z++)
                for (int a = 0; a < g.K[1]; a++)
                for (int b = 0; b < g.K[2]; b++)
                {
                    var (d0, d1) = TapRange(g, 0, z);
                    var (h0, h1) = TapRange(g, 1, a);
                    var (w0, w1) = TapRange(g, 2, b);
                    if (d0 >= d1 || h0 >= h1 || w0 >= w1) continue;
                    TapSum(g, xi, ui, z, a, b, d0, d1, h0, h1, w0, w1, dk + (long)((z * g.K[1] + a) * g.K[2] + b) * g.C);
                }
            }
        }

        /// <summary>The output cells [lo, hi) along dimension i whose read through tap t lies inside x.</summary>
        private static (int Lo, int Hi) TapRange(in ConvGeometry g, int i, int t)
        {
            int off = g.Pad[i] - t * g.D[i], s = g.S[i];
            // o·s − off ∈ [0, In): o ≥ ⌈off / s⌉ and o ≤ ⌊(In − 1 + off) / s⌋.
            int lo = off <= 0 ? 0 : (off + s - 1) / s, top = g.In[i] - 1 + off;
            int hi = top < 0 ? 0 : Math.Min(g.Out[i], top / s + 1);
            return (lo, hi);
        }

        /// <summary>dst[0..C) += Σ over the box of output cells of x[read cell] · grad[cell], vector blocks in registers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TapSum(in ConvGeometry g, T* x, T* u, int z, int a, int b, int d0, int d1, int h0, int h1, int w0, int w1, T* dst)
        {
            int c = g.C, ch = 0;
            long xStep = (long)g.S[2] * c;
            if (Vector512.IsHardwareAccelerated)
            {
                int vw = Vector512<T>.Count;
                for (; ch + 2 * vw <= c; ch += 2 * vw)
                {
                    Vector512<T> s0 = default, s1 = default;
                    for (int od = d0; od < d1; od++)
                    for (int oh = h0; oh < h1; oh++)
                    {
                        T* xp = x + Read(g, od, oh, w0, z, a, b) + ch, up = u + (((long)od * g.Out[1] + oh) * g.Out[2] + w0) * c + ch;
                        for (int ow = w0; ow < w1; ow++, xp += xStep, up += c)
                        {
                            s0 += Vector512.Load(xp) * Vector512.Load(up);
                            s1 += Vector512.Load(xp + vw) * Vector512.Load(up + vw);
                        }
                    }
                    (Vector512.Load(dst + ch) + s0).Store(dst + ch);
                    (Vector512.Load(dst + ch + vw) + s1).Store(dst + ch + vw);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                int vw = Vector256<T>.Count;
                for (; ch + vw <= c; ch += vw)
                {
                    Vector256<T> s0 = default;
                    for (int od = d0; od < d1; od++)
                    for (int oh = h0; oh < h1; oh++)
                    {
                        T* xp = x + Read(g, od, oh, w0, z, a, b) + ch, up = u + (((long)od * g.Out[1] + oh) * g.Out[2] + w0) * c + ch;
                        for (int ow = w0; ow < w1; ow++, xp += xStep, up += c) s0 += Vector256.Load(xp) * Vector256.Load(up);
                    }
                    (Vector256.Load(dst + ch) + s0).Store(dst + ch);
                }
            }
            for (; ch < c; ch++)
            {
                T s0 = T.Zero;
                for (int od = d0; od < d1; od++)
                for (int oh = h0; oh < h1; oh++)
                {
                    T* xp = x + Read(g, od, oh, w0, z, a, b) + ch, up = u + (((long)od * g.Out[1] + oh) * g.Out[2] + w0) * c + ch;
                    for (int ow = w0; ow < w1; ow++, xp += xStep, up += c) s0 += *xp * *up;
                }
                dst[ch] += s0;
            }
        }

        /// <summary>The element offset in one image of the input cell output cell (od, oh, ow) reads through tap (z, a, b).</summary>
        private static long Read(in ConvGeometry g, int od, int oh, int ow, int z, int a, int b) =>
            (((long)(od * g.S[0] + z * g.D[0] - g.Pad[0]) * g.In[1] + (oh * g.S[1] + a * g.D[1] - g.Pad[1])) * g.In[2] + (ow * g.S[2] + b * g.D[2] - g.Pad[2])) * g.C;

        /// <summary>
        /// Image n's (output cell, tap) pairs for a multiplier M &gt; 1: with <paramref name="dk"/> null each adds
        /// Σ_m grad · k into dx at the cell it read (the input gradient), else x · grad into dk at the tap.
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
                for (int ch = 0; ch < c; ch++)
                {
                    var um = new ReadOnlySpan<T>(u + ch * m, m);
                    if (dk is null) dxi[cells[i] + ch] += TensorPrimitives.Dot(um, new ReadOnlySpan<T>(K + (long)taps[i] * o + ch * m, m));
                    else
                    {
                        var dst = new Span<T>(dk + (long)taps[i] * o + ch * m, m);
                        TensorPrimitives.MultiplyAdd(um, xi[cells[i] + ch], dst, dst);
                    }
                }
            }
        }
    }
}
