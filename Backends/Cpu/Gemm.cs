using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

/// <summary>Matrix products. out[i, b, j] = Σ_t x[i, t] · y[b, t, j].</summary>
internal static class Gemm
{
    public static void DotBatched<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> output, int m, int k, int n, int batches)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        output.Clear();
        // i-t-j order: each step is a vector multiply-add of a y row into an output row (contiguous).
        for (int i = 0; i < m; i++)
            for (int b = 0; b < batches; b++)
            {
                var o = output.Slice((i * batches + b) * n, n);
                for (int t = 0; t < k; t++)
                {
                    T a = x[i * k + t];
                    if (a == T.Zero) continue;
                    TensorPrimitives.MultiplyAdd(y.Slice((b * k + t) * n, n), a, o, o);
                }
            }
    }
}
