using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// A reduction operator: its identity, the reduction of one contiguous run, and the vectorized
/// "accumulate a run into a run" step. <c>aux</c> carries a per-output value (the mean, for variance);
/// operators that do not need it ignore it.
/// </summary>
internal interface IReduceOp<T> where T : unmanaged, INumber<T>
{
    static abstract T Identity { get; }
    static abstract T Reduce(ReadOnlySpan<T> x, T aux);
    static abstract T Combine(T a, T b);
    static abstract void Accumulate(Span<T> acc, ReadOnlySpan<T> x, ReadOnlySpan<T> aux);
    /// <summary>One element folded into an accumulator (for runs too short to pay for a span call).</summary>
    static abstract T Step(T acc, T x, T aux);
}

internal readonly struct SumReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.Zero;
    public static T Reduce(ReadOnlySpan<T> x, T aux) => TensorPrimitives.Sum(x);
    public static T Combine(T a, T b) => a + b;
    public static void Accumulate(Span<T> acc, ReadOnlySpan<T> x, ReadOnlySpan<T> aux) => TensorPrimitives.Add(acc, x, acc);
    public static T Step(T acc, T x, T aux) => acc + x;
}

internal readonly struct ProdReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.One;
    public static T Reduce(ReadOnlySpan<T> x, T aux) => TensorPrimitives.Product(x);
    public static T Combine(T a, T b) => a * b;
    public static void Accumulate(Span<T> acc, ReadOnlySpan<T> x, ReadOnlySpan<T> aux) => TensorPrimitives.Multiply(acc, x, acc);
    public static T Step(T acc, T x, T aux) => acc * x;
}

/// <summary>max; T.Max and TensorPrimitives.Max propagate NaN as numpy does. Identity: -inf (floats) or the minimum value.</summary>
internal readonly struct MaxReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.CreateSaturating(double.NegativeInfinity);
    public static T Reduce(ReadOnlySpan<T> x, T aux) => TensorPrimitives.Max(x);
    public static T Combine(T a, T b) => T.Max(a, b);
    public static void Accumulate(Span<T> acc, ReadOnlySpan<T> x, ReadOnlySpan<T> aux) => TensorPrimitives.Max(acc, x, acc);
    public static T Step(T acc, T x, T aux) => T.Max(acc, x);
}

internal readonly struct MinReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.CreateSaturating(double.PositiveInfinity);
    public static T Reduce(ReadOnlySpan<T> x, T aux) => TensorPrimitives.Min(x);
    public static T Combine(T a, T b) => T.Min(a, b);
    public static void Accumulate(Span<T> acc, ReadOnlySpan<T> x, ReadOnlySpan<T> aux) => TensorPrimitives.Min(acc, x, acc);
    public static T Step(T acc, T x, T aux) => T.Min(acc, x);
}

/// <summary>Σ (x - m)², m the per-output mean in <c>aux</c>: the second pass of variance, fused so nothing is materialized.</summary>
internal readonly struct SquaredDeviationReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.Zero;
    public static T Combine(T a, T b) => a + b;
    public static T Step(T acc, T x, T m) { T d = x - m; return acc + d * d; }

    public static T Reduce(ReadOnlySpan<T> x, T m)
    {
        ref T p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        int i = 0, n = x.Length;
        T s = T.Zero;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            var acc = Vector512<T>.Zero;
            var mv = Vector512.Create(m);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var d = Vector512.LoadUnsafe(ref p, (nuint)i) - mv;
                acc += d * d;
            }
            s = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            var acc = Vector256<T>.Zero;
            var mv = Vector256.Create(m);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var d = Vector256.LoadUnsafe(ref p, (nuint)i) - mv;
                acc += d * d;
            }
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++) { T d = Unsafe.Add(ref p, i) - m; s += d * d; }
        return s;
    }

    public static void Accumulate(Span<T> acc, ReadOnlySpan<T> x, ReadOnlySpan<T> m)
    {
        ref T a = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(acc);
        ref T p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref T q = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(m);
        int i = 0, n = x.Length;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var d = Vector512.LoadUnsafe(ref p, (nuint)i) - Vector512.LoadUnsafe(ref q, (nuint)i);
                (Vector512.LoadUnsafe(ref a, (nuint)i) + d * d).StoreUnsafe(ref a, (nuint)i);
            }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var d = Vector256.LoadUnsafe(ref p, (nuint)i) - Vector256.LoadUnsafe(ref q, (nuint)i);
                (Vector256.LoadUnsafe(ref a, (nuint)i) + d * d).StoreUnsafe(ref a, (nuint)i);
            }
        for (; i < n; i++) { T d = Unsafe.Add(ref p, i) - Unsafe.Add(ref q, i); Unsafe.Add(ref a, i) += d * d; }
    }
}

