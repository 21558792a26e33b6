using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace KerasBackend.Backends.Cpu;

/// <summary>resize_images (nearest, bilinear) and its gradient, in either data format, without a transpose.</summary>
/// <remarks>
/// Design: an image tensor is viewed as (outer, rows, cols, inner): channels_last is (N, H, W, C) with inner = C,
/// channels_first is (N·C, H, W, 1). The source taps of every output row and column come from
/// <see cref="ResizeTaps"/> (TensorFlow's half-pixel rules, shared with the numpy backend), tabulated once per call
/// in pooled arrays. Nearest copies runs of inner elements as bytes (any dtype); bilinear is two lerps per cell,
/// vectorized along the inner run; the gradient scatters each output cell's run back to its taps with their
/// weights. Parts are rows of outer (forward) or whole outer slices (gradient: no two parts add into the same
/// cells), on both cores above about a million elements.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Resizing
{
    private const long ParallelElements = 1 << 20;

    /// <summary>The (outer, rows, cols, inner) view of an input and its resized output.</summary>
    public readonly record struct View(int Outer, int H0, int W0, int H1, int W1, int Inner)
    {
        public static View Of(Tensor small, Tensor large, string? dataFormat)
        {
            bool cf = dataFormat == "channels_first";
            var s = small.Shape;
            return cf
                ? new View(s[0] * s[1], s[2], s[3], large.Shape[2], large.Shape[3], 1)
                : new View(s[0], s[1], s[2], large.Shape[1], large.Shape[2], s[3]);
        }
    }

    /// <summary>Per output row and column: the lower and upper source taps and the upper tap's weight.</summary>
    private readonly struct Tables : IDisposable
    {
        public readonly int[] Lo, Hi;
        public readonly double[] Weight;

        public Tables(View v, bool nearest)
        {
            int n = v.H1 + v.W1;
            Lo = ArrayPool<int>.Shared.Rent(n);
            Hi = ArrayPool<int>.Shared.Rent(n);
            Weight = ArrayPool<double>.Shared.Rent(n);
            for (int i = 0; i < n; i++)
            {
                bool row = i < v.H1;
                int at = row ? i : i - v.H1, input = row ? v.H0 : v.W0, output = row ? v.H1 : v.W1;
                if (nearest) { Lo[i] = Hi[i] = ResizeTaps.Nearest(at, input, output); Weight[i] = 0; }
                else (Lo[i], Hi[i], Weight[i]) = ResizeTaps.Bilinear(at, input, output);
            }
        }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(Lo);
            ArrayPool<int>.Shared.Return(Hi);
            ArrayPool<double>.Shared.Return(Weight);
        }
    }

    public static void Nearest(View v, Tensor x, Tensor y)
    {
        using var t = new Tables(v, true);
        int item = x.DType.ItemSize();
        fixed (byte* px = x.Bytes())
        fixed (byte* py = y.Bytes())
        fixed (int* lo = t.Lo)
        {
            var job = new Job<byte> { V = v, Lo = lo, X = px, Y = py, Item = item, Mode = 0 };
            Run(ref job, v.Outer * v.H1, (long)v.Outer * v.H1 * v.W1 * v.Inner);
        }
    }

    public static void Bilinear(View v, Tensor x, Tensor y)
    {
        using var t = new Tables(v, false);
        fixed (float* px = x.Span<float>())
        fixed (float* py = y.Span<float>())
        fixed (int* lo = t.Lo, hi = t.Hi)
        fixed (double* w = t.Weight)
        {
            var job = new Job<float> { V = v, Lo = lo, Hi = hi, W = w, X = px, Y = py, Mode = 1 };
            Run(ref job, v.Outer * v.H1, (long)v.Outer * v.H1 * v.W1 * v.Inner * 4);
        }
    }

    public static void Backward(View v, bool nearest, Tensor grad, Tensor dx)
    {
        if (dx.DType == DType.Float64) Backward<double>(v, nearest, grad, dx);
        else Backward<float>(v, nearest, grad, dx);
    }

    private static void Backward<T>(View v, bool nearest, Tensor grad, Tensor dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var t = new Tables(v, nearest);
        fixed (T* pg = grad.Span<T>())
        fixed (T* pd = dx.Span<T>())
        fixed (int* lo = t.Lo, hi = t.Hi)
        fixed (double* w = t.Weight)
        {
            var job = new Job<T> { V = v, Lo = lo, Hi = hi, W = w, X = pg, Y = pd, Mode = nearest ? 2 : 3 };
            Run(ref job, v.Outer, (long)v.Outer * v.H1 * v.W1 * v.Inner * (nearest ? 1 : 4));
        }
    }

    private static void Run<T>(ref Job<T> job, int parts, long work) where T : unmanaged
    {
        if (parts <= 1 || work < ParallelElements) { for (int p = 0; p < parts; p++) job.Run(p); return; }
        Workers.Run(ref job, parts);
    }

    /// <summary>Mode 0: nearest rows (bytes); 1: bilinear rows (float); 2, 3: nearest / bilinear gradient of one outer slice.</summary>
    private struct Job<T> : IWorkItem where T : unmanaged
    {
        public View V;
        public int* Lo, Hi;
        public double* W;
        public T* X, Y;
        public int Item, Mode;

        public readonly void Run(int p)
        {
            switch (Mode)
            {
                case 0: NearestRow(p); break;
                case 1: BilinearRow(p); break;
                default: GradientSlice(p); break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void NearestRow(int p)
        {
            var v = V;
            int o = p / v.H1, i = p % v.H1, run = v.Inner * Item;
            byte* src = (byte*)X + ((long)o * v.H0 + Lo[i]) * v.W0 * run, dst = (byte*)Y + (long)p * v.W1 * run;
            int* cols = Lo + v.H1;
            for (int j = 0; j < v.W1; j++)
                Buffer.MemoryCopy(src + (long)cols[j] * run, dst + (long)j * run, run, run);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void BilinearRow(int p)
        {
            var v = V;
            int o = p / v.H1, i = p % v.H1, c = v.Inner;
            float* x = (float*)X, top = x + ((long)o * v.H0 + Lo[i]) * v.W0 * c, bottom = x + ((long)o * v.H0 + Hi[i]) * v.W0 * c;
            float* dst = (float*)Y + (long)p * v.W1 * c;
            float wy = (float)W[i];
            int* left = Lo + v.H1, right = Hi + v.H1;
            double* wx = W + v.H1;
            for (int j = 0; j < v.W1; j++, dst += c)
            {
                float a = (float)wx[j];
                long l = (long)left[j] * c, r = (long)right[j] * c;
                if (c == 1)
                {
                    // ResizeBilinear's order: top and bottom lerped along the row, then between them.
                    float t = top[l] + (top[r] - top[l]) * a, b = bottom[l] + (bottom[r] - bottom[l]) * a;
                    *dst = t + (b - t) * wy;
                    continue;
                }
                // dst = the top row's lerp (vectorized), then moved towards the bottom row's lerp by wy.
                var d = new Span<float>(dst, c);
                TensorPrimitives.Lerp(new ReadOnlySpan<float>(top + l, c), new ReadOnlySpan<float>(top + r, c), a, d);
                if (wy == 0) continue;
                for (int k = 0; k < c; k++)
                {
                    float b = bottom[l + k] + (bottom[r + k] - bottom[l + k]) * a;
                    dst[k] += (b - dst[k]) * wy;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void GradientSlice(int o)
        {
            var v = V;
            int c = v.Inner;
            bool nearest = Mode == 2;
            long image = (long)v.H0 * v.W0 * c;
            T* dx = Y + o * image, g = X + (long)o * v.H1 * v.W1 * c;
            new Span<T>(dx, (int)image).Clear();
            int* left = Lo + v.H1, right = Hi + v.H1;
            double* wx = W + v.H1;
            for (int i = 0; i < v.H1; i++)
            for (int j = 0; j < v.W1; j++, g += c)
            {
                var u = new ReadOnlySpan<T>(g, c);
                long tl = ((long)Lo[i] * v.W0 + left[j]) * c;
                if (nearest) { Add(dx + tl, u, 1); continue; }
                double wy = W[i], a = wx[j];
                long tr = ((long)Lo[i] * v.W0 + right[j]) * c, bl = ((long)Hi[i] * v.W0 + left[j]) * c, br = ((long)Hi[i] * v.W0 + right[j]) * c;
                Add(dx + tl, u, (1 - wy) * (1 - a));
                Add(dx + tr, u, (1 - wy) * a);
                Add(dx + bl, u, wy * (1 - a));
                Add(dx + br, u, wy * a);
            }
        }

        private static void Add(T* dst, ReadOnlySpan<T> u, double weight)
        {
            if (weight == 0) return;
            var d = new Span<T>(dst, u.Length);
            if (typeof(T) == typeof(float))
            {
                var df = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(d);
                TensorPrimitives.MultiplyAdd(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(u), (float)weight, df, df);
            }
            else
            {
                var dd = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(d);
                TensorPrimitives.MultiplyAdd(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(u), weight, dd, dd);
            }
        }
    }
}
