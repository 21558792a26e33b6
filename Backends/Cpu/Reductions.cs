using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;

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
    /// <summary>Σ x through the shared fold (four Vector512 accumulators): over the rows of (4096,4096) float32 on two
    /// cores 1.43–1.62 ms against 1.85–2.05 ms for TensorPrimitives.Sum per row, same process, quiet machine.</summary>
    public static T Reduce(ReadOnlySpan<T> x, T aux) => VectorLoops.Fold(x, default(SumFold<T>));
    public static T Combine(T a, T b) => a + b;
    public static void Accumulate(Span<T> acc, ReadOnlySpan<T> x, ReadOnlySpan<T> aux) => TensorPrimitives.Add(acc, x, acc);
    public static T Step(T acc, T x, T aux) => acc + x;

    /// <summary>acc += (x0 + x1) + (x2 + x3): four rows of a reduced axis in one pass over the accumulator row,
    /// which otherwise shares L1 with the streaming input and is read and written once per row.</summary>
    public static void Accumulate4(Span<T> acc, ReadOnlySpan<T> x0, ReadOnlySpan<T> x1, ReadOnlySpan<T> x2, ReadOnlySpan<T> x3)
    {
        ref T a = ref MemoryMarshal.GetReference(acc);
        ref T p0 = ref MemoryMarshal.GetReference(x0);
        ref T p1 = ref MemoryMarshal.GetReference(x1);
        ref T p2 = ref MemoryMarshal.GetReference(x2);
        ref T p3 = ref MemoryMarshal.GetReference(x3);
        int i = 0, n = acc.Length;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                nuint k = (nuint)i;
                var s = (Vector512.LoadUnsafe(ref p0, k) + Vector512.LoadUnsafe(ref p1, k)) + (Vector512.LoadUnsafe(ref p2, k) + Vector512.LoadUnsafe(ref p3, k));
                (Vector512.LoadUnsafe(ref a, k) + s).StoreUnsafe(ref a, k);
            }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                nuint k = (nuint)i;
                var s = (Vector256.LoadUnsafe(ref p0, k) + Vector256.LoadUnsafe(ref p1, k)) + (Vector256.LoadUnsafe(ref p2, k) + Vector256.LoadUnsafe(ref p3, k));
                (Vector256.LoadUnsafe(ref a, k) + s).StoreUnsafe(ref a, k);
            }
        for (; i < n; i++) Unsafe.Add(ref a, i) += (Unsafe.Add(ref p0, i) + Unsafe.Add(ref p1, i)) + (Unsafe.Add(ref p2, i) + Unsafe.Add(ref p3, i));
    }
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
    public static T Reduce(ReadOnlySpan<T> x, T aux) =>
        typeof(T) == typeof(float) ? Unsafe.BitCast<float, T>(RowMax.Float32(MemoryMarshal.Cast<T, float>(x))) : TensorPrimitives.Max(x);
    public static T Combine(T a, T b) => T.Max(a, b);
    public static void Accumulate(Span<T> acc, ReadOnlySpan<T> x, ReadOnlySpan<T> aux) => TensorPrimitives.Max(acc, x, acc);
    public static T Step(T acc, T x, T aux) => T.Max(acc, x);
}

/// <summary>The maximum of a float32 run, for row reductions (<see cref="Float32"/>) and softmax's shift (<see cref="Shift"/>).</summary>
/// <remarks>TensorPrimitives.Max runs one accumulator through the IEEE 754:2019 maximum (several instructions) and tests
/// for NaN at every vector: about 2.5× the time of this loop on L2-resident rows here. This one keeps four accumulators of
/// plain vmaxps (one instruction each) and, for <see cref="Float32"/>, a running sum beside them: NaN or ±inf anywhere
/// makes the sum non-finite, and so does a sum that overflows; then, and when the result is ±0 (whose sign vmaxps picks by
/// operand order), the row goes through TensorPrimitives.Max, so the result is exactly its result. The first 16 and the
/// last 8 elements are loaded whole (unaligned) and the main loop starts at the first 64-byte boundary
/// (<see cref="VectorLoops.ToCacheLine{T}"/>): max is idempotent and the sum only tests finiteness, so elements seen twice
/// are harmless, and no load in the loop splits a cache line (L1-resident 1024-float rows: 23 against 35 µs per 10⁶
/// elements unaligned, one Zen 4 core).
/// <para>256-bit vectors, not 512: the same speed on L1-resident rows (24 against 23 µs per 10⁶), and 7–17 % faster on
/// rows streamed from memory — (4096,4096) rows on 2 threads, 3 quiet runs of one process alternating both loops over the
/// same buffer: 3.1 against 3.7 ms, 4.2 against 4.7, 3.7 against 4.0 (uptime load 4–10, 1–4 running). Through the op, same
/// process against the previous build and ONNX Runtime (2 threads), load 2.6: max over all of (4096,4096) 2.14 against 2.77 ms
/// (ORT/cpu 1.56); max over axis −1 2.59 against 2.63 ms (ORT/cpu 0.81).</para>
/// <para>Open: the same bytes cost about 25 % more as 4096 calls on 16 KB rows than as a few long calls (2 threads,
/// 3.4 against 4.3 ms medians), whatever the split (2 to 256 parts); not fixed by 256-bit loads, software prefetch
/// (512 B to 4 KB ahead), or keeping the per-row horizontal reduction out of the streaming loop (a block kernel).</para></remarks>
internal static class RowMax
{
    /// <summary>Exactly TensorPrimitives.Max of the run (NaN-propagating, the sign of a zero maximum included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Float32(ReadOnlySpan<float> x) => Max(x, exact: true);

