using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Tool.Commands;

/// <summary>
/// The machine's own limits, measured in the same run as the ops so that ratios against them survive a change of
/// machine or a noisy neighbour: the FMA peak (float32 and float64) and the DRAM bandwidth (read-only, copy, add),
/// each on one thread and on all cores.
/// </summary>
/// <remarks>
/// Peak: <see cref="Chains"/> independent FMA chains per thread, enough to cover the FMA latency times the number of
/// FMA pipes (Zen 4: 4 cycles × one zmm FMA per cycle; Zen 5: 4 × 2), and few enough (12 + 2 constants) to stay
/// in registers even with 16 ymm registers on an AVX2-only machine. Vector512 where the JIT accelerates it, else
/// Vector256. Bandwidth: 128 MiB arrays (4× a 32 MiB L3), allocated and touched once before any timing (a first
/// touch costs ~10 µs per 4 KiB page on these VMs), walked with <see cref="Vector{T}"/> loads and ordinary stores.
/// Bytes are counted as in STREAM: bytes read plus bytes written, write-allocate traffic not counted.
/// </remarks>
internal sealed class MachineProbes : IDisposable
{
    public const int Chains = 12;

    /// <summary>Elements per bandwidth array: 128 MiB of float32.</summary>
    public const int StreamLength = 32 * 1024 * 1024;

    /// <summary>FMA iterations per thread per call: 2^20 × 12 chains ≈ 4 ms at the Zen 4 peak, long enough to hide the cost of starting the other threads.</summary>
    public const long PeakIterations = 1L << 20;

    public enum Kind { PeakF32, PeakF64, Read, Copy, Add }

    /// <summary>One probe: what it measures, on how many threads, the work per call (FLOP or bytes) and the call itself.</summary>
    public sealed record Probe(Kind Kind, int Threads, string Label, string Detail, double Flops, double Bytes, Action Run);

    private static volatile float s_sinkF;
    private static volatile float s_sinkD;

    private float[]? _a, _b, _c;

    public static int Threads => Environment.ProcessorCount;

    public static string Width => Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256";

    /// <summary>The probes in a fixed order: peaks first (they allocate nothing), then bandwidth.</summary>
    public IEnumerable<Probe> Probes()
    {
        int p = Threads;
        string Th(int t) => t == 1 ? "1 thread" : $"{t} threads";
        foreach (int t in p == 1 ? new[] { 1 } : new[] { 1, p })
        {
            int lanes32 = Vector512.IsHardwareAccelerated ? 16 : 8;
            yield return new Probe(Kind.PeakF32, t, $"f32 FMA peak, {Th(t)}", $"{Width}, {Chains} FMA chains per thread",
                2.0 * lanes32 * Chains * PeakIterations * t, 0, () => OnThreads(t, _ => s_sinkF = PeakF32(PeakIterations)));
        }
        foreach (int t in p == 1 ? new[] { 1 } : new[] { 1, p })
        {
            int lanes64 = Vector512.IsHardwareAccelerated ? 8 : 4;
            yield return new Probe(Kind.PeakF64, t, $"f64 FMA peak, {Th(t)}", $"{Width}, {Chains} FMA chains per thread",
                2.0 * lanes64 * Chains * PeakIterations * t, 0, () => OnThreads(t, _ => s_sinkD = (float)PeakF64(PeakIterations)));
        }
        Allocate();
        const double n = StreamLength, F = sizeof(float);
        string detail = $"128 MiB arrays, Vector<float> ({Vector<float>.Count} lanes), bytes read + written";
        foreach (int t in p == 1 ? new[] { 1 } : new[] { 1, p })
        {
            yield return new Probe(Kind.Read, t, $"DRAM read (sum), {Th(t)}", detail, 0, F * n,
                () => OnThreads(t, part => s_sinkF = Sum(Slice(_a!, part, t))));
            yield return new Probe(Kind.Copy, t, $"DRAM copy, {Th(t)}", detail, 0, 2 * F * n,
                () => OnThreads(t, part => Copy(Slice(_a!, part, t), Slice(_c!, part, t))));
            yield return new Probe(Kind.Add, t, $"DRAM add, {Th(t)}", detail, 0, 3 * F * n,
                () => OnThreads(t, part => Add(Slice(_a!, part, t), Slice(_b!, part, t), Slice(_c!, part, t))));
        }
    }

