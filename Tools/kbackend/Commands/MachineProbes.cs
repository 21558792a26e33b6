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
/// touch costs ~10 µs per 4 KiB page on these VMs), walked with the widest accelerated vector. Copy and add store
/// non-temporally, as TensorPrimitives does above 256 KB: an ordinary store first reads the line it writes
/// (write-allocate), which measured 1.3-1.7× slower here, and a limit must be the best rate an op can reach. Bytes
/// are counted as in STREAM: bytes read plus bytes written.
/// </remarks>
internal sealed unsafe class MachineProbes : IDisposable
{
    public const int Chains = 12;

    /// <summary>Elements per bandwidth array: 128 MiB of float32.</summary>
    public const int StreamLength = 32 * 1024 * 1024;

    /// <summary>FMA iterations per thread per call: 2^20 × 12 chains ≈ 4 ms at the Zen 4 peak, long enough to hide the cost of starting the other threads.</summary>
    public const long PeakIterations = 1L << 20;

    public enum Kind { PeakF32, PeakF64, Read, Copy, Add }

    /// <summary>One probe: what it measures, on how many threads, the work per call (FLOP or bytes) and the call itself.</summary>
    public sealed record Probe(Kind Kind, int Threads, string Label, string Detail, double Flops, double Bytes, Action Run);

    /// <summary>Where the probes leave their results, so the JIT cannot drop the work.</summary>
    private static volatile float s_sink;

