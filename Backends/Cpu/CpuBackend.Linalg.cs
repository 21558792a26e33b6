using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>nD dot as one GEMM per batch of y: (m, k) · (k, n) for each leading index of y.</summary>
    public void Dot(Tensor x, Tensor y, Tensor output)
    {
        int k = x.Shape[-1];
        int m = x.Shape.Prod(0, x.Rank - 1);
        int n = y.Rank >= 2 ? y.Shape[-1] : 1;
        int batches = y.Rank >= 2 ? y.Shape.Prod(0, y.Rank - 2) : 1;
        var work = GemmDType(output.DType);
        var xc = As(x, work);
        var yc = As(y, work);
        var od = work == output.DType ? output : Tensor.Uninitialized(work, output.Shape);
        Dispatch.OnNumeric(work, new DotKernel(xc, yc, od, m, k, n, batches));
        Release(xc, x);
        Release(yc, y);
        Finish(od, output);
    }

    /// <summary>The dtype a product computes in: float32, float64, int32 and int64 natively; float16 and the narrow
    /// integers in float64 (exact for their ranges), rounded once into the output (integers wrap as numpy's astype).</summary>
    private static DType GemmDType(DType output) =>
        output is DType.Float32 or DType.Float64 or DType.Int32 or DType.Int64 ? output : DType.Float64;

    private readonly struct DotKernel(Tensor x, Tensor y, Tensor output, int m, int k, int n, int batches) : INumericKernel
    {
        public void Run<T>() where T : unmanaged, System.Numerics.INumber<T> =>
            Gemm.DotBatched(x.ReadOnlySpan<T>(), y.ReadOnlySpan<T>(), output.Span<T>(), m, k, n, batches);
    }
}

public sealed partial class CpuBackend
{
    /// <summary>
    /// batch_dot: out[b] = tensordot(x[b], y[b], (a0-1, a1-1)). x is permuted to (B, M, K) with a0 last and y to
    /// (B, K, N) with a1 first after the batch (no copy when already so), then one GEMM per sample; samples split across cores when large.
    /// </summary>
    public void BatchDot(Tensor x, Tensor y, int[] axes, Tensor output)
    {
        int a0 = axes[0], a1 = axes[1];
        int batch = x.Shape[0], k = x.Shape[a0];
        int m = Prod(x.Shape, 1, a0), nn = Prod(y.Shape, 1, a1);
        var work = GemmDType(output.DType);
        var xp = Permuted(x, MoveLast(x.Rank, a0), work);
        var yp = Permuted(y, MoveAfterBatch(y.Rank, a1), work);
        var od = work == output.DType ? output : Tensor.Uninitialized(work, output.Shape);
        Dispatch.OnNumeric(work, new BatchedKernel(xp, yp, od, batch, m, k, nn));
        Release(xp, x);
        Release(yp, y);
        Finish(od, output);
    }

    private readonly struct BatchedKernel(Tensor x, Tensor y, Tensor output, int batch, int m, int k, int n) : INumericKernel
    {
        public void Run<T>() where T : unmanaged, System.Numerics.INumber<T> => Batched<T>(x, y, output, batch, m, k, n);
    }

    private static int Prod(Shape s, int start, int skip)
    {
        int p = 1;
        for (int i = start; i < s.Rank; i++) if (i != skip) p *= s[i];
        return p;
    }

    private static int[] MoveLast(int rank, int axis) => [.. Enumerable.Range(0, rank).Where(i => i != axis), axis];

    private static int[] MoveAfterBatch(int rank, int axis) => [0, axis, .. Enumerable.Range(1, rank - 1).Where(i => i != axis)];

    /// <summary>t permuted by pattern in dtype: t itself when neither changes anything (the usual (B,M,K)·(B,K,N) case).</summary>
    private static Tensor Permuted(Tensor t, int[] pattern, DType dtype)
    {
        bool identity = true;
        for (int i = 0; i < pattern.Length; i++) identity &= pattern[i] == i;
        var tc = As(t, dtype);
        if (identity) return tc;
        var p = Tensor.Uninitialized(dtype, Shape.Wrap(pattern.Select(i => t.Shape[i]).ToArray()));
        Layout.Permute(tc, pattern, p);
        Release(tc, t);
        return p;
    }

    private static void Batched<T>(Tensor x, Tensor y, Tensor output, int batch, int m, int k, int n)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        if (output.Size == 0) return;
        if (k == 0) { output.Bytes().Clear(); return; }
        // One call for all samples: Gemm splits small products by sample and large ones inside (no nested threads).
        Gemm.MatMulBatched(x.ReadOnlySpan<T>(), y.ReadOnlySpan<T>(), output.Span<T>(), m, k, n, batch);
    }
}
