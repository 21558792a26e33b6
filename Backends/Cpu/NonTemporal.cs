using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// Streaming (non-temporal) stores, for outputs written once, in whole aligned lines, and far larger than the caches.
/// </summary>
/// <remarks>
/// Design. A normal store first reads the destination line into the cache (write-allocate) and later writes it
/// back; a streaming store writes the whole line without reading it. The 2-D transpose (its 16×16 tiles write
/// whole lines spread over 16 pages) and gather (whole 64-byte rows) use it above <see cref="MinBytes"/>; below that
/// the output would still be in the cache for the next op to read. The elementwise kernels do not: on this VM,
/// in one process, an add of 1.6e7 float32 computed into an L1 buffer and streamed out took 8.6 ms against 6.6 ms
/// with plain stores, and a direct streaming loop was no faster than TensorPrimitives (6.5 against 6.3 ms).
/// </remarks>
internal static unsafe class NonTemporal
{
    /// <summary>Outputs at least this large are streamed (half the shared L3).</summary>
    internal const long MinBytes = 16L << 20;

    /// <summary>Streaming stores available at some vector width (Vector512 or AVX Vector256).</summary>
    internal static bool Supported => Vector512.IsHardwareAccelerated || Avx.IsSupported;

    /// <summary>Streams <paramref name="bytes"/> (a multiple of 64) from src to a 64-byte aligned dst.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Copy(byte* src, byte* dst, int bytes)
    {
        if (Vector512.IsHardwareAccelerated)
            for (int i = 0; i < bytes; i += 64) Vector512.StoreAlignedNonTemporal(Vector512.Load(src + i), dst + i);
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