    /// <summary>The three bandwidth arrays, 64-byte aligned native memory so the non-temporal stores need no head.</summary>
    private float* _a, _b, _c;

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
                2.0 * lanes32 * Chains * PeakIterations * t, 0, () => OnThreads(t, _ => s_sink = PeakF32(PeakIterations)));
        }
        foreach (int t in p == 1 ? new[] { 1 } : new[] { 1, p })
        {
            int lanes64 = Vector512.IsHardwareAccelerated ? 8 : 4;
            yield return new Probe(Kind.PeakF64, t, $"f64 FMA peak, {Th(t)}", $"{Width}, {Chains} FMA chains per thread",
                2.0 * lanes64 * Chains * PeakIterations * t, 0, () => OnThreads(t, _ => s_sink = (float)PeakF64(PeakIterations)));
        }
        Allocate();
        const double n = StreamLength, F = sizeof(float);
        string read = $"128 MiB, {Width} loads, 4 accumulators", write = $"128 MiB arrays, {Width}, non-temporal stores; bytes read + written";
        foreach (int t in p == 1 ? new[] { 1 } : new[] { 1, p })
        {
            yield return new Probe(Kind.Read, t, $"DRAM read (sum), {Th(t)}", read, 0, F * n,
                () => OnThreads(t, part => s_sink = Sum(Part(0, part, t))));
            yield return new Probe(Kind.Copy, t, $"DRAM copy, {Th(t)}", write, 0, 2 * F * n,
                () => OnThreads(t, part => Copy(Part(0, part, t), Part(2, part, t))));
            yield return new Probe(Kind.Add, t, $"DRAM add, {Th(t)}", write, 0, 3 * F * n,
                () => OnThreads(t, part => Add(Part(0, part, t), Part(1, part, t), Part(2, part, t))));
        }
    }

    /// <summary>Frees the 384 MiB of bandwidth arrays, so the op cases that follow run with the usual memory.</summary>
    public void Dispose()
    {
        foreach (var p in new[] { (nint)_a, (nint)_b, (nint)_c })
            if (p != 0) NativeMemory.AlignedFree((void*)p);
        _a = _b = _c = null;
    }

    private void Allocate()
    {
        if (_a is not null) return;
        const nuint bytes = (nuint)StreamLength * sizeof(float);
        _a = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        _b = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        _c = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        // Touched once here, so that the page faults of fresh memory stay out of every timed call.
        new Span<float>(_a, StreamLength).Fill(1f);
        new Span<float>(_b, StreamLength).Fill(2f);
        new Span<float>(_c, StreamLength).Clear();
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> contiguous, equal slices of array 0, 1 or 2 (a, b, c).</summary>
    private Span<float> Part(int array, int part, int parts)
    {
        float* a = array == 0 ? _a : array == 1 ? _b : _c;
        int length = StreamLength / parts;
        return new Span<float>(a + (long)part * length, length);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(0..threads-1) at the same time, part 0 on the calling thread and each other part
    /// in its own pool task. All parts wait at a barrier first: the parts overlap fully, and the caller cannot
    /// finish part 0 and then run a part whose task has not started yet (Task.Wait would inline it).
    /// </summary>
    private static void OnThreads(int threads, Action<int> body)
    {
        if (threads == 1) { body(0); return; }
        using var start = new Barrier(threads);
        var others = new Task[threads - 1];
        for (int i = 1; i < threads; i++)
        {
            int part = i;
            others[i - 1] = Task.Run(() => { start.SignalAndWait(); body(part); });
        }
        start.SignalAndWait();
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

    /// <summary>Σ x over four accumulators of the widest accelerated vector (read-only traffic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(ReadOnlySpan<float> x)
    {
        fixed (float* p = x)
        {
            nuint n = (nuint)x.Length, i = 0;
            float s = 0;
            // Four accumulators so the add latency never limits the loads, even from cache.
            if (Vector512.IsHardwareAccelerated)
            {
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (; i + 64 <= n; i += 64)
                {
                    s0 += Vector512.Load(p + i); s1 += Vector512.Load(p + i + 16);
                    s2 += Vector512.Load(p + i + 32); s3 += Vector512.Load(p + i + 48);
                }
                s = Vector512.Sum((s0 + s1) + (s2 + s3));
            }
            else
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (; i + 32 <= n; i += 32)
                {
                    s0 += Vector256.Load(p + i); s1 += Vector256.Load(p + i + 8);
                    s2 += Vector256.Load(p + i + 16); s3 += Vector256.Load(p + i + 24);
                }
                s = Vector256.Sum((s0 + s1) + (s2 + s3));
            }
            for (; i < n; i++) s += p[i];
            return s;
        }
    }

    /// <summary>y ← x, with non-temporal stores once y is aligned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("Copy: y is shorter than x.", nameof(y));
        fixed (float* px = x)
        fixed (float* py = y)
        {
            nuint n = (nuint)x.Length, i = Head(py, n);
            for (nuint j = 0; j < i; j++) py[j] = px[j];
            if (Vector512.IsHardwareAccelerated)
                for (; i + 16 <= n; i += 16) Vector512.StoreAlignedNonTemporal(Vector512.Load(px + i), py + i);
            else
                for (; i + 8 <= n; i += 8) Vector256.StoreAlignedNonTemporal(Vector256.Load(px + i), py + i);
            for (; i < n; i++) py[i] = px[i];
        }
    }

    /// <summary>z ← x + y, with non-temporal stores once z is aligned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
    {
        if (y.Length < x.Length || z.Length < x.Length) throw new ArgumentException("Add: y or z is shorter than x.");
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pz = z)
        {
            nuint n = (nuint)x.Length, i = Head(pz, n);
            for (nuint j = 0; j < i; j++) pz[j] = px[j] + py[j];
            if (Vector512.IsHardwareAccelerated)
                for (; i + 16 <= n; i += 16) Vector512.StoreAlignedNonTemporal(Vector512.Load(px + i) + Vector512.Load(py + i), pz + i);
            else
                for (; i + 8 <= n; i += 8) Vector256.StoreAlignedNonTemporal(Vector256.Load(px + i) + Vector256.Load(py + i), pz + i);
            for (; i < n; i++) pz[i] = px[i] + py[i];
        }
    }

    /// <summary>Elements before the first vector-aligned address of <paramref name="p"/> (all of them if n is smaller).</summary>
    private static nuint Head(float* p, nuint n)
    {
        nuint bytes = Vector512.IsHardwareAccelerated ? 64u : 32u;
        nuint head = (bytes - (nuint)p % bytes) % bytes / sizeof(float);
        return Math.Min(head, n);
    }
}
