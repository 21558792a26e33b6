using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// Σ (x − mean)² over contiguous runs in one pass over memory: var over the last axes (axis -1, or all axes).
/// </summary>
/// <remarks>
/// Design. The two-pass formula reads the input twice, and a large input comes from DRAM both times. Here each
/// run is cut in blocks of <see cref="BlockElements"/> (16 KiB of float32, L1-resident): a block's mean and its
/// Σ (x − mean_b)² are two passes over the cached block, and blocks are merged with Chan's pairwise update in
/// float64 (M2 = M2_a + M2_b + δ²·n_a·n_b / n), which is as stable as the global two-pass. A run of at most one
/// block (axis -1 of a (4096, 4096) matrix) is exactly the two-pass formula. Runs are split over the cores by
/// rows; a single long run (all axes) by block-aligned ranges whose (n, mean, M2) the caller merges.
/// </remarks>
internal static class Moments
{
    internal const int BlockElements = 4096;

    /// <summary>
    /// Writes Σ (x − mean)² of every run into <paramref name="output"/> when the reduced axes are the trailing ones
    /// (each output element reduces one contiguous run); returns false, writing nothing, otherwise.
    /// </summary>
    public static bool TrySquaredDeviations<T>(Tensor x, int[] axes, Tensor output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Size == 0 || output.Size == 0) return false;
        // Reduced axes (of length > 1) must all come after every kept axis (of length > 1).
        bool seenReduced = false;
        for (int i = 0; i < x.Rank; i++)
        {
            if (x.Shape[i] == 1) continue;
            bool r = Array.IndexOf(axes, i) >= 0;
            if (seenReduced && !r) return false;
            seenReduced |= r;
        }
        int runs = output.Size, len = x.Size / runs;
        var job = new Job<T> { X = x, Output = output, Len = len };
        if (runs == 1)
        {
            // One long run: block-aligned ranges, merged here.
            int parts = x.Size >= Reductions.ParallelThreshold ? Math.Min(Workers.Threads * 4, (len + BlockElements - 1) / BlockElements) : 1;
            job.Step = ((len + parts - 1) / parts + BlockElements - 1) / BlockElements * BlockElements;
            parts = (len + job.Step - 1) / job.Step;
            var stats = ArrayPool<double>.Shared.Rent(3 * parts);
            job.Stats = stats;
            try
            {
                Workers.Run(ref job, parts);
                double n = 0, mean = 0, m2 = 0;
                for (int p = 0; p < parts; p++) Merge(ref n, ref mean, ref m2, stats[3 * p], stats[3 * p + 1], stats[3 * p + 2]);
                output.Span<T>()[0] = T.CreateTruncating(m2);
            }
            finally { ArrayPool<double>.Shared.Return(stats); }
            return true;
        }
        job.Step = x.Size >= Reductions.ParallelThreshold ? Math.Max(1, (runs + Workers.Threads * 4 - 1) / (Workers.Threads * 4)) : runs;
        job.Rows = runs;
        Workers.Run(ref job, (runs + job.Step - 1) / job.Step);
        return true;
    }

    private struct Job<T> : IWorkItem where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Tensor X, Output;
        public int Len, Step, Rows;
        public double[]? Stats;

        public readonly void Run(int part)
        {
            var src = X.ReadOnlySpan<T>();
            if (Stats is not null)
            {
                int a = part * Step, b = Math.Min(Len, a + Step);
                var (n, mean, m2) = Run(src[a..b]);
                Stats[3 * part] = n; Stats[3 * part + 1] = mean; Stats[3 * part + 2] = m2;
                return;
            }
            var dst = Output.Span<T>();
            for (int r = part * Step, end = Math.Min(Rows, r + Step); r < end; r++)
            {
                var run = src.Slice(r * Len, Len);
                // One block: the plain two-pass formula in T, exactly as the unfused kernel computes it.
                if (Len <= BlockElements) dst[r] = SquaredDeviationReduce<T>.Reduce(run, TensorPrimitives.Sum(run) / T.CreateTruncating(Len));
                else dst[r] = T.CreateTruncating(Run(run).M2);
            }
        }

        /// <summary>(count, mean, M2) of a run, block by block.</summary>
        private static (double N, double Mean, double M2) Run(ReadOnlySpan<T> run)
        {
            double n = 0, mean = 0, m2 = 0;
            for (int i = 0; i < run.Length; i += BlockElements)
            {
                var block = run.Slice(i, Math.Min(BlockElements, run.Length - i));
                T mb = TensorPrimitives.Sum(block) / T.CreateTruncating(block.Length);
                T q = SquaredDeviationReduce<T>.Reduce(block, mb);
                Merge(ref n, ref mean, ref m2, block.Length, double.CreateTruncating(mb), double.CreateTruncating(q));
            }
            return (n, mean, m2);
        }
    }

    /// <summary>Chan et al.'s pairwise merge of (count, mean, M2) statistics.</summary>
    private static void Merge(ref double n, ref double mean, ref double m2, double nb, double meanb, double m2b)
    {
        if (nb == 0) return;
        if (n == 0) { n = nb; mean = meanb; m2 = m2b; return; }
        double total = n + nb, delta = meanb - mean;
        mean += delta * nb / total;
        m2 += m2b + delta * delta * n * nb / total;
        n = total;
    }
}
