using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>A float32 map on raw pointers (the struct carries its parameters): y[i] = f(x[i]) for i in [0, n).</summary>
internal unsafe interface IFloatMap
{
    void Apply(float* x, float* y, int n);
}

/// <summary>
/// Output written with non-temporal (streaming) stores, for outputs written once and far larger than the caches.
/// </summary>
/// <remarks>
/// Design. A normal store first reads the destination line into the cache (write-allocate) and later writes it
/// back, so a large elementwise op moves 4 bytes for every 3 it needs; a streaming store writes the line without
/// reading it. Measured on this machine (128 MiB arrays, 2 threads): copy 29 → 43 GB/s and add 31 → 39 GB/s
/// with streaming stores. Any kernel is used unchanged: it computes an 8 KiB chunk into a stack buffer (L1
/// resident, so the extra pass is nearly free) and the chunk is then streamed to the 64-byte aligned
/// destination; the unaligned head and the ragged tail are written directly. Only worth it above
/// <see cref="MinBytes"/>: below that the output would still be in the cache for the next op to read.
/// </remarks>
internal static unsafe class NonTemporal
{
    /// <summary>Outputs at least this large are streamed (half the shared L3).</summary>
    internal const long MinBytes = 16L << 20;

    private const int ChunkBytes = 8192;

    /// <summary>Streaming stores available at some vector width (Vector512 or AVX Vector256).</summary>
    internal static bool Supported => Vector512.IsHardwareAccelerated || Avx.IsSupported;

    /// <summary>True when an output of <paramref name="n"/> elements of <typeparamref name="T"/> should be streamed.</summary>
    internal static bool Worth<T>(long n) where T : unmanaged => Supported && n * sizeof(T) >= MinBytes;

    /// <summary>d = x ∘ y with streaming stores (any lengths; d may be x or y).</summary>
    public static void Binary<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged where TOp : IBinarySpanOp<T>
    {
        fixed (T* pd = d)
        {
            int head = Head(pd, d.Length);
            if (head < 0) { TOp.Run(x, y, d); return; }
            if (head > 0) TOp.Run(x[..head], y[..head], d[..head]);
            int c = ChunkBytes / sizeof(T);
            T* buf = stackalloc T[c];
            var tmp = new Span<T>(buf, c);
            int i = head;
            // Why the detour through the stack buffer: the span operators store normally; only the copy streams.
            for (; i + c <= d.Length; i += c)
            {
                TOp.Run(x.Slice(i, c), y.Slice(i, c), tmp);
                Copy((byte*)buf, (byte*)(pd + i), ChunkBytes);
            }
            if (i < d.Length) TOp.Run(x[i..], y[i..], d[i..]);
            Fence();
        }
    }

    /// <summary>y = f(x) for <paramref name="n"/> floats with streaming stores (y may equal x).</summary>
    public static void Map<TM>(in TM map, float* x, float* y, int n) where TM : struct, IFloatMap
    {
        int head = Head(y, n);
        if (head < 0) { map.Apply(x, y, n); return; }
        if (head > 0) map.Apply(x, y, head);
        const int c = ChunkBytes / sizeof(float);
        float* buf = stackalloc float[c];
        int i = head;
        for (; i + c <= n; i += c)
        {
            map.Apply(x + i, buf, c);
            Copy((byte*)buf, (byte*)(y + i), ChunkBytes);
        }
        if (i < n) map.Apply(x + i, y + i, n - i);
        Fence();
    }

    /// <summary>Elements before <paramref name="p"/> + head is 64-byte aligned (at most n), or -1 when no element boundary is.</summary>
    private static int Head<T>(T* p, int n) where T : unmanaged
    {
        int mis = (int)((nint)p & 63);
        if (mis % sizeof(T) != 0) return -1;
        return Math.Min(n, ((64 - mis) & 63) / sizeof(T));
    }

    /// <summary>Streams <paramref name="bytes"/> (a multiple of 64) from src to a 64-byte aligned dst.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Copy(byte* src, byte* dst, int bytes)
    {
        if (Vector512.IsHardwareAccelerated)
            for (int i = 0; i < bytes; i += 128)
            {
                var a = Vector512.Load(src + i);
                var b = Vector512.Load(src + i + 64);
                Vector512.StoreAlignedNonTemporal(a, dst + i);
                Vector512.StoreAlignedNonTemporal(b, dst + i + 64);
            }
        else
            for (int i = 0; i < bytes; i += 64)
            {
                var a = Vector256.Load(src + i);
                var b = Vector256.Load(src + i + 32);
                Vector256.StoreAlignedNonTemporal(a, dst + i);
                Vector256.StoreAlignedNonTemporal(b, dst + i + 32);
            }
    }

    /// <summary>Orders the streaming stores before whatever the caller (or the thread that waits for it) does next.</summary>
    internal static void Fence()
    {
        if (Sse.IsSupported) Sse.StoreFence();
        else Interlocked.MemoryBarrier();
    }
}
