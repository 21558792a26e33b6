using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// dot_product_attention, fused (flash-attention style): out[b, t, n] = Σ_s softmax_s(scale · q[b, t, n] · k[b, s, kv]
/// + bias, masked) · v[b, s, kv], with kv = n / (N / K) (grouped-query attention).
/// </summary>
/// <remarks>
/// Design. One part per (batch, kv head), claimed dynamically by the cores. A part transposes its key head once into
/// kᵀ (H × S), then for each query head of the group and each block of <see cref="BlockQ"/> queries (pre-scaled into
/// a contiguous block) walks the keys in blocks of <see cref="BlockK"/>: the logits of the block are one small GEMM
/// (queries × kᵀ slice, <see cref="Gemm.MatMulStrided{T}"/>), bias and masks are applied in place (a masked logit
/// becomes Keras' -0.7·finfo.max, as its backends do), and an online softmax keeps per row the running max m and sum l:
/// the output rows are rescaled by exp(m_old − m_new) and receive P · V_block (a second small GEMM reading V in place).
/// The only buffers are per part and block-sized (rented from the pool, so steady-state calls allocate nothing); no
/// (T, S) matrix exists. With is_causal a query block stops at its last query's key, so about half the blocks are
/// never computed; the skipped logits are masked ones whose exponentials are exactly 0 once a row has an unmasked
/// logit — a row masked everywhere is uniform over all S keys in Keras, which the kernel reproduces explicitly.
/// </remarks>
internal static unsafe class Attention
{
    private const int BlockQ = 64;
    private const int BlockK = 64;

    /// <summary>Geometry and operands of one call (inputs already in the compute type T).</summary>
    internal struct Problem
    {
        public int B, T, S, N, Kv, H;
        public double Scale;
        public bool Causal;
        public nint Q, K, V, O, Bias, Mask;
        /// <summary>Element strides of bias and mask over (B, N, T, S): 0 on broadcast axes.</summary>
        public long BiasB, BiasN, BiasT, BiasS, MaskB, MaskN, MaskT, MaskS;
    }

    public static void Run<T>(ref Problem p) where T : unmanaged, IFloatingPointIeee754<T>, IExponentialFunctions<T>
    {
        var job = new Job<T> { P = p };
        int parts = p.B * p.Kv;
        if (parts == 0 || p.T == 0) return;
        if ((long)p.T * p.S * p.H * p.N * p.B < 1 << 18 || Workers.Threads < 2)
        {
            for (int i = 0; i < parts; i++) job.Run(i);
            return;
        }
        Workers.Run(ref job, parts);
    }

    private struct Job<T> : IWorkItem where T : unmanaged, IFloatingPointIeee754<T>, IExponentialFunctions<T>
    {
        public Problem P;

        public readonly void Run(int part) => Head<T>(P, part / P.Kv, part % P.Kv);
    }