    /// <summary>Drops the 384 MiB of bandwidth arrays so that the op cases that follow run with the usual heap.</summary>
    public void Dispose()
    {
        _a = _b = _c = null;
        GC.Collect();
    }

    private void Allocate()
    {
        _a = GC.AllocateUninitializedArray<float>(StreamLength);
        _b = GC.AllocateUninitializedArray<float>(StreamLength);
        _c = GC.AllocateUninitializedArray<float>(StreamLength);
        // Touched once here, so that the page faults of fresh memory stay out of every timed call.
        _a.AsSpan().Fill(1f);
        _b.AsSpan().Fill(2f);
        _c.AsSpan().Clear();
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> contiguous, equal slices (the length is a power of two).</summary>
    private static Span<float> Slice(float[] a, int part, int parts) => a.AsSpan(part * (a.Length / parts), a.Length / parts);

    /// <summary>
    /// Runs <paramref name="body"/>(0..threads-1) at the same time, part 0 on the calling thread. Each other part gets
    /// its own task so no thread can run two parts one after the other (as a work-stealing Parallel.For may do).
    /// </summary>
    private static void OnThreads(int threads, Action<int> body)
    {
        if (threads == 1) { body(0); return; }
        var others = new Task[threads - 1];
        for (int i = 1; i < threads; i++)
        {
            int part = i;
            others[i - 1] = Task.Factory.StartNew(() => body(part), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        }
        body(0);
        Task.WaitAll(others);
    }

    /// <summary>acc_k ← acc_k·m + c on <see cref="Chains"/> independent float32 vectors; returns Σ acc so nothing is dead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float PeakF32(long iterations)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            // m·x + c has the fixed point 1 and starts there, so the values stay normal whatever the length.
            var m = Vector512.Create(0.5f);
            var c = Vector512.Create(0.5f);
            Vector512<float> a0 = Vector512<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
                a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
                a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
                a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
                a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
                a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
                a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            }
            return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
        }
        else
        {
            var m = Vector256.Create(0.5f);
            var c = Vector256.Create(0.5f);
            Vector256<float> a0 = Vector256<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
                a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
                a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
                a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
                a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
                a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
                a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
            }
            return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
        }
    }

    /// <summary>acc_k ← acc_k·m + c on <see cref="Chains"/> independent float64 vectors; returns Σ acc so nothing is dead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double PeakF64(long iterations)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(0.5);
            var c = Vector512.Create(0.5);
            Vector512<double> a0 = Vector512<double>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
                a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
                a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
                a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
                a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
                a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
                a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            }
            return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
        }
        else
        {
            var m = Vector256.Create(0.5);
            var c = Vector256.Create(0.5);
            Vector256<double> a0 = Vector256<double>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
                a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
                a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
                a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
                a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
                a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
                a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
            }
            return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
        }
    }

    /// <summary>Σ x over four vector accumulators (read-only traffic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(ReadOnlySpan<float> x)
    {
        var v = MemoryMarshal.Cast<float, Vector<float>>(x);
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int i = 0;
        // Four accumulators so the add latency never limits the loads, even from cache.
        for (; i + 4 <= v.Length; i += 4) { s0 += v[i]; s1 += v[i + 1]; s2 += v[i + 2]; s3 += v[i + 3]; }
        for (; i < v.Length; i++) s0 += v[i];
        float s = Vector.Sum((s0 + s1) + (s2 + s3));
        for (int j = v.Length * Vector<float>.Count; j < x.Length; j++) s += x[j];
        return s;
    }

    /// <summary>y ← x with vector loads and ordinary (write-allocating) stores, as the kernels store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(ReadOnlySpan<float> x, Span<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        for (int i = 0; i < vx.Length; i++) vy[i] = vx[i];
        for (int j = vx.Length * Vector<float>.Count; j < x.Length; j++) y[j] = x[j];
    }

    /// <summary>z ← x + y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        var vz = MemoryMarshal.Cast<float, Vector<float>>(z[..x.Length]);
        for (int i = 0; i < vx.Length; i++) vz[i] = vx[i] + vy[i];
        for (int j = vx.Length * Vector<float>.Count; j < x.Length; j++) z[j] = x[j] + y[j];
    }
}
