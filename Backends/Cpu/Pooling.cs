using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

/// <summary>Max and average pooling and their gradients on channels-last data (N, D, H, W, C).</summary>
/// <remarks>
/// Design: channels are innermost, so every window cell is a contiguous run of C values and the window
/// reduction is C-wide vector max/add held in registers over the window and stored once into the output cell's row. Cells of
/// a window outside x (the "same" border) are skipped: max ignores them and avg divides by the cells inside,
/// as TensorFlow's avg_pool does. Parts are rows of output cells (forward) or whole images (gradients, so no two
/// parts add into the same cells), run on every core through <see cref="Workers"/> above about a million
/// visited elements. The max gradient routes each window's value to the first cell holding the maximum (NaN
/// counts as the maximum, as numpy.max propagates it). Nothing is allocated per call.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Pooling
{
    private const long ParallelElements = 1 << 20;

    public static void Forward<T>(in ConvGeometry g, bool max, T* x, T* y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new Job<T> { G = g, Max = max, X = x, Y = y };
        int rows = g.N * g.Out[0] * g.Out[1];
        Run(ref job, rows, (long)rows * g.Out[2] * g.Window * g.C);
    }

    public static void Backward<T>(in ConvGeometry g, bool max, T* x, T* grad, T* dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new Job<T> { G = g, Max = max, X = x, Grad = grad, Dx = dx, Backward = true };
        Run(ref job, g.N, (long)g.N * g.OutSize * g.Window * g.C);
    }

    /// <summary>
    /// The cells of output cell (od, oh, ow)'s window that lie inside x, as element offsets within one channels-last
    /// image, in window order; returns how many. Cells in the "same" border are left out. When <paramref name="taps"/>
    /// is not empty it receives each cell's window position (z·KH + a)·KW + b. Shared with <see cref="Depthwise"/>,
    /// whose windows are dilated (a pool's dilation is 1).
    /// </summary>
    internal static int WindowCells(in ConvGeometry g, int od, int oh, int ow, Span<long> cells, Span<int> taps)
    {
        int count = 0;
        bool wantTaps = !taps.IsEmpty;
        for (int z = 0; z < g.K[0]; z++)
        {
            int d = od * g.S[0] + z * g.D[0] - g.Pad[0];
            if ((uint)d >= (uint)g.In[0]) continue;
            for (int a = 0; a < g.K[1]; a++)
            {
                int h = oh * g.S[1] + a * g.D[1] - g.Pad[1];
                if ((uint)h >= (uint)g.In[1]) continue;
                for (int b = 0; b < g.K[2]; b++)
                {
                    int w = ow * g.S[2] + b * g.D[2] - g.Pad[2];
                    if ((uint)w >= (uint)g.In[2]) continue;
                    if (wantTaps) taps[count] = (z * g.K[1] + a) * g.K[2] + b;
                    cells[count++] = (((long)d * g.In[1] + h) * g.In[2] + w) * g.C;
                }
            }
        }
        return count;
    }

    private static void Run<T>(ref Job<T> job, int parts, long work) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parts <= 1 || work < ParallelElements) { for (int p = 0; p < parts; p++) job.Run(p); return; }
        Workers.Run(ref job, parts);
    }

    private struct Job<T> : IWorkItem where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ConvGeometry G;
        public bool Max, Backward;
        public T* X, Y, Grad, Dx;

        public readonly void Run(int p)
        {
            if (Backward) BackwardImage(p);
            else ForwardRow(p);
        }

        /// <summary>Output row p = (n, od, oh): every output cell along the width.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void ForwardRow(int p)
        {
            var g = G;
            int c = g.C, oh = p % g.Out[1], od = p / g.Out[1] % g.Out[0], n = p / g.Out[1] / g.Out[0];
            T* xi = X + (long)n * g.InSize * c;
            long[]? rented = g.Window > 1024 ? System.Buffers.ArrayPool<long>.Shared.Rent(g.Window) : null;
            Span<long> cells = rented is null ? stackalloc long[1024] : rented;
            fixed (long* pc = cells)
                for (int ow = 0; ow < g.Out[2]; ow++)
                {
                    T* acc = Y + ((long)p * g.Out[2] + ow) * c;
                    int count = WindowCells(g, od, oh, ow, cells, default);
                    if (Max) WindowReduce<MaxOf<T>>(xi, pc, count, c, acc);
                    else
                    {
                        WindowReduce<SumOf<T>>(xi, pc, count, c, acc);
                        if (count > 1) TensorPrimitives.Multiply(new Span<T>(acc, c), T.One / T.CreateTruncating(count), new Span<T>(acc, c));
                    }
                }
            if (rented is not null) System.Buffers.ArrayPool<long>.Shared.Return(rented);
        }

        /// <summary>
        /// dst[0..c) = the window's cells x[cells[i] + 0..c) folded in window order by <typeparamref name="TOp"/> (the first
        /// cell copied): four vectors of channels at a time held in registers over the whole window (Vector512 where the
        /// hardware has it, else Vector256), then one vector, then scalars. An empty window leaves dst as it is.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void WindowReduce<TOp>(T* x, long* cells, int count, int c, T* dst) where TOp : struct, IFold<T>
        {
            if (count == 0) return;
            int ch = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                int w = Vector512<T>.Count;
                for (; ch + 4 * w <= c; ch += 4 * w)
                {
                    T* x0 = x + cells[0] + ch;
                    Vector512<T> s0 = Vector512.Load(x0), s1 = Vector512.Load(x0 + w), s2 = Vector512.Load(x0 + 2 * w), s3 = Vector512.Load(x0 + 3 * w);
                    for (int i = 1; i < count; i++)
                    {
                        T* xv = x + cells[i] + ch;
                        s0 = TOp.Fold(s0, Vector512.Load(xv)); s1 = TOp.Fold(s1, Vector512.Load(xv + w));
                        s2 = TOp.Fold(s2, Vector512.Load(xv + 2 * w)); s3 = TOp.Fold(s3, Vector512.Load(xv + 3 * w));
                    }
                    s0.Store(dst + ch); s1.Store(dst + ch + w); s2.Store(dst + ch + 2 * w); s3.Store(dst + ch + 3 * w);
                }
                for (; ch + w <= c; ch += w)
                {
                    var s0 = Vector512.Load(x + cells[0] + ch);
                    for (int i = 1; i < count; i++) s0 = TOp.Fold(s0, Vector512.Load(x + cells[i] + ch));
                    s0.Store(dst + ch);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                int w = Vector256<T>.Count;
                for (; ch + w <= c; ch += w)
                {
                    var s0 = Vector256.Load(x + cells[0] + ch);
                    for (int i = 1; i < count; i++) s0 = TOp.Fold(s0, Vector256.Load(x + cells[i] + ch));
                    s0.Store(dst + ch);
                }
            }
            for (; ch < c; ch++)
            {
                T s = x[cells[0] + ch];
                for (int i = 1; i < count; i++) s = TOp.Fold(s, x[cells[i] + ch]);
                dst[ch] = s;
            }
        }

        /// <summary>Image p: zero its gradient, then add every window's share.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void BackwardImage(int n)
        {
            var g = G;
            int c = g.C;
            long image = (long)g.InSize * c;
            new Span<T>(Dx + n * image, (int)image).Clear();
            T* xi = X + n * image, dxi = Dx + n * image;
            // The cells of one window inside x: on the stack, or rented for a huge window.
            long[]? rented = g.Window > 1024 ? System.Buffers.ArrayPool<long>.Shared.Rent(g.Window) : null;
            Span<long> cells = rented is null ? stackalloc long[1024] : rented;
            for (int od = 0; od < g.Out[0]; od++)
            for (int oh = 0; oh < g.Out[1]; oh++)
            for (int ow = 0; ow < g.Out[2]; ow++)
            {
                T* u = Grad + ((((long)n * g.Out[0] + od) * g.Out[1] + oh) * g.Out[2] + ow) * c;
                int count = WindowCells(g, od, oh, ow, cells, default);
                if (count == 0) continue;
                if (!Max)
                {
                    T share = T.One / T.CreateTruncating(count);
                    for (int i = 0; i < count; i++)
                    {
                        var dst = new Span<T>(dxi + cells[i], c);
                        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(u, c), share, dst, dst);
                    }
                    continue;
                }
                for (int ch = 0; ch < c; ch++)
                {
                    long best = cells[0];
                    T m = xi[best + ch];
                    for (int i = 1; i < count && !T.IsNaN(m); i++)
                    {
                        T v = xi[cells[i] + ch];
                        if (v > m || T.IsNaN(v)) { m = v; best = cells[i]; }
                    }
                    dxi[best + ch] += u[ch];
                }
            }
            if (rented is not null) System.Buffers.ArrayPool<long>.Shared.Return(rented);
        }
    }

    /// <summary>A pooling fold: one step of a window's reduction, on scalars and on vectors.</summary>
    private interface IFold<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract T Fold(T a, T b);
        static abstract Vector256<T> Fold(Vector256<T> a, Vector256<T> b);
        static abstract Vector512<T> Fold(Vector512<T> a, Vector512<T> b);
    }

    /// <summary>Max with NaN propagated (IEEE 754:2019 maximum, as numpy.max and TensorPrimitives.Max).</summary>
    private readonly struct MaxOf<T> : IFold<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Fold(T a, T b) => T.Max(a, b);
        public static Vector256<T> Fold(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
        public static Vector512<T> Fold(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
    }

    private readonly struct SumOf<T> : IFold<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Fold(T a, T b) => a + b;
        public static Vector256<T> Fold(Vector256<T> a, Vector256<T> b) => a + b;
        public static Vector512<T> Fold(Vector512<T> a, Vector512<T> b) => a + b;
    }
}
