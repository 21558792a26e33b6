using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>gather along axis 0: out[i, ...] = reference[wrap(indices[i]), ...]; take along any axis: the same per outer index.</summary>
/// <remarks>
/// Design. One row copy per index. Rows land at random addresses, so a copy waits on memory latency more than
/// on bandwidth: the lines of the row a few indices ahead are prefetched while the current one is copied, and the
/// indices are split in contiguous ranges over the cores (see <see cref="Workers"/>). int32 and int64 indices
/// are read directly, other index dtypes through the generic accessor. An index out of range raises the error
/// for the first such position, as a sequential loop would. Tried and not kept: streaming stores, which need
/// 64-byte aligned rows that pooled outputs rarely have (the benchmark's output never had them).
/// </remarks>
internal static unsafe class Gathering
{
    /// <summary>Indices ahead of the current one whose row is prefetched.</summary>
    private const int PrefetchDistance = 8;

    private const int ParallelBytes = 1 << 20;

    public static void Rows(Tensor reference, Tensor indices, Tensor output) =>
        Run(reference, indices, output, 1, reference.Shape[0], reference.Shape.Prod(1, reference.Rank), null, 0);

    /// <summary>take: x viewed as (outer, n, inner) around <paramref name="axis"/> (negative: the flattened x); out[o, i, :] = x[o, wrap(indices[i]), :].</summary>
    public static void Take(Tensor x, Tensor indices, int axis, Tensor output)
    {
        var (outer, n, inner) = axis < 0 ? (1, x.Size, 1) : Indexing.AroundAxis(x.Shape, axis);
        Run(x, indices, output, outer, n, inner, "take", axis);
    }

    private static void Run(Tensor reference, Tensor indices, Tensor output, int outer, int n, int inner, string? op, int axis)
    {
        int count = indices.Size;
        if (count == 0 || output.Size == 0)
        {
            // Still validate: an empty row (a zero-sized trailing dim) does not make a bad index valid.
            for (int i = 0; i < count; i++) Resolve(indices.GetLong(i), n, i, op, axis);
            return;
        }
        int row = inner * reference.DType.ItemSize();
        fixed (byte* src = reference.Bytes())
        fixed (byte* dst = output.Bytes())
        {
            var job = new Job
            {
                Src = src, Dst = dst, Row = row, N = n, Outer = outer, Count = count, Op = op, Axis = axis,
                Indices = indices, Split = new Elementwise.Split(count),
            };
            if ((long)count * row * outer < ParallelBytes || Workers.Threads < 2) { job.Range(0, count); return; }
            try { Workers.Run(ref job, job.Split.Parts); }
            catch (KerasIndexException)
            {
                // Parts fail independently; report the first bad position, as one thread would.
                for (int i = 0; i < count; i++) Resolve(indices.GetLong(i), n, i, op, axis);
                throw;
            }
        }
    }

    /// <summary>gather's error (op null) or take's, which names the axis.</summary>
    private static long Resolve(long value, int n, int position, string? op, int axis) =>
        op is null ? GatherIndex.Resolve(value, n, position) : SelectIndex.Resolve(value, n, position, op, axis);

    private struct Job : IWorkItem
    {
        public byte* Src, Dst;
        public int Row, N, Outer, Count, Axis;
        public string? Op;
        public Tensor Indices;
        public Elementwise.Split Split;

        public readonly void Run(int part)
        {
            var (s, len) = Split[part];
            Range(s, s + len);
        }

        public readonly void Range(int start, int end) => Dispatch.On(Indices.DType, new RowCopy(this, start, end));

        /// <summary>Integer indices read in their own type; float and bool indices (which the spec allows as whole numbers) through GetLong.</summary>
        private readonly struct RowCopy(Job job, int start, int end) : IDTypeKernel
        {
            public void Integer<T>() where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T> =>
                job.Copy(job.Indices.ReadOnlySpan<T>(), start, end);

            public void Float<T>() where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>, System.Numerics.IMinMaxValue<T> => Bool();

            public void Bool()
            {
                for (int i = start; i < end; i++)
                    job.CopyOne(Resolve(job.Indices.GetLong(i), job.N, i, job.Op, job.Axis), i);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Copy<TI>(ReadOnlySpan<TI> idx, int start, int end) where TI : unmanaged, System.Numerics.IBinaryInteger<TI>
        {
            long row = Row;
            // Rows of a few lines: beyond that the hardware prefetcher follows the row by itself.
            bool prefetch = Sse.IsSupported && row <= 4096 && Outer == 1;
            for (int i = start; i < end; i++)
            {
                if (prefetch && i + PrefetchDistance < end)
                {
                    // A wrong (out-of-range) index ahead is only a prefetch hint: clamp it, its error comes when it is reached.
                    long ahead = long.CreateTruncating(idx[i + PrefetchDistance]);
                    if (ahead < 0) ahead += N;
                    if ((ulong)ahead < (ulong)N)
                    {
                        byte* p = Src + ahead * row;
                        for (long b = 0; b < row; b += 64) Sse.Prefetch0(p + b);
                    }
                }
                CopyOne(Resolve(long.CreateTruncating(idx[i]), N, i, Op, Axis), i);
            }
        }

        /// <summary>Row k of x into row i of the output, for every outer index.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void CopyOne(long k, int i)
        {
            long row = Row;
            for (int o = 0; o < Outer; o++)
                Buffer.MemoryCopy(Src + ((long)o * N + k) * row, Dst + ((long)o * Count + i) * row, row, row);
        }
    }
}