/// <summary>
/// Reductions over any set of axes in one pass, with no temporaries. Size-1 axes are dropped and adjacent
/// reduced (or kept) axes merged, giving dims d0..dm-1. The input is walked in contiguous runs of the last
/// merged dim: when it is reduced, each run collapses with a span reduction into one output element; when it
/// is kept, each run is accumulated (vector op) into a contiguous output run. Either way every memory access
/// is contiguous, whatever the axes. Large inputs are split in two along d0 and run on both cores.
/// </summary>
internal static class Reductions
{
    /// <summary>Below this many input elements one core does the work.</summary>
    internal const int ParallelThreshold = 1 << 17;

    /// <summary>Reduces <paramref name="x"/> over <paramref name="axes"/> into <paramref name="output"/> (same dtype T).</summary>
    public static void Reduce<T, TOp>(Tensor x, int[] axes, Tensor output, Tensor? aux = null)
        where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        if (output.Size == 0) return;
        Span<int> dims = stackalloc int[Math.Max(x.Rank, 1)];
        Span<bool> red = stackalloc bool[Math.Max(x.Rank, 1)];
        int m = Plan(x.Shape, axes, dims, red);
        dims = dims[..m]; red = red[..m];
        if (x.Size == 0) { output.Span<T>().Fill(TOp.Identity); return; }
        output.Span<T>().Fill(TOp.Identity);
        if (x.Size >= ParallelThreshold && Environment.ProcessorCount > 1 && m > 0 && dims[0] >= 2)
            RunParallel<T, TOp>(x, output, aux, dims.ToArray(), red.ToArray());
        else
            Run<T, TOp>(x.ReadOnlySpan<T>(), output.Span<T>(), aux is null ? default : aux.ReadOnlySpan<T>(), dims, red);
    }

    /// <summary>Number of elements reduced into each output element.</summary>
    public static int Count(Shape shape, int[] axes)
    {
        int c = 1;
        foreach (var a in axes) if (a < shape.Rank) c *= shape[a];
        return c;
    }

    private static int Plan(Shape shape, int[] axes, Span<int> dims, Span<bool> red)
    {
        int m = 0;
        for (int i = 0; i < shape.Rank; i++)
        {
            int d = shape[i];
            if (d == 1) continue;
            bool r = Array.IndexOf(axes, i) >= 0;
            if (m > 0 && red[m - 1] == r) dims[m - 1] *= d;
            else { dims[m] = d; red[m] = r; m++; }
        }
        return m;
    }

    private static void Run<T, TOp>(ReadOnlySpan<T> src, Span<T> dst, ReadOnlySpan<T> aux, ReadOnlySpan<int> dims, ReadOnlySpan<bool> red)
        where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        int m = dims.Length;
        if (m == 0 || !ContainsReduced(red))
        {
            // Nothing to reduce (every reduced axis has length 1): combine each element with the identity.
            if (m == 0) dst[0] = TOp.Combine(dst[0], TOp.Reduce(src[..1], aux.IsEmpty ? T.Zero : aux[0]));
            else TOp.Accumulate(dst, src, aux.IsEmpty ? dst : aux);
            return;
        }
        int len = dims[m - 1];
        bool lastReduced = red[m - 1];
        int rows = src.Length / len;
        // Output stride of each outer dim (0 for reduced dims): the output offset moves only along kept dims.
        Span<int> ostride = stackalloc int[m];
        int acc = lastReduced ? 1 : len;
        for (int d = m - 2; d >= 0; d--) { ostride[d] = red[d] ? 0 : acc; if (!red[d]) acc *= dims[d]; }
        Span<int> idx = stackalloc int[m];
        int o = 0;
        // Runs shorter than this are folded element by element: a span call per 2 or 3 elements costs more.
        const int ShortRun = 8;
        for (int row = 0; row < rows; row++)
        {
            var run = src.Slice(row * len, len);
            if (len < ShortRun)
            {
                if (lastReduced)
                {
                    T a = dst[o], mo = aux.IsEmpty ? T.Zero : aux[o];
                    foreach (var v in run) a = TOp.Step(a, v, mo);
                    dst[o] = a;
                }
                else
                    for (int i = 0; i < len; i++) dst[o + i] = TOp.Step(dst[o + i], run[i], aux.IsEmpty ? T.Zero : aux[o + i]);
            }
            else if (lastReduced) dst[o] = TOp.Combine(dst[o], TOp.Reduce(run, aux.IsEmpty ? T.Zero : aux[o]));
            else TOp.Accumulate(dst.Slice(o, len), run, aux.IsEmpty ? dst.Slice(o, len) : aux.Slice(o, len));
            for (int d = m - 2; d >= 0; d--)
            {
                o += ostride[d];
                if (++idx[d] < dims[d]) break;
                o -= ostride[d] * dims[d];
                idx[d] = 0;
            }
        }
    }

    private static bool ContainsReduced(ReadOnlySpan<bool> red)
    {
        foreach (var r in red) if (r) return true;
        return false;
    }

    /// <summary>
    /// Two halves of d0. A kept d0 splits the output into disjoint blocks. A reduced d0 gives each half a
    /// whole partial output; the second half's partial (a pooled buffer) is then combined into the first.
    /// </summary>
    private static void RunParallel<T, TOp>(Tensor x, Tensor output, Tensor? aux, int[] dims, bool[] red)
        where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        int d0 = dims[0], half = d0 / 2;
        int srcBlock = x.Size / d0;
        var dimsA = (int[])dims.Clone(); dimsA[0] = half;
        var dimsB = (int[])dims.Clone(); dimsB[0] = d0 - half;
        if (!red[0])
        {
            int dstBlock = output.Size / d0;
            Parallel.Invoke(
                () => Run<T, TOp>(x.ReadOnlySpan<T>()[..(half * srcBlock)], output.Span<T>()[..(half * dstBlock)],
                    aux is null ? default : aux.ReadOnlySpan<T>()[..(half * dstBlock)], dimsA, red),
                () => Run<T, TOp>(x.ReadOnlySpan<T>()[(half * srcBlock)..], output.Span<T>()[(half * dstBlock)..],
                    aux is null ? default : aux.ReadOnlySpan<T>()[(half * dstBlock)..], dimsB, red));
            return;
        }
        using var partial = Tensor.Uninitialized(output.DType, output.Shape);
        partial.Span<T>().Fill(TOp.Identity);
        Parallel.Invoke(
            () => Run<T, TOp>(x.ReadOnlySpan<T>()[..(half * srcBlock)], output.Span<T>(), aux is null ? default : aux.ReadOnlySpan<T>(), dimsA, red),
            () => Run<T, TOp>(x.ReadOnlySpan<T>()[(half * srcBlock)..], partial.Span<T>(), aux is null ? default : aux.ReadOnlySpan<T>(), dimsB, red));
        CombineInto<T, TOp>(output.Span<T>(), partial.ReadOnlySpan<T>());
    }

    private static void CombineInto<T, TOp>(Span<T> dst, ReadOnlySpan<T> partial) where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        // SquaredDeviation's Accumulate would square the partial; combining partials is plain Combine.
        if (typeof(TOp) == typeof(SquaredDeviationReduce<T>)) { TensorPrimitives.Add(dst, partial, dst); return; }
        TOp.Accumulate(dst, partial, dst);
    }

    public static void Sum<T>(Tensor x, int[] axes, Tensor output) where T : unmanaged, INumber<T> =>
        Reduce<T, SumReduce<T>>(x, axes, output);
}