    /// <summary>
    /// The maximum for a softmax-style shift, without the exactness check: with no NaN in the run it is the maximum (a
    /// zero of either sign); with a NaN it may be NaN or the maximum of some of the other elements. exp(x − shift) of the
    /// NaN element is NaN either way, so the shifted sum, and every output divided by it, is NaN as numpy's is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Shift(ReadOnlySpan<float> x) => Max(x, exact: false);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Max(ReadOnlySpan<float> x, bool exact)
    {
        int n = x.Length;
        if (!Avx.IsSupported || n < 64) return TensorPrimitives.Max(x);
        ref float p = ref MemoryMarshal.GetReference(x);
        // The first 16 and the last 8 elements, loaded whole: they cover what the aligned loop leaves out.
        var h0 = Vector256.LoadUnsafe(ref p);
        var h1 = Vector256.LoadUnsafe(ref p, 8);
        var tail = Vector256.LoadUnsafe(ref p, (nuint)n - 8);
        Vector256<float> a0 = Avx.Max(h0, h1), a1 = Avx.Max(a0, tail), a2 = a1, a3 = a1, s0 = default, s1 = default;
        if (exact) s0 = (h0 + h1) + tail;
        nuint i = (nuint)VectorLoops.ToCacheLine(ref p), end = (nuint)n;
        for (; i + 32 <= end; i += 32)
        {
            var v0 = Vector256.LoadUnsafe(ref p, i);
            var v1 = Vector256.LoadUnsafe(ref p, i + 8);
            var v2 = Vector256.LoadUnsafe(ref p, i + 16);
            var v3 = Vector256.LoadUnsafe(ref p, i + 24);
            a0 = Avx.Max(a0, v0);
            a1 = Avx.Max(a1, v1);
            a2 = Avx.Max(a2, v2);
            a3 = Avx.Max(a3, v3);
            if (exact)
            {
                s0 += v0 + v1;
                s1 += v2 + v3;
            }
        }
        for (; i + 8 <= end; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref p, i);
            a0 = Avx.Max(a0, v);
            if (exact) s0 += v;
        }
        var a = Avx.Max(Avx.Max(a0, a1), Avx.Max(a2, a3));
        var q = Sse.Max(a.GetLower(), a.GetUpper());
        q = Sse.Max(q, Sse.Shuffle(q, q, 0b_01_00_11_10));
        q = Sse.Max(q, Sse.Shuffle(q, q, 0b_10_11_00_01));
        float m = q.ToScalar();
        if (exact && (!float.IsFinite(Vector256.Sum(s0 + s1)) || m == 0)) return TensorPrimitives.Max(x);
        return m;
    }
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

    public static T Reduce(ReadOnlySpan<T> x, T m) => VectorLoops.Fold(x, new SquaredDeviationFold<T>(m));

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

/// <summary>Σ x as a fold (integers wrap).</summary>
internal readonly struct SumFold<T> : IFoldBody<T> where T : unmanaged, INumber<T>
{
    public T Identity => T.Zero;
    public T Invoke(T acc, T x) => acc + x;
    public Vector128<T> Invoke(Vector128<T> acc, Vector128<T> x) => acc + x;
    public Vector256<T> Invoke(Vector256<T> acc, Vector256<T> x) => acc + x;
    public Vector512<T> Invoke(Vector512<T> acc, Vector512<T> x) => acc + x;
    public T Combine(T a, T b) => a + b;
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}

