using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>nD dot as one GEMM per batch of y: (m, k) · (k, n) for each leading index of y.</summary>
    public void Dot(Tensor x, Tensor y, Tensor output)
    {
        var xc = As(x, output.DType);
        var yc = As(y, output.DType);
        int k = x.Shape[-1];
        int m = x.Shape.Prod(0, x.Rank - 1);
        int n = y.Rank >= 2 ? y.Shape[-1] : 1;
        int batches = y.Rank >= 2 ? y.Shape.Prod(0, y.Rank - 2) : 1;
        switch (output.DType)
        {
            case DType.Float32: Gemm.DotBatched(xc.ReadOnlySpan<float>(), yc.ReadOnlySpan<float>(), output.Span<float>(), m, k, n, batches); break;
            case DType.Float64: Gemm.DotBatched(xc.ReadOnlySpan<double>(), yc.ReadOnlySpan<double>(), output.Span<double>(), m, k, n, batches); break;
            case DType.Int32: Gemm.DotBatched(xc.ReadOnlySpan<int>(), yc.ReadOnlySpan<int>(), output.Span<int>(), m, k, n, batches); break;
            case DType.Int64: Gemm.DotBatched(xc.ReadOnlySpan<long>(), yc.ReadOnlySpan<long>(), output.Span<long>(), m, k, n, batches); break;
            default:
            {
                // float16 and narrow ints: compute in float64 (exact for these ranges), round once.
                using var xd = Tensor.Uninitialized(DType.Float64, x.Shape); Casting.Cast(x, xd);
                using var yd = Tensor.Uninitialized(DType.Float64, y.Shape); Casting.Cast(y, yd);
                using var od = Tensor.Uninitialized(DType.Float64, output.Shape);
                Gemm.DotBatched(xd.ReadOnlySpan<double>(), yd.ReadOnlySpan<double>(), od.Span<double>(), m, k, n, batches);
                if (output.DType.IsFloat()) Casting.Cast(od, output);
                else for (int i = 0; i < output.Size; i++) output.SetLong(i, (long)od.GetDouble(i));
                break;
            }
        }
        Release(xc, x);
        Release(yc, y);
    }
}
