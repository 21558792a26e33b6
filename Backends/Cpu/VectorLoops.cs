using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>The widest vectors a kernel may use: <see cref="Auto"/> in production; tests pick a narrower path explicitly.</summary>
internal enum VectorWidth
{
    /// <summary>One element at a time (the operator's scalar form).</summary>
    Scalar,
    Vector128,
    Vector256,
    Vector512,
    /// <summary>The library kernel where the operator names one, else the widest accelerated vectors.</summary>
    Auto,
}

/// <summary>
/// The span loops of the elementwise operators, written once per arity (after TensorPrimitives' InvokeSpanIntoSpan):
/// the widest accelerated vector that fits the length (512, else 256, else 128 bits), four independent vectors per
/// step (hides the latency of polynomial operators), then one vector per step, and the ragged end as one last vector
/// that overlaps the previous one; lengths below one 128-bit vector run the scalar form. The output may be the
/// same span as an input (in place); other overlaps are not supported.
/// </summary>
internal static class VectorLoops
{
    /// <summary>How many elements of T lie before the first 64-byte boundary at or after <paramref name="p"/> (0 to 63 /
    /// sizeof(T)): a row kernel starts its main loop there so that no 512-bit load or store straddles two cache lines
    /// (.NET arrays are only 8-byte aligned; on Zen 4 an L1-resident max pass runs 1.5× and an in-place scale 1.7× faster aligned).</summary>
    /// <remarks>Only a hint: the loops use unaligned instructions, so a GC move between this call and the loop costs speed, never correctness.</remarks>
    public static unsafe int ToCacheLine<T>(ref T p) where T : unmanaged =>
        (int)((64 - ((nuint)Unsafe.AsPointer(ref p) & 63)) & 63) / sizeof(T);

    /// <summary>d[i] = f(x[i]).</summary>
    /// <remarks>With <c>stream</c>, non-temporal (streaming) stores, past the caches: for outputs too large to stay
    /// cached anyway (see <see cref="Streams{T}"/>), where it saves reading each destination line before writing it.</remarks>
    public static void Unary<T, TB>(ReadOnlySpan<T> x, Span<T> d, TB body, VectorWidth width = VectorWidth.Auto, bool stream = false)
        where T : unmanaged where TB : struct, IUnaryBody<T>
    {
        if (d.Length != x.Length) throw new ArgumentException($"VectorLoops: output length {d.Length} != input length {x.Length}.", nameof(d));
        if (Library<T>(width, stream, d.Length) && body.TryInvoke(x, d)) return;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        if (stream) Unary<T, TB, StreamingStores>(ref xr, ref dr, (nuint)x.Length, ref body, width);
        else Unary<T, TB, PlainStores>(ref xr, ref dr, (nuint)x.Length, ref body, width);
    }

    private static void Unary<T, TB, TSt>(ref T xr, ref T dr, nuint n, ref TB body, VectorWidth width)
        where T : unmanaged where TB : struct, IUnaryBody<T> where TSt : struct, IStores
    {
        if (Fits<T, W512<T>>(width, VectorWidth.Vector512, n)) Unary<T, Vector512<T>, W512<T>, TB, TSt>(ref xr, ref dr, n, ref body);
        else if (Fits<T, W256<T>>(width, VectorWidth.Vector256, n)) Unary<T, Vector256<T>, W256<T>, TB, TSt>(ref xr, ref dr, n, ref body);
        else if (Fits<T, W128<T>>(width, VectorWidth.Vector128, n)) Unary<T, Vector128<T>, W128<T>, TB, TSt>(ref xr, ref dr, n, ref body);
        else for (nuint i = 0; i < n; i++) Unsafe.Add(ref dr, i) = body.Invoke(Unsafe.Add(ref xr, i));
    }

    /// <summary>
    /// Whether a span goes to the operator's library kernel (TensorPrimitives), when it has one: only up to 256 KiB of
    /// output, because TensorPrimitives switches to non-temporal stores above that, per call, and for the outputs of up
    /// to <see cref="StreamingBytes"/> that a next op reads from the cache that costs more than it saves (add of 1e6 float32
    /// on two cores: 150 µs through TensorPrimitives, 83 µs through these loops with plain stores). Larger spans run the
    /// loops here, with plain or streaming stores as the caller decides; the vector forms compute what the library does.
    /// </summary>
    private static unsafe bool Library<T>(VectorWidth width, bool stream, int length) where T : unmanaged =>
        width == VectorWidth.Auto && !stream && (long)length * sizeof(T) <= 256 << 10;

