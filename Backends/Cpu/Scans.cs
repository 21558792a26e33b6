using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// cumsum/cumprod along one axis, viewed as (outer, n, inner). With inner &gt; 1 each step is a vector op on
/// whole contiguous rows (row j = row j-1 ∘ x row j), so a leading or middle axis costs the same as a copy;
/// only the innermost axis (inner = 1) is a sequential scalar chain per row, which a scan is by nature.
/// Large inputs are split across the cores by outer blocks, or by columns when there is a single block.
/// </summary>
internal static class Scans
{
    public static void Scan<T>(Tensor x, int axis, Tensor output, bool product) where T : unmanaged, INumber<T>
    {
        if (output.Size == 0) return;
        var (outer, n, inner) = Indexing.AroundAxis(x.Shape, axis);
        if (x.Size < Reductions.ParallelThreshold || Workers.Threads < 2 || (outer < 2 && inner < 2))
        {
            Block<T>(x.ReadOnlySpan<T>(), output.Span<T>(), 0, outer, 0, inner, n, inner, product);
            return;
        }
        var job = new ScanJob<T> { X = x, D = output, Outer = outer, N = n, Inner = inner, Product = product };
        // Whole outer blocks when there are several; else column ranges (multiples of 16 elements) of the single block.
        job.ByColumns = outer < 2;
        int length = job.ByColumns ? inner : outer, parts = Math.Min(length, Workers.Threads * (job.ByColumns ? 1 : 4));
        job.Step = (length + parts - 1) / parts;
        if (job.ByColumns) job.Step = (job.Step + 15) & ~15;
        job.Length = length;
        Workers.Run(ref job, (length + job.Step - 1) / job.Step);
    }

    private struct ScanJob<T> : IWorkItem where T : unmanaged, INumber<T>
    {
        public Tensor X, D;
        public int Outer, N, Inner, Step, Length;
        public bool ByColumns, Product;

        public readonly void Run(int part)
        {
            int a = part * Step, b = Math.Min(Length, a + Step);
            if (ByColumns) Block<T>(X.ReadOnlySpan<T>(), D.Span<T>(), 0, 1, a, b, N, Inner, Product);
            else Block<T>(X.ReadOnlySpan<T>(), D.Span<T>(), a, b, 0, Inner, N, Inner, Product);
        }
    }

    /// <summary>Scans blocks [o0, o1) restricted to columns [c0, c1) of each row.</summary>
    private static void Block<T>(ReadOnlySpan<T> src, Span<T> dst, int o0, int o1, int c0, int c1, int n, int inner, bool product)
        where T : unmanaged, INumber<T>
    {
        int w = c1 - c0;
        if (inner == 1)
        {
            if (n == 0) return;
            // The innermost axis: each element depends on the previous one, so one row is a chain of dependent
            // adds; four rows side by side keep four independent chains in flight (same order, same results).
            int o = o0;
            for (; o + 4 <= o1; o += 4)
            {
                if (product) Rows4<T, MulStep<T>>(src.Slice(o * n, 4 * n), dst.Slice(o * n, 4 * n), n);
                else Rows4<T, AddStep<T>>(src.Slice(o * n, 4 * n), dst.Slice(o * n, 4 * n), n);
            }
            for (; o < o1; o++)
            {
                int b = o * n;
                T acc = src[b];
                dst[b] = acc;
                for (int j = 1; j < n; j++) { acc = product ? acc * src[b + j] : acc + src[b + j]; dst[b + j] = acc; }
            }
            return;
        }
        for (int o = o0; o < o1; o++)
        {
            int b = o * n * inner;
            src.Slice(b + c0, w).CopyTo(dst.Slice(b + c0, w));
            for (int j = 1; j < n; j++)
            {
                var prev = dst.Slice(b + (j - 1) * inner + c0, w);
                var cur = dst.Slice(b + j * inner + c0, w);
                var x = src.Slice(b + j * inner + c0, w);
                if (product) TensorPrimitives.Multiply(prev, x, cur);
                else TensorPrimitives.Add(prev, x, cur);
            }
        }
    }

    private interface IStep<T> { static abstract T Apply(T acc, T x); }
    private readonly struct AddStep<T> : IStep<T> where T : INumber<T> { public static T Apply(T acc, T x) => acc + x; }
    private readonly struct MulStep<T> : IStep<T> where T : INumber<T> { public static T Apply(T acc, T x) => acc * x; }

    /// <summary>Scans four consecutive rows of length n (src and dst hold exactly 4·n elements).</summary>
    private static void Rows4<T, TS>(ReadOnlySpan<T> src, Span<T> dst, int n) where T : unmanaged, INumber<T> where TS : IStep<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        T a0 = s, a1 = Unsafe.Add(ref s, n), a2 = Unsafe.Add(ref s, 2 * n), a3 = Unsafe.Add(ref s, 3 * n);
        d = a0; Unsafe.Add(ref d, n) = a1; Unsafe.Add(ref d, 2 * n) = a2; Unsafe.Add(ref d, 3 * n) = a3;
        for (int j = 1; j < n; j++)
        {
            a0 = TS.Apply(a0, Unsafe.Add(ref s, j));
            a1 = TS.Apply(a1, Unsafe.Add(ref s, n + j));
            a2 = TS.Apply(a2, Unsafe.Add(ref s, 2 * n + j));
            a3 = TS.Apply(a3, Unsafe.Add(ref s, 3 * n + j));
            Unsafe.Add(ref d, j) = a0;
            Unsafe.Add(ref d, n + j) = a1;
            Unsafe.Add(ref d, 2 * n + j) = a2;
            Unsafe.Add(ref d, 3 * n + j) = a3;
        }
    }
}
