using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

using static KerasBackend.Backends.Cpu.VectorLoops;

namespace KerasBackend.Backends.Cpu;

/// <summary>Convolution and its two gradients on channels-last data (N, D, H, W, C), kernels (KD, KH, KW, C, O).</summary>
/// <remarks>
/// Design: a convolution is one GEMM, out (M × O) = patches (M × KD·KH·KW·C) · kernel (KD·KH·KW·C × O), with
/// M = N·OD·OH·OW output cells. The patch matrix is never built whole: the output cells are cut into chunks of
/// about <see cref="ChunkElements"/> patch elements (a few hundred rows; 256 KiB of float, so a chunk and the
/// GEMM's packed copy of it stay in L2), each chunk's patches are gathered (im2col, one contiguous run of
/// kw·C elements per kernel row when the width is not dilated, zeros where the window hangs over the border) into
/// a pooled per-part buffer and multiplied with <see cref="Gemm.MatMul{T}"/> (its Vector512 micro-kernels; the
/// kernel matrix is small and read in place). Chunks are the parts of one <see cref="Workers"/> job, claimed
/// dynamically by both cores; a GEMM called from a part runs on that part's thread. A 1×1 stride-1 convolution is
/// the plain GEMM on x. A shallow patch (KD·KH·KW·C at most <see cref="DirectDepth"/>, e.g. a 3×3 kernel on one or
/// three channels) makes a GEMM of depth 9–32 whose packing costs more than its multiply-adds, so such a forward pass
/// is computed directly instead: per output cell, each cell of the window (read from a zero-padded copy of the image
/// when windows can hang over the border) broadcasts its C values against the kernel's rows of O outputs,
/// accumulated in vector registers along O, four neighbouring output cells at a time, and stored once
/// (<see cref="DirectRows{T}"/>). Gradients: the input gradient is per chunk dpatches = grad · kernelᵀ (the transposed
/// kernel is packed once per call) scattered back with adds (col2im); parts are whole images so no two parts add
/// into the same cells. The kernel gradient is per chunk gradᵀ (O × rows, a small transpose) · patches, summed into
/// one partial (O × K) per part and the partials added at the end, then transposed to (K × O). Buffers come from
/// <see cref="ArrayPool{T}"/>; nothing is allocated per call in steady state. Below about 2 MFLOP one thread runs.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Convolution
{
    /// <summary>Target patch elements per chunk.</summary>
    private const int ChunkElements = 1 << 16;

    /// <summary>Below this many FLOP one thread does all the work.</summary>
    private const long ParallelFlops = 2_000_000;

    /// <summary>Patch depths up to this are computed directly, not as a GEMM.</summary>
    private const int DirectDepth = 32;

    /// <summary>The largest padded image (elements) the direct path copies into scratch; above it the im2col path runs.</summary>
    private const long DirectMaxImage = 1 << 24;

    private static int Depth(in ConvGeometry g) => g.Window * g.C;

    private static int Cells(in ConvGeometry g) => g.N * g.OutSize;

    private static int ChunkRows(in ConvGeometry g) => Math.Clamp(ChunkElements / Math.Max(1, Depth(g)), 16, 1024) / 8 * 8;

    private static bool Pointwise(in ConvGeometry g) =>
        g.Window == 1 && g.S[0] == 1 && g.S[1] == 1 && g.S[2] == 1 && g.Pad[0] == 0 && g.Pad[1] == 0 && g.Pad[2] == 0;

    /// <summary>y (N·cells × O) = conv(x, k): x (N, D, H, W, C), k (KD·KH·KW·C × O).</summary>
    public static void Forward<T>(in ConvGeometry g, T* x, T* k, T* y) where T : unmanaged, INumber<T>
    {
        int m = Cells(g), depth = Depth(g);
        if (m == 0 || g.O == 0) return;
        if (depth == 0) { new Span<T>(y, m * g.O).Clear(); return; }
        if (Pointwise(g))
        {
            Gemm.MatMul(new ReadOnlySpan<T>(x, m * depth), new ReadOnlySpan<T>(k, depth * g.O), new Span<T>(y, m * g.O), m, depth, g.O);
            return;
        }
        var job = new Job<T> { G = g, X = x, K = k, Y = y, Pass = Direct(g) ? Pass.Direct : Pass.Forward, Rows = ChunkRows(g) };
        Run(ref job, (m + job.Rows - 1) / job.Rows, 2L * m * depth * g.O);
    }

    /// <summary>dx (N, D, H, W, C) = the input gradient of conv for grad (N·cells × O).</summary>
    public static void BackwardInput<T>(in ConvGeometry g, T* k, T* grad, T* dx) where T : unmanaged, INumber<T>
    {
        int m = Cells(g), depth = Depth(g);
        long inSize = (long)g.N * g.InSize * g.C;
        if (inSize == 0) return;
        if (m == 0 || g.O == 0) { new Span<T>(dx, (int)inSize).Clear(); return; }
        // kᵀ (O × depth), packed once.
        var kt = ArrayPool<T>.Shared.Rent(g.O * depth);
        try
        {
            fixed (T* ktp = kt)
            {
                Transpose(k, depth, g.O, ktp);
                if (Pointwise(g))
                {
                    Gemm.MatMul(new ReadOnlySpan<T>(grad, m * g.O), new ReadOnlySpan<T>(ktp, g.O * depth), new Span<T>(dx, m * depth), m, g.O, depth);
                    return;
                }
                var job = new Job<T> { G = g, K = ktp, Grad = grad, Dx = dx, Pass = Pass.Input, Rows = ChunkRows(g) };
                Run(ref job, g.N, 2L * m * depth * g.O);
            }
        }
        finally { ArrayPool<T>.Shared.Return(kt); }
    }

    /// <summary>dk (KD·KH·KW·C × O) = the kernel gradient of conv of x (N, D, H, W, C) for grad (N·cells × O).</summary>
    public static void BackwardKernel<T>(in ConvGeometry g, T* x, T* grad, T* dk) where T : unmanaged, INumber<T>
    {
        int m = Cells(g), depth = Depth(g), size = depth * g.O;
        if (size == 0) return;
        if (m == 0) { new Span<T>(dk, size).Clear(); return; }
        long flops = 2L * m * depth * g.O;
        int rows = ChunkRows(g), chunks = (m + rows - 1) / rows;
        int parts = flops < ParallelFlops ? 1 : Math.Min(chunks, 2 * Workers.Threads);
        // One partial dkᵀ (O × depth) per part, summed at the end.
        var partials = ArrayPool<T>.Shared.Rent(parts * size);
        try
        {
            fixed (T* pp = partials)
            {
                var job = new Job<T> { G = g, X = x, Grad = grad, Partials = pp, Pass = Pass.Kernel, Rows = rows, Parts = parts, Chunks = chunks };
                if (parts == 1) job.Run(0);
                else Workers.Run(ref job, parts);
                var sum = new Span<T>(pp, size);
                for (int p = 1; p < parts; p++) TensorPrimitives.Add(sum, new ReadOnlySpan<T>(pp + (long)p * size, size), sum);
                Transpose(pp, g.O, depth, dk);
            }
        }
        finally { ArrayPool<T>.Shared.Return(partials); }
    }

    private static void Run<T>(ref Job<T> job, int parts, long flops) where T : unmanaged, INumber<T>
    {
        if (flops < ParallelFlops || parts == 1)
        {
            for (int p = 0; p < parts; p++) job.Run(p);
            return;
        }
        Workers.Run(ref job, parts);
    }

    private enum Pass { Forward, Direct, Input, Kernel }

    private struct Job<T> : IWorkItem where T : unmanaged, INumber<T>
    {
        public ConvGeometry G;
        public T* X, K, Y, Grad, Dx, Partials;
        public Pass Pass;
        public int Rows, Parts, Chunks;

        public readonly void Run(int p)
        {
            var g = G;
            int m = Cells(g), depth = Depth(g);
            if (Pass == Pass.Direct)
            {
                int r0 = p * Rows;
                DirectRows(g, X, K, r0, Math.Min(Rows, m - r0), Y);
                return;
            }
            var buf = ArrayPool<T>.Shared.Rent(Rows * depth + (Pass == Pass.Kernel ? Rows * g.O + g.O * depth : 0));
            try
            {
                fixed (T* cols = buf)
                {
                    switch (Pass)
                    {
                        case Pass.Forward:
                        {
                            int r0 = p * Rows, rows = Math.Min(Rows, m - r0);
                            Im2Col(g, X, r0, rows, cols);
                            Gemm.MatMul(new ReadOnlySpan<T>(cols, rows * depth), new ReadOnlySpan<T>(K, depth * g.O), new Span<T>(Y + (long)r0 * g.O, rows * g.O), rows, depth, g.O);
                            break;
                        }
                        case Pass.Input:
                        {
                            // Image p: zero it, then per chunk of its cells dpatches = grad · kᵀ, added back where the patches came from.
                            int cells = g.OutSize, image = g.InSize * g.C;
                            new Span<T>(Dx + (long)p * image, image).Clear();
                            for (int c0 = 0; c0 < cells; c0 += Rows)
                            {
                                int rows = Math.Min(Rows, cells - c0), r0 = p * cells + c0;
                                Gemm.MatMul(new ReadOnlySpan<T>(Grad + (long)r0 * g.O, rows * g.O), new ReadOnlySpan<T>(K, g.O * depth), new Span<T>(cols, rows * depth), rows, g.O, depth);
                                Col2Im(g, cols, r0, rows, Dx);
                            }
                            break;
                        }
                        default:
                        {
                            // Chunks p, p + Parts, ...: partial (O × depth) += gradᵀ (O × rows) · patches (rows × depth).
                            T* gt = cols + Rows * depth, tmp = gt + Rows * g.O;
                            var acc = new Span<T>(Partials + (long)p * g.O * depth, g.O * depth);
                            acc.Clear();
                            for (int c = p; c < Chunks; c += Parts)
                            {
                                int r0 = c * Rows, rows = Math.Min(Rows, m - r0);
                                Im2Col(g, X, r0, rows, cols);
                                Transpose(Grad + (long)r0 * g.O, rows, g.O, gt);
                                var t = new Span<T>(tmp, g.O * depth);
                                Gemm.MatMul(new ReadOnlySpan<T>(gt, g.O * rows), new ReadOnlySpan<T>(cols, rows * depth), t, g.O, rows, depth);
                                TensorPrimitives.Add(acc, t, acc);
                            }
                            break;
                        }
                    }
                }
            }
            finally { ArrayPool<T>.Shared.Return(buf); }
        }
    }

    /// <summary>
    /// y rows [r0, r0 + rows) of conv(x, k) computed directly (a shallow patch). Every window is read whole at fixed
    /// offsets from its corner: when a window can hang over x's border, each image is first copied into a zero-padded
    /// scratch image (zeros where the im2col path writes zeros, so both paths compute the same products), four
    /// neighbours along the width at a time (<see cref="DirectCells4{T}"/>), the rest one by one (<see cref="DirectCell{T}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DirectRows<T>(in ConvGeometry g, T* x, T* k, int r0, int rows, T* y) where T : unmanaged, INumber<T>
    {
        int ow = r0 % g.Out[2], rest = r0 / g.Out[2], oh = rest % g.Out[1], od = rest / g.Out[1] % g.Out[0], n = rest / g.Out[1] / g.Out[0];
        int c = g.C, window = g.Window;
        var (p0, p1, p2, padded) = PaddedImage(g);
        long image = (long)g.InSize * c, paddedImage = (long)p0 * p1 * p2 * c;
        // The full window's cells, in kernel-row order: offsets from the window's corner in the (padded) image.
        long* cells = stackalloc long[DirectDepth];
        for (int z = 0, t = 0; z < g.K[0]; z++)
            for (int a = 0; a < g.K[1]; a++)
                for (int b = 0; b < g.K[2]; b++, t++)
                    cells[t] = (((long)z * g.D[0] * p1 + a * g.D[1]) * p2 + b * g.D[2]) * c;
        T[]? scratch = padded ? ArrayPool<T>.Shared.Rent((int)paddedImage) : null;
        try
        {
            fixed (T* pad = scratch)
            {
                if (padded) new Span<T>(pad, (int)paddedImage).Clear();
                int copied = -1;
                for (int r = 0; r < rows; r++)
                {
                    T* img = x + n * image;
                    if (padded)
                    {
                        if (copied != n) { CopyPadded(g, img, pad, p1, p2); copied = n; }
                        img = pad;
                    }
                    T* dst = y + (long)(r0 + r) * g.O;
                    T* corner = img + (((long)od * g.S[0] * p1 + oh * g.S[1]) * p2 + ow * g.S[2]) * c;
                    if (r + 4 <= rows && ow + 4 <= g.Out[2])
                    {
                        DirectCells4(corner, (long)g.S[2] * c, cells, window, k, c, g.O, dst);
                        r += 3;
                        ow += 3;
                    }
                    else DirectCell(corner, cells, window, k, c, g.O, dst);
                    if (++ow == g.Out[2]) { ow = 0; if (++oh == g.Out[1]) { oh = 0; if (++od == g.Out[0]) { od = 0; n++; } } }
                }
            }
        }
        finally { if (scratch is not null) ArrayPool<T>.Shared.Return(scratch); }
    }

    /// <summary>
    /// The padded image of the direct path: x's cells after the leading padding, zeros up to the last window's far edge;
    /// <c>Padded</c> is false (and the dims are x's) when no window reaches outside x.
    /// </summary>
    private static (int P0, int P1, int P2, bool Padded) PaddedImage(in ConvGeometry g)
    {
        int p0 = Math.Max(g.Pad[0] + g.In[0], (g.Out[0] - 1) * g.S[0] + (g.K[0] - 1) * g.D[0] + 1);
        int p1 = Math.Max(g.Pad[1] + g.In[1], (g.Out[1] - 1) * g.S[1] + (g.K[1] - 1) * g.D[1] + 1);
        int p2 = Math.Max(g.Pad[2] + g.In[2], (g.Out[2] - 1) * g.S[2] + (g.K[2] - 1) * g.D[2] + 1);
        bool padded = g.Pad[0] > 0 || g.Pad[1] > 0 || g.Pad[2] > 0 || p0 > g.In[0] || p1 > g.In[1] || p2 > g.In[2];
        return padded ? (p0, p1, p2, true) : (g.In[0], g.In[1], g.In[2], false);
    }

    /// <summary>Whether the forward pass runs directly: a shallow patch, and a padded image small enough for a pooled scratch buffer.</summary>
    private static bool Direct(in ConvGeometry g)
    {
        if (Depth(g) > DirectDepth) return false;
        var (p0, p1, p2, padded) = PaddedImage(g);
        return !padded || (long)p0 * p1 * p2 * g.C <= DirectMaxImage;
    }

    /// <summary>Copies one channels-last image into the interior of a zeroed padded image (p1 × p2 cells per depth slice), after the leading padding.</summary>
    private static void CopyPadded<T>(in ConvGeometry g, T* img, T* pad, int p1, int p2) where T : unmanaged
    {
        int c = g.C, run = g.In[2] * c;
        for (int d = 0; d < g.In[0]; d++)
            for (int h = 0; h < g.In[1]; h++)
                new ReadOnlySpan<T>(img + ((long)d * g.In[1] + h) * run, run)
                    .CopyTo(new Span<T>(pad + ((((long)d + g.Pad[0]) * p1 + h + g.Pad[1]) * p2 + g.Pad[2]) * c, run));
    }

    /// <summary>
    /// <see cref="DirectCell{T}"/> for four whole windows whose corners are <paramref name="step"/> elements apart (neighbours
    /// along the width), into four consecutive output rows of dst: each kernel row is read once for the four cells, whose
    /// sums are four independent chains, one vector of outputs at a time (Vector512 where the hardware has it, else
    /// Vector256), then scalars. The sums run in the same order as DirectCell's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DirectCells4<T>(T* x, long step, long* cells, int count, T* k, int c, int o, T* dst) where T : unmanaged, INumber<T>
    {
        int j = 0;
        if (W512<T>.Accelerated) j = DirectCells4<T, W512<T>, Vector512<T>>(x, step, cells, count, k, c, o, dst, j);
        if (W256<T>.Accelerated) j = DirectCells4<T, W256<T>, Vector256<T>>(x, step, cells, count, k, c, o, dst, j);
        for (; j < o; j++)
            for (int q = 0; q < 4; q++)
            {
                T s = T.Zero;
                for (int i = 0; i < count; i++)
                {
                    T* xv = x + q * step + cells[i], kv = k + (long)i * c * o + j;
                    for (int ch = 0; ch < c; ch++, kv += o) s += xv[ch] * *kv;
                }
                dst[q * o + j] = s;
            }
    }

    /// <summary>DirectCells4's vectors of one width from output j on; returns the first output left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DirectCells4<T, TW, TV>(T* x, long step, long* cells, int count, T* k, int c, int o, T* dst, int j)
        where T : unmanaged where TW : IWidth<T, TV> where TV : struct
    {
        for (; j + TW.Count <= o; j += TW.Count)
        {
            TV s0 = TW.Zero, s1 = TW.Zero, s2 = TW.Zero, s3 = TW.Zero;
            for (int i = 0; i < count; i++)
            {
                T* xv = x + cells[i], kv = k + (long)i * c * o + j;
                for (int ch = 0; ch < c; ch++, kv += o)
                {
                    var kr = TW.Load(ref *kv, 0);
                    s0 = TW.Add(s0, TW.Multiply(TW.Splat(xv[ch]), kr));
                    s1 = TW.Add(s1, TW.Multiply(TW.Splat(xv[step + ch]), kr));
                    s2 = TW.Add(s2, TW.Multiply(TW.Splat(xv[2 * step + ch]), kr));
                    s3 = TW.Add(s3, TW.Multiply(TW.Splat(xv[3 * step + ch]), kr));
                }
            }
            TW.Store(s0, ref dst[j], 0); TW.Store(s1, ref dst[o + j], 0); TW.Store(s2, ref dst[2 * o + j], 0); TW.Store(s3, ref dst[3 * o + j], 0);
        }
        return j;
    }

    /// <summary>
    /// dst[0..o) = Σ_i Σ_ch x[cells[i] + ch] · k[(i·c + ch)·o + 0..o) over a whole window (cell i is kernel row i's): each
    /// input value broadcast against one kernel row, one vector of outputs at a time held in a register over the whole
    /// window (Vector512 where the hardware has it, else Vector256), then scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DirectCell<T>(T* x, long* cells, int count, T* k, int c, int o, T* dst) where T : unmanaged, INumber<T>
    {
        int j = 0;
        if (W512<T>.Accelerated) j = DirectCell<T, W512<T>, Vector512<T>>(x, cells, count, k, c, o, dst, j);
        if (W256<T>.Accelerated) j = DirectCell<T, W256<T>, Vector256<T>>(x, cells, count, k, c, o, dst, j);
        for (; j < o; j++)
        {
            T s = T.Zero;
            for (int i = 0; i < count; i++)
            {
                T* xv = x + cells[i], kv = k + (long)i * c * o + j;
                for (int ch = 0; ch < c; ch++, kv += o) s += xv[ch] * *kv;
            }
            dst[j] = s;
        }
    }

    /// <summary>DirectCell's vectors of one width from output j on; returns the first output left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DirectCell<T, TW, TV>(T* x, long* cells, int count, T* k, int c, int o, T* dst, int j)
        where T : unmanaged where TW : IWidth<T, TV> where TV : struct
    {
        for (; j + TW.Count <= o; j += TW.Count)
        {
            TV s0 = TW.Zero;
            for (int i = 0; i < count; i++)
            {
                T* xv = x + cells[i], kv = k + (long)i * c * o + j;
                for (int ch = 0; ch < c; ch++, kv += o) s0 = TW.Add(s0, TW.Multiply(TW.Splat(xv[ch]), TW.Load(ref *kv, 0)));
            }
            TW.Store(s0, ref dst[j], 0);
        }
        return j;
    }

    /// <summary>
    /// Gathers the patches of output cells [r0, r0 + rows) into cols (rows × KD·KH·KW·C): patch element (z, a, b, c)
    /// is x at (od·sd + z·dd − pd, oh·sh + a·dh − ph, ow·sw + b·dw − pw, c), zero outside x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Im2Col<T>(in ConvGeometry g, T* x, int r0, int rows, T* cols) where T : unmanaged
    {
        int depth = Depth(g), c = g.C, kw = g.K[2], rowRun = kw * c;
        int ow = r0 % g.Out[2], rest = r0 / g.Out[2], oh = rest % g.Out[1], od = rest / g.Out[1] % g.Out[0], n = rest / g.Out[1] / g.Out[0];
        for (int r = 0; r < rows; r++)
        {
            T* dst = cols + (long)r * depth;
            for (int z = 0; z < g.K[0]; z++)
            {
                int d = od * g.S[0] + z * g.D[0] - g.Pad[0];
                if ((uint)d >= (uint)g.In[0]) { new Span<T>(dst, g.K[1] * rowRun).Clear(); dst += g.K[1] * rowRun; continue; }
                for (int a = 0; a < g.K[1]; a++, dst += rowRun)
                {
                    int h = oh * g.S[1] + a * g.D[1] - g.Pad[1];
                    if ((uint)h >= (uint)g.In[1]) { new Span<T>(dst, rowRun).Clear(); continue; }
                    T* src = x + (((long)n * g.In[0] + d) * g.In[1] + h) * g.In[2] * c;
                    int w0 = ow * g.S[2] - g.Pad[2];
                    if (g.D[2] == 1)
                    {
                        // One run of the row: the taps inside x are contiguous in x.
                        int b0 = Math.Max(0, -w0), b1 = Math.Min(kw, g.In[2] - w0);
                        if (b1 <= b0) { new Span<T>(dst, rowRun).Clear(); continue; }
                        if (b0 > 0) new Span<T>(dst, b0 * c).Clear();
                        new ReadOnlySpan<T>(src + (long)(w0 + b0) * c, (b1 - b0) * c).CopyTo(new Span<T>(dst + b0 * c, (b1 - b0) * c));
                        if (b1 < kw) new Span<T>(dst + b1 * c, (kw - b1) * c).Clear();
                        continue;
                    }
                    for (int b = 0; b < kw; b++)
                    {
                        int w = w0 + b * g.D[2];
                        if ((uint)w >= (uint)g.In[2]) new Span<T>(dst + b * c, c).Clear();
                        else new ReadOnlySpan<T>(src + (long)w * c, c).CopyTo(new Span<T>(dst + b * c, c));
                    }
                }
            }
            if (++ow == g.Out[2]) { ow = 0; if (++oh == g.Out[1]) { oh = 0; if (++od == g.Out[0]) { od = 0; n++; } } }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col{T}"/>: adds each patch element of cols back into dx where it was read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Col2Im<T>(in ConvGeometry g, T* cols, int r0, int rows, T* dx) where T : unmanaged, INumber<T>
    {
        int depth = Depth(g), c = g.C, kw = g.K[2], rowRun = kw * c;
        int ow = r0 % g.Out[2], rest = r0 / g.Out[2], oh = rest % g.Out[1], od = rest / g.Out[1] % g.Out[0], n = rest / g.Out[1] / g.Out[0];
        for (int r = 0; r < rows; r++)
        {
            T* src = cols + (long)r * depth;
            for (int z = 0; z < g.K[0]; z++)
            {
                int d = od * g.S[0] + z * g.D[0] - g.Pad[0];
                if ((uint)d >= (uint)g.In[0]) { src += g.K[1] * rowRun; continue; }
                for (int a = 0; a < g.K[1]; a++, src += rowRun)
                {
                    int h = oh * g.S[1] + a * g.D[1] - g.Pad[1];
                    if ((uint)h >= (uint)g.In[1]) continue;
                    T* dst = dx + (((long)n * g.In[0] + d) * g.In[1] + h) * g.In[2] * c;
                    int w0 = ow * g.S[2] - g.Pad[2];
                    if (g.D[2] == 1)
                    {
                        int b0 = Math.Max(0, -w0), b1 = Math.Min(kw, g.In[2] - w0);
                        if (b1 <= b0) continue;
                        var run = new Span<T>(dst + (long)(w0 + b0) * c, (b1 - b0) * c);
                        TensorPrimitives.Add(run, new ReadOnlySpan<T>(src + b0 * c, (b1 - b0) * c), run);
                        continue;
                    }
                    for (int b = 0; b < kw; b++)
                    {
                        int w = w0 + b * g.D[2];
                        if ((uint)w >= (uint)g.In[2]) continue;
                        var run = new Span<T>(dst + (long)w * c, c);
                        TensorPrimitives.Add(run, new ReadOnlySpan<T>(src + b * c, c), run);
                    }
                }
            }
            if (++ow == g.Out[2]) { ow = 0; if (++oh == g.Out[1]) { oh = 0; if (++od == g.Out[0]) { od = 0; n++; } } }
        }
    }

    /// <summary>dst (cols × rows) = srcᵀ for a row-major src (rows × cols), in 16×16 blocks.</summary>
    private static void Transpose<T>(T* src, int rows, int cols, T* dst) where T : unmanaged
    {
        const int B = 16;
        for (int i0 = 0; i0 < rows; i0 += B)
        for (int j0 = 0; j0 < cols; j0 += B)
        {
            int i1 = Math.Min(rows, i0 + B), j1 = Math.Min(cols, j0 + B);
            for (int i = i0; i < i1; i++)
                for (int j = j0; j < j1; j++)
                    dst[(long)j * rows + i] = src[(long)i * cols + j];
        }
    }
}
