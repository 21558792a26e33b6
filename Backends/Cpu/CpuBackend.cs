using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// The default backend: vectorized kernels (TensorPrimitives, Vector128/256/512) that split large work
/// across cores. Dispatch on dtype happens once per call; the loops are written once per arity in
/// <see cref="Elementwise"/>, <see cref="Reductions"/> and friends.
/// </summary>
[BackendImplementation("cpu")]
public sealed partial class CpuBackend : IBackend
{
    public string Name => "cpu";

    /// <summary>Returns <paramref name="t"/> in <paramref name="dtype"/> (itself when it already is; else a cast copy the caller disposes).</summary>
    internal static Tensor As(Tensor t, DType dtype)
    {
        if (t.DType == dtype) return t;
        var c = Tensor.Uninitialized(dtype, t.Shape);
        Casting.Cast(t, c);
        return c;
    }

    internal static void Release(Tensor temp, Tensor original)
    {
        if (!ReferenceEquals(temp, original)) temp.Dispose();
    }
}
