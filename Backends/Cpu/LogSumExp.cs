using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// logsumexp as tf.reduce_logsumexp defines it: m' + log(Σ exp(x − m')), m' the maximum over the reduced axes, or 0 when
/// that maximum is not finite (so all −inf gives −inf, any +inf gives +inf, NaN gives NaN, an empty group −inf).
/// The reduced axes are viewed as one block (outer, n, inner); axes that are not adjacent are first moved last (Layout).
/// Rows (inner = 1) are processed in chunks of <see cref="Chunk"/> elements: the maximum, then the exponentials summed
/// from a buffer that stays in L1, so memory is read once; chunks combine with the usual rescaling. Columns (inner &gt; 1)
/// accumulate the maxima over the n rows of a block, then the sums, vector-wide over inner. Rows of large inputs are
/// split over the cores (<see cref="Workers"/>).
/// </summary>
internal static class LogSumExp
{
    /// <summary>Elements per row chunk: 4096 floats is 16 KB, half of L1 with the buffer of exponentials beside it.</summary>
    private const int Chunk = 4096;

    public static void Run<T>(Tensor x, int outer, int n, int inner, Tensor output) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var xs = x.ReadOnlySpan<T>();
        var o = output.Span<T>();
        if (inner != 1) { Columns(xs, outer, n, inner, o); return; }
        if (x.Size < Elementwise.ParallelThreshold || Workers.Threads < 2 || outer < 2) { Rows(xs, outer, n, o); return; }
        // Rows split over the cores: a few contiguous blocks of rows per thread (parts are claimed dynamically).
        int parts = Math.Min(outer, 4 * Workers.Threads);
        var job = new RowsJob<T> { X = x, Output = output, Outer = outer, N = n, Parts = parts };
        Workers.Run(ref job, parts);
    }

    private struct RowsJob<T> : IWorkItem where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public Tensor X, Output;
        public int Outer, N, Parts;

        public readonly void Run(int part)
        {
            int first = (int)((long)Outer * part / Parts), last = (int)((long)Outer * (part + 1) / Parts);
            Rows(X.ReadOnlySpan<T>().Slice(first * N, (last - first) * N), last - first, N, Output.Span<T>().Slice(first, last - first));
        }
    }

    private static void Rows<T>(ReadOnlySpan<T> xs, int outer, int n, Span<T> o) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var buf = ArrayPool<T>.Shared.Rent(Math.Max(1, Math.Min(n, Chunk)));
        try
        {
            for (int r = 0; r < outer; r++)
            {
                var row = xs.Slice(r * n, n);
                // Running (shift, sum) over the chunks, in T: sum = Σ exp(x − shift) so far.
                T shift = T.Zero, sum = T.Zero;
                bool any = false, nan = false, posInf = false;
                for (int c = 0; c < n && !nan; c += Chunk)
                {
                    var part = row.Slice(c, Math.Min(Chunk, n - c));
                    T m = TensorPrimitives.Max(part); // NaN when the chunk holds one
                    if (T.IsNaN(m)) { nan = true; break; }
                    if (T.IsPositiveInfinity(m)) { posInf = true; continue; }
                    if (T.IsNegativeInfinity(m)) continue; // contributes exp(−inf) = 0
                    var e = buf.AsSpan(0, part.Length);
                    TensorPrimitives.Subtract(part, m, e);
                    ExpOperator.TryInvoke<T>(e, e);
                    T s = TensorPrimitives.Sum<T>(e);
                    if (!any) { shift = m; sum = s; any = true; }
                    else if (m > shift) { sum = sum * T.Exp(shift - m) + s; shift = m; }
                    else sum += s * T.Exp(m - shift);
                }
                o[r] = nan ? T.NaN : posInf ? T.PositiveInfinity : any ? shift + T.Log(sum) : T.NegativeInfinity;
            }
        }
        finally { ArrayPool<T>.Shared.Return(buf); }
    }

    private static void Columns<T>(ReadOnlySpan<T> xs, int outer, int n, int inner, Span<T> o) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var shift = ArrayPool<T>.Shared.Rent(inner);
        var e = ArrayPool<T>.Shared.Rent(inner);
        try
        {
            var m = shift.AsSpan(0, inner);
            var ev = e.AsSpan(0, inner);
            for (int a = 0; a < outer; a++)
            {
                var block = xs.Slice(a * n * inner, n * inner);
                var res = o.Slice(a * inner, inner);
                if (n == 0) { res.Fill(T.NegativeInfinity); continue; }
                block[..inner].CopyTo(m);
                for (int j = 1; j < n; j++) TensorPrimitives.Max(m, block.Slice(j * inner, inner), m); // NaN-propagating
                // tf.reduce_logsumexp's shift: the maximum where it is finite, else 0.
                for (int i = 0; i < inner; i++) if (!T.IsFinite(m[i])) m[i] = T.Zero;
                res.Clear();
                for (int j = 0; j < n; j++)
                {
                    TensorPrimitives.Subtract(block.Slice(j * inner, inner), m, ev);
                    ExpOperator.TryInvoke<T>(ev, ev);
                    TensorPrimitives.Add(res, ev, res);
                }
                TensorPrimitives.Log(res, res);
                TensorPrimitives.Add(res, m, res);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(shift);
            ArrayPool<T>.Shared.Return(e);
        }
    }
}