    /// <summary>Every query head of kv head <paramref name="kv"/> in batch <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Head<T>(in Problem p, int b, int kv) where T : unmanaged, IFloatingPointIeee754<T>, IExponentialFunctions<T>
    {
        int H = p.H, S = p.S, G = p.N / p.Kv;
        int kvRow = p.Kv * H, qRow = p.N * H;
        var pool = ArrayPool<T>.Shared;
        var kt = pool.Rent(Math.Max(1, H * S));
        var qs = pool.Rent(BlockQ * H);
        var sc = pool.Rent(BlockQ * BlockK);
        var acc = pool.Rent(BlockQ * H);
        var pv = pool.Rent(BlockQ * H);
        var stats = pool.Rent(2 * BlockQ);
        try
        {
            fixed (T* ktp = kt, qsp = qs, scp = sc, accp = acc, pvp = pv, st = stats)
            {
                T* k = (T*)p.K + (long)b * S * kvRow + (long)kv * H;
                T* v = (T*)p.V + (long)b * S * kvRow + (long)kv * H;
                // kᵀ (H × S) of this head: the B operand of every logits block.
                for (int s = 0; s < S; s++)
                {
                    T* row = k + (long)s * kvRow;
                    for (int h = 0; h < H; h++) ktp[(long)h * S + s] = row[h];
                }
                T scale = T.CreateTruncating(p.Scale);
                T masked = T.CreateTruncating(-0.7) * MaxOf<T>();
                T* m = st, l = st + BlockQ;
                for (int g = 0; g < G; g++)
                {
                    int n = kv * G + g;
                    for (int t0 = 0; t0 < p.T; t0 += BlockQ)
                    {
                        int rows = Math.Min(BlockQ, p.T - t0);
                        T* q = (T*)p.Q + ((long)b * p.T + t0) * qRow + (long)n * H;
                        for (int i = 0; i < rows; i++)
                        {
                            TensorPrimitives.Multiply(new ReadOnlySpan<T>(q + (long)i * qRow, H), scale, new Span<T>(qsp + i * H, H));
                            m[i] = T.NegativeInfinity;
                            l[i] = T.Zero;
                        }
                        new Span<T>(accp, rows * H).Clear();
                        int sEnd = p.Causal ? Math.Min(S, t0 + rows) : S;
                        for (int s0 = 0; s0 < sEnd; s0 += BlockK)
                        {
                            int cols = Math.Min(BlockK, sEnd - s0);
                            Gemm.MatMulStrided(qsp, H, ktp + s0, S, scp, BlockK, rows, H, cols);
                            for (int i = 0; i < rows; i++)
                            {
                                var logits = new Span<T>(scp + i * BlockK, cols);
                                Adjust(p, logits, b, n, t0 + i, s0, masked);
                                T mNew = T.Max(m[i], TensorPrimitives.Max<T>(logits));
                                T alpha = T.Exp(m[i] - mNew);
                                T sum = ExpShifted(logits, mNew);
                                l[i] = l[i] * alpha + sum;
                                m[i] = mNew;
                                if (alpha != T.One) TensorPrimitives.Multiply(new ReadOnlySpan<T>(accp + i * H, H), alpha, new Span<T>(accp + i * H, H));
                            }
                            Gemm.MatMulStrided(scp, BlockK, v + (long)s0 * kvRow, kvRow, pvp, H, rows, cols, H);
                            TensorPrimitives.Add(new ReadOnlySpan<T>(accp, rows * H), new ReadOnlySpan<T>(pvp, rows * H), new Span<T>(accp, rows * H));
                        }
                        T* o = (T*)p.O + ((long)b * p.T + t0) * qRow + (long)n * H;
                        for (int i = 0; i < rows; i++)
                        {
                            var dst = new Span<T>(o + (long)i * qRow, H);
                            if (m[i] <= masked && sEnd < S)
                                // Masked everywhere: Keras' equal logits give the mean of every value row, the skipped ones included.
                                MeanOfValues(v, kvRow, S, dst);
                            else
                                TensorPrimitives.Multiply(new ReadOnlySpan<T>(accp + i * H, H), T.One / l[i], dst);
                        }
                    }
                }
            }
        }
        finally
        {
            pool.Return(kt);
            pool.Return(qs);
            pool.Return(sc);
            pool.Return(acc);
            pool.Return(pv);
            pool.Return(stats);
        }
    }

    /// <summary>Adds the bias row and applies the mask and the causal rule to the logits of query t, keys s0...</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Adjust<T>(in Problem p, Span<T> logits, int b, int n, int t, int s0, T masked) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p.Bias != 0)
        {
            T* bias = (T*)p.Bias + b * p.BiasB + n * p.BiasN + t * p.BiasT + s0 * p.BiasS;
            if (p.BiasS == 1) TensorPrimitives.Add(logits, new ReadOnlySpan<T>(bias, logits.Length), logits);
            else TensorPrimitives.Add(logits, bias[0], logits);
        }
        if (p.Mask != 0)
        {
            bool* mask = (bool*)p.Mask + b * p.MaskB + n * p.MaskN + t * p.MaskT + s0 * p.MaskS;
            for (int j = 0; j < logits.Length; j++) if (!mask[j * p.MaskS]) logits[j] = masked;
        }
        if (p.Causal)
            for (int j = Math.Max(0, t + 1 - s0); j < logits.Length; j++) logits[j] = masked;
    }

    /// <summary>row ← exp(row − shift), returning Σ row (float32: the backend's fused exp).</summary>
    private static T ExpShifted<T>(Span<T> row, T shift) where T : unmanaged, IFloatingPointIeee754<T>, IExponentialFunctions<T>
    {
        if (typeof(T) == typeof(float))
        {
            var f = MemoryMarshal.Cast<T, float>(row);
            return T.CreateTruncating(Transcendental.ExpShiftedSum(f, float.CreateTruncating(shift), f));
        }
        TensorPrimitives.Subtract(row, shift, row);
        TensorPrimitives.Exp(row, row);
        return TensorPrimitives.Sum<T>(row);
    }

    private static void MeanOfValues<T>(T* v, int kvRow, int s, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        dst.Clear();
        for (int j = 0; j < s; j++) TensorPrimitives.Add(dst, new ReadOnlySpan<T>(v + (long)j * kvRow, dst.Length), dst);
        TensorPrimitives.Multiply(dst, T.One / T.CreateTruncating(s), dst);
    }

    private static T MaxOf<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(float.MaxValue) : T.CreateTruncating(double.MaxValue);
}