    /// <summary>Output size from which the elementwise loops stream their stores (see <see cref="Streams{T}"/>).</summary>
    internal const long StreamingBytes = 8 << 20;

    /// <summary>
    /// Whether an elementwise op writing <paramref name="count"/> elements should use streaming stores: an output of
    /// <see cref="StreamingBytes"/> or more, with its inputs, does not stay in a shared L3 of a few tens of MiB, so a
    /// plain store costs a read of the line (read-for-ownership) and a write-back; a streaming store only the write.
    /// Below it the output is likely still cached when the next op reads it, and plain stores keep it there.
    /// </summary>
    internal static unsafe bool Streams<T>(long count) where T : unmanaged => count * sizeof(T) >= StreamingBytes;

    /// <summary>d[i] = f(x[i], y[i]).</summary>
    /// <remarks>With <c>stream</c>, streaming stores, as in <see cref="Unary{T, TB}(ReadOnlySpan{T}, Span{T}, TB, VectorWidth, bool)"/>.</remarks>
    public static void Binary<T, TB>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d, TB body, VectorWidth width = VectorWidth.Auto, bool stream = false)
        where T : unmanaged where TB : struct, IBinaryBody<T>
    {
        if (x.Length != d.Length || y.Length != d.Length) throw new ArgumentException($"VectorLoops: lengths x {x.Length}, y {y.Length}, output {d.Length} differ.", nameof(d));
        if (Library<T>(width, stream, d.Length) && body.TryInvoke(x, y, d)) return;
        if (stream) Binary<T, TB, BothRuns, StreamingStores>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), d, ref body, width);
        else Binary<T, TB, BothRuns, PlainStores>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), d, ref body, width);
    }

    /// <summary>d[i] = f(x[i], y): y broadcast.</summary>
    public static void Binary<T, TB>(ReadOnlySpan<T> x, T y, Span<T> d, TB body, VectorWidth width = VectorWidth.Auto)
        where T : unmanaged where TB : struct, IBinaryBody<T>
    {
        if (x.Length != d.Length) throw new ArgumentException($"VectorLoops: output length {d.Length} != input length {x.Length}.", nameof(d));
        if (Library<T>(width, false, d.Length) && body.TryInvoke(x, y, d)) return;
        Binary<T, TB, BroadcastY, PlainStores>(ref MemoryMarshal.GetReference(x), ref y, d, ref body, width);
    }

    /// <summary>d[i] = f(x, y[i]): x broadcast.</summary>
    public static void Binary<T, TB>(T x, ReadOnlySpan<T> y, Span<T> d, TB body, VectorWidth width = VectorWidth.Auto)
        where T : unmanaged where TB : struct, IBinaryBody<T>
    {
        if (y.Length != d.Length) throw new ArgumentException($"VectorLoops: output length {d.Length} != input length {y.Length}.", nameof(d));
        if (Library<T>(width, false, d.Length) && body.TryInvoke(x, y, d)) return;
        Binary<T, TB, BroadcastX, PlainStores>(ref x, ref MemoryMarshal.GetReference(y), d, ref body, width);
    }

    private static void Binary<T, TB, TS, TSt>(ref T xr, ref T yr, Span<T> d, ref TB body, VectorWidth width)
        where T : unmanaged where TB : struct, IBinaryBody<T> where TS : struct, IOperands where TSt : struct, IStores
    {
        ref T dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)d.Length;
        if (Fits<T, W512<T>>(width, VectorWidth.Vector512, n)) Binary<T, Vector512<T>, W512<T>, TB, TS, TSt>(ref xr, ref yr, ref dr, n, ref body);
        else if (Fits<T, W256<T>>(width, VectorWidth.Vector256, n)) Binary<T, Vector256<T>, W256<T>, TB, TS, TSt>(ref xr, ref yr, ref dr, n, ref body);
        else if (Fits<T, W128<T>>(width, VectorWidth.Vector128, n)) Binary<T, Vector128<T>, W128<T>, TB, TS, TSt>(ref xr, ref yr, ref dr, n, ref body);
        else
            for (nuint i = 0; i < n; i++)
                Unsafe.Add(ref dr, i) = body.Invoke(TS.ScalarX ? xr : Unsafe.Add(ref xr, i), TS.ScalarY ? yr : Unsafe.Add(ref yr, i));
    }

    /// <summary>
    /// Folds x into one value: four vector accumulators over the widest width that fits (independent chains), then the
    /// remaining whole vectors, then the lanes of the accumulators (halving 512 → 256 → 128), then the last elements
    /// (fewer than one vector) in scalar. Lengths below one 128-bit vector run the scalar form only.
    /// </summary>
    public static T Fold<T, TB>(ReadOnlySpan<T> x, TB body, VectorWidth width = VectorWidth.Auto)
        where T : unmanaged where TB : struct, IFoldBody<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        T acc = body.Identity;
        if (Fits<T, W512<T>>(width, VectorWidth.Vector512, n)) acc = Fold<T, Vector512<T>, W512<T>, TB>(ref xr, n, ref body, out i);
        else if (Fits<T, W256<T>>(width, VectorWidth.Vector256, n)) acc = Fold<T, Vector256<T>, W256<T>, TB>(ref xr, n, ref body, out i);
        else if (Fits<T, W128<T>>(width, VectorWidth.Vector128, n)) acc = Fold<T, Vector128<T>, W128<T>, TB>(ref xr, n, ref body, out i);
        for (; i < n; i++) acc = body.Invoke(acc, Unsafe.Add(ref xr, i));
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Fold<T, TV, TW, TB>(ref T x, nuint n, ref TB body, out nuint done)
        where T : unmanaged where TV : struct where TW : IWidth<T, TV> where TB : struct, IFoldBody<T>
    {
        nuint c = (nuint)TW.Count, i = 0;
        TV a = TW.Splat(body.Identity), b = a, e = a, f = a;
        for (; i + 4 * c <= n; i += 4 * c)
        {
            a = TW.Fold(ref body, a, TW.Load(ref x, i));
            b = TW.Fold(ref body, b, TW.Load(ref x, i + c));
            e = TW.Fold(ref body, e, TW.Load(ref x, i + 2 * c));
            f = TW.Fold(ref body, f, TW.Load(ref x, i + 3 * c));
        }
        for (; i + c <= n; i += c) a = TW.Fold(ref body, a, TW.Load(ref x, i));
        done = i;
        return TW.Lanes(ref body, TW.Combine(ref body, TW.Combine(ref body, a, b), TW.Combine(ref body, e, f)));
    }

    private static bool Fits<T, TW>(VectorWidth width, VectorWidth need, nuint n) where T : unmanaged where TW : IWidth<T> =>
        width >= need && TW.Accelerated && n >= (nuint)TW.Count;

    // The one loop per arity, over any vector width TW. n ≥ one vector.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Unary<T, TV, TW, TB, TSt>(ref T x, ref T d, nuint n, ref TB body)
        where T : unmanaged where TV : struct where TW : IWidth<T, TV> where TB : struct, IUnaryBody<T> where TSt : struct, IStores
    {
        bool stream = TSt.Streaming;
        nuint c = (nuint)TW.Count, i = 0;
        // The last vector (and, streaming, the first) is computed before the loop: in place, the loop overwrites the inputs it overlaps.
        TV first = stream ? TW.Apply(ref body, TW.Load(ref x, 0)) : default, last = TW.Apply(ref body, TW.Load(ref x, n - c));
        fixed (T* pd = &d)
        {
            // Streaming stores need aligned vectors: start at the first aligned one (the first vector covers the rest).
            if (stream) i = AlignedStart<T, TW>(pd);
            for (; i + 4 * c <= n; i += 4 * c)
            {
                TV a = TW.Apply(ref body, TW.Load(ref x, i));
                TV b = TW.Apply(ref body, TW.Load(ref x, i + c));
                TV e = TW.Apply(ref body, TW.Load(ref x, i + 2 * c));
                TV f = TW.Apply(ref body, TW.Load(ref x, i + 3 * c));
                Store<T, TV, TW>(a, pd, i, stream);
                Store<T, TV, TW>(b, pd, i + c, stream);
                Store<T, TV, TW>(e, pd, i + 2 * c, stream);
                Store<T, TV, TW>(f, pd, i + 3 * c, stream);
            }
            for (; i + c <= n; i += c) Store<T, TV, TW>(TW.Apply(ref body, TW.Load(ref x, i)), pd, i, stream);
            if (stream) StoreFence();
        }
        if (stream) TW.Store(first, ref d, 0);
        TW.Store(last, ref d, n - c);
    }

    /// <summary>The index of the first element of <paramref name="p"/> on a vector-size boundary (below one vector).</summary>
    private static unsafe nuint AlignedStart<T, TW>(T* p) where T : unmanaged where TW : IWidth<T>
    {
        nuint bytes = (nuint)(TW.Count * sizeof(T));
        return (bytes - ((nuint)p & (bytes - 1))) % bytes / (nuint)sizeof(T);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store<T, TV, TW>(TV v, T* p, nuint i, bool stream) where T : unmanaged where TV : struct where TW : IWidth<T, TV>
    {
        if (stream) TW.StoreStreaming(v, p + i);
        else TW.Store(v, ref *p, i);
    }

    /// <summary>Orders the streaming stores before whatever follows (they are weakly ordered), so a thread that later reads the output sees them.</summary>
    private static void StoreFence()
    {
        if (Sse.IsSupported) Sse.StoreFence();
        else Interlocked.MemoryBarrier();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Binary<T, TV, TW, TB, TS, TSt>(ref T x, ref T y, ref T d, nuint n, ref TB body)
        where T : unmanaged where TV : struct where TW : IWidth<T, TV> where TB : struct, IBinaryBody<T> where TS : struct, IOperands where TSt : struct, IStores
    {
        bool stream = TSt.Streaming;
        nuint c = (nuint)TW.Count, i = 0;
        // A broadcast operand is splat once; TS's flags are constants, so each instantiation keeps only its own loads.
        TV xs = TS.ScalarX ? TW.Splat(x) : default, ys = TS.ScalarY ? TW.Splat(y) : default;
        TV first = stream ? TW.Apply(ref body, TS.ScalarX ? xs : TW.Load(ref x, 0), TS.ScalarY ? ys : TW.Load(ref y, 0)) : default;
        TV last = TW.Apply(ref body, TS.ScalarX ? xs : TW.Load(ref x, n - c), TS.ScalarY ? ys : TW.Load(ref y, n - c));
        fixed (T* pd = &d)
        {
            if (stream) i = AlignedStart<T, TW>(pd);
            for (; i + 4 * c <= n; i += 4 * c)
            {
                TV a = TW.Apply(ref body, TS.ScalarX ? xs : TW.Load(ref x, i), TS.ScalarY ? ys : TW.Load(ref y, i));
                TV b = TW.Apply(ref body, TS.ScalarX ? xs : TW.Load(ref x, i + c), TS.ScalarY ? ys : TW.Load(ref y, i + c));
                TV e = TW.Apply(ref body, TS.ScalarX ? xs : TW.Load(ref x, i + 2 * c), TS.ScalarY ? ys : TW.Load(ref y, i + 2 * c));
                TV f = TW.Apply(ref body, TS.ScalarX ? xs : TW.Load(ref x, i + 3 * c), TS.ScalarY ? ys : TW.Load(ref y, i + 3 * c));
                Store<T, TV, TW>(a, pd, i, stream);
                Store<T, TV, TW>(b, pd, i + c, stream);
                Store<T, TV, TW>(e, pd, i + 2 * c, stream);
                Store<T, TV, TW>(f, pd, i + 3 * c, stream);
            }
            for (; i + c <= n; i += c)
                Store<T, TV, TW>(TW.Apply(ref body, TS.ScalarX ? xs : TW.Load(ref x, i), TS.ScalarY ? ys : TW.Load(ref y, i)), pd, i, stream);
            if (stream) StoreFence();
        }
        if (stream) TW.Store(first, ref d, 0);
        TW.Store(last, ref d, n - c);
    }

    /// <summary>Which operands of a binary loop are one broadcast value (compile-time constants per struct).</summary>
    private interface IOperands
    {
        static abstract bool ScalarX { get; }
        static abstract bool ScalarY { get; }
    }

    private struct BothRuns : IOperands { public static bool ScalarX => false; public static bool ScalarY => false; }
    private struct BroadcastX : IOperands { public static bool ScalarX => true; public static bool ScalarY => false; }
    private struct BroadcastY : IOperands { public static bool ScalarX => false; public static bool ScalarY => true; }

    /// <summary>How the loops store (a compile-time constant per struct, so each loop is compiled without the test).</summary>
    private interface IStores
    {
        static abstract bool Streaming { get; }
    }

    private struct PlainStores : IStores { public static bool Streaming => false; }
    private struct StreamingStores : IStores { public static bool Streaming => true; }

    /// <summary>A vector width as a type, so the loops above are written once for all three (and an operator's vector
    /// body too: a generic method over TW, called from each of its Vector128/256/512 forms, as relu's).</summary>
    internal interface IWidth<T> where T : unmanaged
    {
        static abstract bool Accelerated { get; }
        static abstract int Count { get; }
    }

    internal interface IWidth<T, TV> : IWidth<T> where T : unmanaged where TV : struct
    {
        static abstract TV Zero { get; }
        static abstract TV Add(TV a, TV b);
        static abstract TV Subtract(TV a, TV b);
        static abstract TV Multiply(TV a, TV b);
        static abstract TV LessThan(TV a, TV b);
        static abstract TV GreaterThan(TV a, TV b);
        /// <summary>a with the lanes set in mask cleared.</summary>
        static abstract TV AndNot(TV a, TV mask);
        static abstract TV Select(TV mask, TV ifTrue, TV ifFalse);
        static abstract TV Load(ref T p, nuint i);
        static abstract TV Splat(T value);
        static abstract void Store(TV v, ref T p, nuint i);
        /// <summary>A non-temporal store to <paramref name="p"/>, which must be aligned to the vector size.</summary>
        static abstract unsafe void StoreStreaming(TV v, T* p);
        static abstract TV Apply<TB>(ref TB body, TV x) where TB : struct, IUnaryBody<T>;
        static abstract TV Apply<TB>(ref TB body, TV x, TV y) where TB : struct, IBinaryBody<T>;
        static abstract TV Fold<TB>(ref TB body, TV acc, TV x) where TB : struct, IFoldBody<T>;
        static abstract TV Combine<TB>(ref TB body, TV a, TV b) where TB : struct, IFoldBody<T>;
        /// <summary>The lanes of an accumulator combined into one value.</summary>
        static abstract T Lanes<TB>(ref TB body, TV v) where TB : struct, IFoldBody<T>;
    }

    internal readonly struct W512<T> : IWidth<T, Vector512<T>> where T : unmanaged
    {
        public static Vector512<T> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector512<T>.Zero; }
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> LessThan(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(a, b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> GreaterThan(Vector512<T> a, Vector512<T> b) => Vector512.GreaterThan(a, b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> AndNot(Vector512<T> a, Vector512<T> mask) => Vector512.AndNot(a, mask);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Select(Vector512<T> mask, Vector512<T> ifTrue, Vector512<T> ifFalse) => Vector512.ConditionalSelect(mask, ifTrue, ifFalse);
        public static bool Accelerated => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;
        public static int Count => Vector512<T>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(ref T p, nuint i) => Vector512.LoadUnsafe(ref p, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Splat(T value) => Vector512.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> v, ref T p, nuint i) => v.StoreUnsafe(ref p, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void StoreStreaming(Vector512<T> v, T* p) => v.StoreAlignedNonTemporal(p);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Apply<TB>(ref TB body, Vector512<T> x) where TB : struct, IUnaryBody<T> => body.Invoke(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Apply<TB>(ref TB body, Vector512<T> x, Vector512<T> y) where TB : struct, IBinaryBody<T> => body.Invoke(x, y);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Fold<TB>(ref TB body, Vector512<T> acc, Vector512<T> x) where TB : struct, IFoldBody<T> => body.Invoke(acc, x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Combine<TB>(ref TB body, Vector512<T> a, Vector512<T> b) where TB : struct, IFoldBody<T> => body.Combine(a, b);
        public static T Lanes<TB>(ref TB body, Vector512<T> v) where TB : struct, IFoldBody<T> => W256<T>.Lanes(ref body, body.Combine(v.GetLower(), v.GetUpper()));
    }

    internal readonly struct W256<T> : IWidth<T, Vector256<T>> where T : unmanaged
    {
        public static Vector256<T> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector256<T>.Zero; }
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> LessThan(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> GreaterThan(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThan(a, b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> AndNot(Vector256<T> a, Vector256<T> mask) => Vector256.AndNot(a, mask);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Select(Vector256<T> mask, Vector256<T> ifTrue, Vector256<T> ifFalse) => Vector256.ConditionalSelect(mask, ifTrue, ifFalse);
        public static bool Accelerated => Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;
        public static int Count => Vector256<T>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(ref T p, nuint i) => Vector256.LoadUnsafe(ref p, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Splat(T value) => Vector256.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> v, ref T p, nuint i) => v.StoreUnsafe(ref p, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void StoreStreaming(Vector256<T> v, T* p) => v.StoreAlignedNonTemporal(p);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Apply<TB>(ref TB body, Vector256<T> x) where TB : struct, IUnaryBody<T> => body.Invoke(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Apply<TB>(ref TB body, Vector256<T> x, Vector256<T> y) where TB : struct, IBinaryBody<T> => body.Invoke(x, y);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Fold<TB>(ref TB body, Vector256<T> acc, Vector256<T> x) where TB : struct, IFoldBody<T> => body.Invoke(acc, x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Combine<TB>(ref TB body, Vector256<T> a, Vector256<T> b) where TB : struct, IFoldBody<T> => body.Combine(a, b);
        public static T Lanes<TB>(ref TB body, Vector256<T> v) where TB : struct, IFoldBody<T> => W128<T>.Lanes(ref body, body.Combine(v.GetLower(), v.GetUpper()));
    }

    internal readonly struct W128<T> : IWidth<T, Vector128<T>> where T : unmanaged
    {
        public static Vector128<T> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector128<T>.Zero; }
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> LessThan(Vector128<T> a, Vector128<T> b) => Vector128.LessThan(a, b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> GreaterThan(Vector128<T> a, Vector128<T> b) => Vector128.GreaterThan(a, b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> AndNot(Vector128<T> a, Vector128<T> mask) => Vector128.AndNot(a, mask);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Select(Vector128<T> mask, Vector128<T> ifTrue, Vector128<T> ifFalse) => Vector128.ConditionalSelect(mask, ifTrue, ifFalse);
        public static bool Accelerated => Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported;
        public static int Count => Vector128<T>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(ref T p, nuint i) => Vector128.LoadUnsafe(ref p, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Splat(T value) => Vector128.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> v, ref T p, nuint i) => v.StoreUnsafe(ref p, i);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void StoreStreaming(Vector128<T> v, T* p) => v.StoreAlignedNonTemporal(p);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Apply<TB>(ref TB body, Vector128<T> x) where TB : struct, IUnaryBody<T> => body.Invoke(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Apply<TB>(ref TB body, Vector128<T> x, Vector128<T> y) where TB : struct, IBinaryBody<T> => body.Invoke(x, y);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Fold<TB>(ref TB body, Vector128<T> acc, Vector128<T> x) where TB : struct, IFoldBody<T> => body.Invoke(acc, x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Combine<TB>(ref TB body, Vector128<T> a, Vector128<T> b) where TB : struct, IFoldBody<T> => body.Combine(a, b);
        public static T Lanes<TB>(ref TB body, Vector128<T> v) where TB : struct, IFoldBody<T>
        {
            T r = v.GetElement(0);
            for (int i = 1; i < Vector128<T>.Count; i++) r = body.Combine(r, v.GetElement(i));
            return r;
        }
    }
}
