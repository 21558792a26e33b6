using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void Sum(Tensor x, int[] axis, bool keepdims, Tensor output)
    {
        var xc = As(x, output.DType);
        switch (output.DType)
        {
            case DType.Float32: Reductions.Sum<float>(xc, axis, output); break;
            case DType.Float64: Reductions.Sum<double>(xc, axis, output); break;
            case DType.Int32: Reductions.Sum<int>(xc, axis, output); break;
            case DType.Int64: Reductions.Sum<long>(xc, axis, output); break;
            default:
            {
                // float16: accumulate in float32, round once (as the spec says).
                using var f = Tensor.Uninitialized(DType.Float32, x.Shape);
                Casting.Cast(x, f);
                using var o = Tensor.Uninitialized(DType.Float32, output.Shape);
                Reductions.Sum<float>(f, axis, o);
                Casting.Cast(o, output);
                break;
            }
        }
        Release(xc, x);
    }
}
