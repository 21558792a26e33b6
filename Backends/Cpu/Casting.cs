using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

/// <summary>dtype conversion with numpy's astype semantics, vectorized where the rules allow.</summary>
internal static class Casting
{
    public static void Cast(Tensor src, Tensor dst)
    {
        if (src.DType == dst.DType) { src.Bytes().CopyTo(dst.Bytes()); return; }
        if (dst.DType == DType.Bool) { ToBool(src, dst); return; }
        if (src.DType == DType.Bool) { FromBool(src, dst); return; }
        if (src.DType.IsFloat() && !dst.DType.IsFloat()) { FloatToInt(src, dst); return; }
        Dispatch.OnNumeric(src.DType, new From(src, dst));
    }

    /// <summary>Numeric to numeric: the source's element type, then the destination's.</summary>
    private readonly struct From(Tensor s, Tensor d) : INumericKernel
    {
        public void Run<TFrom>() where TFrom : unmanaged, INumber<TFrom> => Dispatch.OnNumeric(d.DType, new To<TFrom>(s, d));
    }

    private readonly struct To<TFrom>(Tensor s, Tensor d) : INumericKernel where TFrom : unmanaged, INumber<TFrom>
    {
        public void Run<TTo>() where TTo : unmanaged, INumber<TTo> => Conv<TFrom, TTo>(s, d);
    }

    // Integer → integer truncation wraps (two's complement), as numpy's does; float conversions round to nearest.
    private static void Conv<TFrom, TTo>(Tensor s, Tensor d)
        where TFrom : unmanaged, INumberBase<TFrom> where TTo : unmanaged, INumberBase<TTo> =>
        TensorPrimitives.ConvertTruncating<TFrom, TTo>(s.ReadOnlySpan<TFrom>(), d.Span<TTo>());

    // numpy on x86: truncation toward zero; NaN, ±inf and out-of-range values become the int64 minimum,
    // then wrap into the narrower width. Scalar on purpose: the rules differ from .NET's saturating casts.
    private static void FloatToInt(Tensor s, Tensor d)
    {
        for (int i = 0; i < d.Size; i++) d.SetLong(i, Conversions.DoubleToLong(s.GetDouble(i)));
    }

    private static void ToBool(Tensor s, Tensor d)
    {
        var dst = d.Span<bool>();
        for (int i = 0; i < dst.Length; i++) dst[i] = s.GetDouble(i) != 0;
    }

    private static void FromBool(Tensor s, Tensor d)
    {
        var src = s.ReadOnlySpan<bool>();
        for (int i = 0; i < src.Length; i++) d.SetLong(i, src[i] ? 1 : 0);
    }
}