/// <summary>Σ (x − m)² as a fold: each element (lane) adds its squared deviation from m.</summary>
internal readonly struct SquaredDeviationFold<T>(T m) : IFoldBody<T> where T : unmanaged, INumber<T>
{
    public T Identity => T.Zero;
    public T Invoke(T acc, T x) { T d = x - m; return acc + d * d; }
    public Vector128<T> Invoke(Vector128<T> acc, Vector128<T> x) { var d = x - Vector128.Create(m); return acc + d * d; }
    public Vector256<T> Invoke(Vector256<T> acc, Vector256<T> x) { var d = x - Vector256.Create(m); return acc + d * d; }
    public Vector512<T> Invoke(Vector512<T> acc, Vector512<T> x) { var d = x - Vector512.Create(m); return acc + d * d; }
    public T Combine(T a, T b) => a + b;
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}

/// <summary>
/// Reductions over any set of axes in one pass, with no temporaries. Size-1 axes are dropped and adjacent
/// reduced (or kept) axes merged, giving dims d0..dm-1. The input is walked in contiguous runs of the last
/// merged dim: when it is reduced, each run collapses with a span reduction into one output element; when it
/// is kept, each run is accumulated (vector op) into a contiguous output run. Either way every memory access
/// is contiguous, whatever the axes. Large inputs are split across the cores (see <see cref="RunParallel"/>).
/// </summary>
internal static class Reductions
{
    /// <summary>Below this many input elements one core does the work.</summary>
    internal const int ParallelThreshold = 1 << 17;

