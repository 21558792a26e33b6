using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// Reductions over any set of axes. Adjacent reduced/kept axes are merged, so the work is a sequence of
/// (outer, reduced, inner) passes: reducing the last axis is a contiguous span reduction per row; reducing
/// a middle or leading axis accumulates whole inner rows with vector adds (no strided scalar loops).
/// </summary>
internal static class Reductions
{
    public static void Sum<T>(Tensor x, int[] axes, Tensor output) where T : unmanaged, INumber<T>
    {
        var src = x.ReadOnlySpan<T>();
        var dst = output.Span<T>();
        if (dst.Length == 0) return;
        if (src.Length == 0) { dst.Clear(); return; }
        if (axes.Length == 0) { src.CopyTo(dst); return; } // numpy: a sum over no axes is the identity
        // Reduce axes one at a time from the last, into temporaries; each pass is (outer, n, inner).
        var shape = x.Shape.ToArray();
        ReadOnlySpan<T> input = src;
        for (int k = axes.Length - 1; k >= 0; k--)
        {
            int ax = axes[k];
            int outer = 1, inner = 1;
            for (int i = 0; i < ax; i++) outer *= shape[i];
            for (int i = ax + 1; i < shape.Length; i++) inner *= shape[i];
            int n = shape[ax];
            T[]? tmp = k == 0 ? null : new T[outer * inner];
            Span<T> next = tmp is null ? dst : tmp;
            SumAxis(input, outer, n, inner, next);
            if (tmp is not null) input = tmp;
            shape[ax] = 1;
        }
    }

    private static void SumAxis<T>(ReadOnlySpan<T> src, int outer, int n, int inner, Span<T> dst) where T : unmanaged, INumber<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) dst[o] = TensorPrimitives.Sum(src.Slice(o * n, n));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var acc = dst.Slice(o * inner, inner);
            acc.Clear();
            for (int j = 0; j < n; j++) TensorPrimitives.Add(acc, src.Slice((o * n + j) * inner, inner), acc);
        }
    }
}
