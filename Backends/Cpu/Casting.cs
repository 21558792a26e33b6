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
        switch (src.DType)
        {
            case DType.Float32: To<float>(src, dst); break;
            case DType.Float64: To<double>(src, dst); break;
            case DType.Float16: To<Half>(src, dst); break;
            case DType.Int32: To<int>(src, dst); break;
            case DType.Int64: To<long>(src, dst); break;
            case DType.Int16: To<short>(src, dst); break;
            case DType.Int8: To<sbyte>(src, dst); break;
            case DType.UInt8: To<byte>(src, dst); break;
        }
    }

    private static void To<TFrom>(Tensor s, Tensor d) where TFrom : unmanaged, INumberBase<TFrom>
    {
        switch (d.DType)
        {
            case DType.Float32: Conv<TFrom, float>(s, d); break;
            case DType.Float64: Conv<TFrom, double>(s, d); break;
            case DType.Float16: Conv<TFrom, Half>(s, d); break;
            case DType.Int32: Conv<TFrom, int>(s, d); break;
            case DType.Int64: Conv<TFrom, long>(s, d); break;
            case DType.Int16: Conv<TFrom, short>(s, d); break;
            case DType.Int8: Conv<TFrom, sbyte>(s, d); break;
            case DType.UInt8: Conv<TFrom, byte>(s, d); break;
        }
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
