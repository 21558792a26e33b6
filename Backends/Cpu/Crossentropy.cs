using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// The categorical crossentropies, fused per row of classes (the class axis last and contiguous; the caller moves
/// another axis there with one permuted copy). A row is read from memory once and stays in L1 for the few span
/// passes over it: with logits, its maximum m, then exp(x - m) with its sum s in one pass (the backend's own
/// float32 exp, as softmax), then Σt and Σt·(x - m) in one vector pass; the loss is Σt·log s - Σt·(x - m), the
/// stable log-softmax without ever forming log(softmax). With probabilities, o / Σo clipped to [ε, 1 - ε] and
/// its log go through TensorPrimitives, and the loss is a dot product with the target. Rows are split across
/// the cores for large inputs; each part rents one scratch row.
/// </summary>
internal static class Crossentropy
{
    public enum Kind { Categorical, Sparse }

    /// <summary>
    /// Fills <paramref name="result"/> (rows values) from x (rows × n). <paramref name="target"/> is rows × n for
    /// <see cref="Kind.Categorical"/> and holds one label per row (any dtype, read as long) for <see cref="Kind.Sparse"/>.
    /// </summary>
    public static void Run<T>(Kind kind, Tensor target, Tensor x, int n, bool fromLogits, T eps, long? ignore, Tensor result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = result.Size;
        if (rows == 0) return;
        var job = new RowsJob<T> { Kind = kind, Target = target, X = x, N = n, FromLogits = fromLogits, Eps = eps, Ignore = ignore, Result = result };
        long work = (long)rows * Math.Max(n, 1);
        int parts = work < Reductions.ParallelThreshold || Workers.Threads < 2 ? 1 : Math.Min(rows, Workers.Threads * 4);
        job.Step = (rows + parts - 1) / parts;
        Workers.Run(ref job, (rows + job.Step - 1) / job.Step);
    }

    private struct RowsJob<T> : IWorkItem where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Kind Kind;
        public Tensor Target, X, Result;
        public int N, Step;
        public bool FromLogits;
        public T Eps;
        public long? Ignore;

        public readonly void Run(int part)
        {
            int a = part * Step, b = Math.Min(Result.Size, a + Step);
            var scratch = ArrayPool<T>.Shared.Rent(Math.Max(N, 1));
            try
            {
                var xs = X.ReadOnlySpan<T>();
                var r = Result.Span<T>();
                var tmp = scratch.AsSpan(0, N);
                for (int row = a; row < b; row++)
                {
                    var x = xs.Slice(row * N, N);
                    if (Kind == Kind.Categorical)
                    {
                        var t = Target.ReadOnlySpan<T>().Slice(row * N, N);
                        r[row] = FromLogits ? CategoricalLogits(t, x, tmp) : CategoricalProbabilities(t, x, tmp, Eps);
                    }
                    else
                    {
                        long label = Target.GetLong(row);
                        if (Ignore == label) { r[row] = T.Zero; continue; }
                        r[row] = FromLogits ? SparseLogits((int)label, x, tmp) : SparseProbabilities((int)label, x, tmp, Eps);
                    }
                }
            }
            finally { ArrayPool<T>.Shared.Return(scratch); }
        }
    }

    /// <summary>Σ exp(x - m) with m = max x (exp(x - m) is left in tmp); returns (m, s).</summary>
    private static (T m, T s) ShiftedExpSum<T>(ReadOnlySpan<T> x, Span<T> tmp) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = TensorPrimitives.Max(x);
        if (typeof(T) == typeof(float))
        {
            float s = Transcendental.ExpShiftedSum(MemoryMarshal.Cast<T, float>(x), float.CreateTruncating(m), MemoryMarshal.Cast<T, float>(tmp));
            return (m, T.CreateTruncating(s));
        }
        TensorPrimitives.Subtract(x, m, tmp);
        TensorPrimitives.Exp(tmp, tmp);
        return (m, TensorPrimitives.Sum<T>(tmp));
    }

    /// <summary>Σt·log s - Σt·(x - m): -Σ t·log_softmax(x).</summary>
    private static T CategoricalLogits<T>(ReadOnlySpan<T> t, ReadOnlySpan<T> x, Span<T> tmp) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length == 0) return T.Zero;
        var (m, s) = ShiftedExpSum(x, tmp);
        var (st, stx) = TargetSums(t, x, m);
        return st * T.Log(s) - stx;
    }

    /// <summary>(Σt, Σt·(x - m)) in one vector pass.</summary>
    private static (T, T) TargetSums<T>(ReadOnlySpan<T> t, ReadOnlySpan<T> x, T m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, n = x.Length;
        T st = T.Zero, stx = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vm = new Vector<T>(m);
            Vector<T> a0 = Vector<T>.Zero, a1 = Vector<T>.Zero;
            var tv = MemoryMarshal.Cast<T, Vector<T>>(t);
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            for (int k = 0; k < xv.Length; k++)
            {
                a0 += tv[k];
                a1 += tv[k] * (xv[k] - vm);
            }
            st = Vector.Sum(a0);
            stx = Vector.Sum(a1);
            i = xv.Length * Vector<T>.Count;
        }
        for (; i < n; i++) { st += t[i]; stx += t[i] * (x[i] - m); }
        return (st, stx);
    }

    /// <summary>-Σ t·log(clip(o / Σo, ε, 1 - ε)).</summary>
    private static T CategoricalProbabilities<T>(ReadOnlySpan<T> t, ReadOnlySpan<T> o, Span<T> tmp, T eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (o.Length == 0) return T.Zero;
        TensorPrimitives.Divide(o, TensorPrimitives.Sum(o), tmp);
        Clip(tmp, eps);
        TensorPrimitives.Log(tmp, tmp);
        return -TensorPrimitives.Dot(t, tmp);
    }

    /// <summary>logsumexp(x) - x[label] = log s - (x[label] - m).</summary>
    private static T SparseLogits<T>(int label, ReadOnlySpan<T> x, Span<T> tmp) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (m, s) = ShiftedExpSum(x, tmp);
        return T.Log(s) - (x[label] - m);
    }

    /// <summary>log Σ clip(o) - log clip(o)[label]: the log of the clipped output taken as logits.</summary>
    private static T SparseProbabilities<T>(int label, ReadOnlySpan<T> o, Span<T> tmp, T eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        o.CopyTo(tmp);
        Clip(tmp, eps);
        return T.Log(TensorPrimitives.Sum<T>(tmp)) - T.Log(tmp[label]);
    }

    /// <summary>d = min(max(d, ε), 1 - ε) in place (NaN stays NaN), as tf.clip_by_value.</summary>
    public static void Clip<T>(Span<T> d, T eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Max(d, eps, d);
        TensorPrimitives.Min(d, T.One - eps, d);
    }
}