    /// <summary>Reduces <paramref name="x"/> over <paramref name="axes"/> into <paramref name="output"/> (same dtype T).</summary>
    public static void Reduce<T, TOp>(Tensor x, int[] axes, Tensor output, T[]? aux = null)
        where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        output.Span<T>(); // checks the element type before the array is used directly
        ReduceInto<T, TOp>(x, axes, (T[])output.Data, output.Size, aux);
    }

    /// <summary>Reduces into the first <paramref name="outSize"/> elements of <paramref name="output"/> (a pooled array
    /// need not be wrapped in a tensor); <paramref name="aux"/>, when given, holds one value per output element.</summary>
    public static void ReduceInto<T, TOp>(Tensor x, int[] axes, T[] output, int outSize, T[]? aux = null)
        where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        if (outSize == 0) return;
        Span<int> dims = stackalloc int[Math.Max(x.Rank, 1)];
        Span<bool> red = stackalloc bool[Math.Max(x.Rank, 1)];
        int m = Plan(x.Shape, axes, dims, red);
        dims = dims[..m]; red = red[..m];
        var dst = output.AsSpan(0, outSize);
        dst.Fill(TOp.Identity);
        if (x.Size == 0) return;
        if (x.Size >= ParallelThreshold && Workers.Threads > 1 && m > 0 && m <= Plan16.Capacity && dims[0] >= 2)
            RunParallel<T, TOp>(x, output, outSize, aux, dims, red);
        else
            Run<T, TOp>(x.ReadOnlySpan<T>(), dst, aux is null ? default : aux.AsSpan(0, outSize), dims, red);
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
            else if (typeof(TOp) == typeof(SumReduce<T>) && m >= 2 && idx[m - 2] + 4 <= dims[m - 2])
            {
                // The dim before the last is reduced (dims alternate), so the next three rows fold into the same
                // output slice: take them now; the odometer below then advances past the fourth.
                SumReduce<T>.Accumulate4(dst.Slice(o, len), run, src.Slice((row + 1) * len, len), src.Slice((row + 2) * len, len), src.Slice((row + 3) * len, len));
                row += 3;
                idx[m - 2] += 3;
            }
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
    /// Splits the work over the cores (see <see cref="Workers"/>), three ways:
    /// <list type="bullet">
    /// <item>d0 kept: a few row ranges of d0 per thread, each writing its own block of the output.</item>
    /// <item>d0 reduced and the output small against the input (all axes, or axis 0 of a tall matrix): ranges of d0,
    /// each streaming a contiguous slab into its own partial output (part 0 into the output itself, the others
    /// into a pooled buffer), then the partials are combined into the output.</item>
    /// <item>d0 reduced over a wide kept last dim (axis 0 of a short, wide matrix): column ranges, each folding
    /// every row of its columns into its own slice of the output; no partials, and the same order as one thread.</item>
    /// </list>
    /// </summary>
    private static void RunParallel<T, TOp>(Tensor x, T[] output, int outSize, T[]? aux, ReadOnlySpan<int> dims, ReadOnlySpan<bool> red)
        where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        int d0 = dims[0], m = dims.Length;
        var job = new ReduceJob<T, TOp> { X = x, Output = output, Aux = aux, M = m, OutSize = outSize };
        for (int d = 0; d < m; d++) { job.Plan.Dims[d] = dims[d]; job.Plan.Reduced[d] = red[d]; }
        int threads = Workers.Threads;
        if (!red[0])
        {
            job.Mode = SplitMode.KeptRows;
            job.Split(d0, Math.Min(d0, threads * 4));
            Workers.Run(ref job, job.Parts);
            return;
        }
        if (m == 2 && (long)outSize * threads * 8 > x.Size && outSize >= threads * 64)
        {
            job.Mode = SplitMode.Columns;
            job.Split(outSize, threads);
            Workers.Run(ref job, job.Parts);
            return;
        }
        job.Mode = SplitMode.ReducedRows;
        job.Split(d0, Math.Min(d0, threads * 2));
        var partials = ArrayPool<T>.Shared.Rent((job.Parts - 1) * outSize);
        job.Partials = partials;
        try
        {
            Workers.Run(ref job, job.Parts);
            var dst = output.AsSpan(0, outSize);
            for (int p = 1; p < job.Parts; p++) CombineInto<T, TOp>(dst, partials.AsSpan((p - 1) * outSize, outSize));
        }
        finally { ArrayPool<T>.Shared.Return(partials); }
    }

    private enum SplitMode { KeptRows, ReducedRows, Columns }

    /// <summary>The merged dims of a reduction, inline so a job carries them without allocating.</summary>
    private struct Plan16
    {
        public const int Capacity = 16;
        public Ints16 Dims;
        public Bools16 Reduced;
    }

    [InlineArray(16)] private struct Ints16 { private int _e; }
    [InlineArray(16)] private struct Bools16 { private bool _e; }

    private struct ReduceJob<T, TOp> : IWorkItem where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        public Tensor X;
        public T[] Output;
        public T[]? Aux;
        public Plan16 Plan;
        public int M, OutSize, Length, Step, Parts;
        public SplitMode Mode;
        public T[]? Partials;

        /// <summary>Cuts [0, length) into at most <paramref name="parts"/> ranges (64-element multiples when splitting columns).</summary>
        public void Split(int length, int parts)
        {
            Length = length;
            Step = (length + parts - 1) / parts;
            if (Mode == SplitMode.Columns) Step = (Step + 63) & ~63;
            Parts = (length + Step - 1) / Step;
        }

        public void Run(int part)
        {
            int a = part * Step, b = Math.Min(Length, a + Step);
            var src = X.ReadOnlySpan<T>();
            var auxs = Aux is null ? default : Aux.AsSpan(0, OutSize);
            if (Mode == SplitMode.Columns)
            {
                // Every row of the slab, restricted to columns [a, b): the output slice is this part's alone.
                int rows = Plan.Dims[0], cols = Plan.Dims[1];
                var dst = Output.AsSpan(a, b - a);
                var au = auxs.IsEmpty ? dst : auxs[a..b];
                for (int r = 0; r < rows; r++) TOp.Accumulate(dst, src.Slice(r * cols + a, b - a), au);
                return;
            }
            Span<int> dims = stackalloc int[M];
            Span<bool> red = stackalloc bool[M];
            for (int d = 0; d < M; d++) { dims[d] = Plan.Dims[d]; red[d] = Plan.Reduced[d]; }
            int srcBlock = X.Size / dims[0];
            dims[0] = b - a;
            var slab = src.Slice(a * srcBlock, (b - a) * srcBlock);
            if (Mode == SplitMode.KeptRows)
            {
                int dstBlock = OutSize / Plan.Dims[0];
                Run<T, TOp>(slab, Output.AsSpan(a * dstBlock, (b - a) * dstBlock),
                    auxs.IsEmpty ? default : auxs.Slice(a * dstBlock, (b - a) * dstBlock), dims, red);
                return;
            }
            Span<T> partial = part == 0 ? Output.AsSpan(0, OutSize) : Partials.AsSpan((part - 1) * OutSize, OutSize);
            if (part > 0) partial.Fill(TOp.Identity);
            Run<T, TOp>(slab, partial, auxs, dims, red);
        }
    }

    private static void CombineInto<T, TOp>(Span<T> dst, ReadOnlySpan<T> partial) where T : unmanaged, INumber<T> where TOp : IReduceOp<T>
    {
        // SquaredDeviation's Accumulate would square the partial; combining partials is plain Combine.
        if (typeof(TOp) == typeof(SquaredDeviationReduce<T>)) { TensorPrimitives.Add(dst, partial, dst); return; }
        TOp.Accumulate(dst, partial, dst);
    }

    public static void Sum<T>(Tensor x, int[] axes, Tensor output) where T : unmanaged, INumber<T> =>
        Reduce<T, SumReduce<T>>(x, axes, output);

    public static void Sum<T>(Tensor x, int[] axes, T[] output, int outSize) where T : unmanaged, INumber<T> =>
        ReduceInto<T, SumReduce<T>>(x, axes, output, outSize);
}
