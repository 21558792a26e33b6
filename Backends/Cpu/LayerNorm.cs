using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// layer_normalization over rows of a (rows, n) view, fused: per row the mean (a vector sum), the variance (the squared
/// deviations from that mean, a second vector pass over the L1-resident row), then y = (x − mean) · rsqrt(var + ε) · γ + β
/// in one fused vector pass (γ and β are full rows: ones and zeros when absent). One read of x and one write of y from memory. Rows are split across the cores for large inputs.
/// </summary>
internal static class LayerNorm
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y, int rows, int n, T[] gamma, T[] beta, T epsilon, Tensor xt, Tensor yt)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 || n == 0) return;
        if ((long)rows * n < Reductions.ParallelThreshold || Workers.Threads < 2 || rows < 2)
        {
            Rows(x, y, 0, rows, n, gamma, beta, epsilon);
            return;
        }
        int parts = Math.Min(rows, Workers.Threads * 4);
        var job = new Job<T> { X = xt, Y = yt, N = n, Gamma = gamma, Beta = beta, Epsilon = epsilon, Rows = rows, Step = (rows + parts - 1) / parts };
        Workers.Run(ref job, (rows + job.Step - 1) / job.Step);
    }

    private struct Job<T> : IWorkItem where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Tensor X, Y;
        public int N, Rows, Step;
        public T[] Gamma, Beta;
        public T Epsilon;

        public readonly void Run(int part)
        {
            int a = part * Step, b = Math.Min(Rows, a + Step);
            Rows(X.ReadOnlySpan<T>(), Y.Span<T>(), a, b, N, Gamma, Beta, Epsilon);
        }
    }

    private static void Rows<T>(ReadOnlySpan<T> x, Span<T> y, int r0, int r1, int n, T[] gamma, T[] beta, T epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating(n);
        int w = Vector<T>.Count;
        ref T g0 = ref MemoryMarshal.GetArrayDataReference(gamma);
        ref T b0 = ref MemoryMarshal.GetArrayDataReference(beta);
        for (int r = r0; r < r1; r++)
        {
            var xr = x.Slice(r * n, n);
            var yr = y.Slice(r * n, n);
            T mean = TensorPrimitives.Sum(xr) / count;
            T variance = VectorLoops.Fold(xr, new SquaredDeviationFold<T>(mean)) / count;
            T inv = T.One / T.Sqrt(variance + epsilon);
            ref T x0 = ref MemoryMarshal.GetReference(xr);
            ref T y0 = ref MemoryMarshal.GetReference(yr);
            var vm = new Vector<T>(mean);
            var vi = new Vector<T>(inv);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= n - w; i += w)
                    (((Vector.LoadUnsafe(ref x0, (nuint)i) - vm) * vi) * Vector.LoadUnsafe(ref g0, (nuint)i) + Vector.LoadUnsafe(ref b0, (nuint)i))
                        .StoreUnsafe(ref y0, (nuint)i);
            for (; i < n; i++) yr[i] = (xr[i] - mean) * inv * gamma[i] + beta[i];
        }
    }
}
