using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

/// <summary>Round half to even (numpy.rint, tf.round).</summary>
internal readonly struct RoundOp<T> : IUnarySpanOp<T> where T : IFloatingPoint<T>
{
    public static void Run(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Round(x, MidpointRounding.ToEven, d);
}

internal readonly struct SinOp<T> : IUnarySpanOp<T> where T : ITrigonometricFunctions<T>
{
    public static void Run(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sin(x, d);
}

internal readonly struct CosOp<T> : IUnarySpanOp<T> where T : ITrigonometricFunctions<T>
{
    public static void Run(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cos(x, d);
}

/// <summary>
/// numpy.sign as selects: (x &gt; 0) - (x &lt; 0), so ±0 give +0, and NaN lanes (x != x) keep x. TensorPrimitives.Sign
/// returns int32 and throws on NaN, hence this Vector512 form.
/// </summary>
internal readonly struct SignOp<T> : IUnarySpanOp<T> where T : unmanaged, INumber<T>
{
    public static unsafe void Run(ReadOnlySpan<T> x, Span<T> d)
    {
        int i = 0, n = x.Length;
        fixed (T* px = x)
        fixed (T* pd = d)
        {
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            {
                Vector512<T> one = Vector512<T>.One, zero = Vector512<T>.Zero;
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                {
                    var v = Vector512.Load(px + i);
                    var s = (Vector512.GreaterThan(v, zero) & one) - (Vector512.LessThan(v, zero) & one);
                    Vector512.ConditionalSelect(Vector512.Equals(v, v), s, v).Store(pd + i);
                }
            }
            for (; i < n; i++)
            {
                T v = px[i];
                pd[i] = v > T.Zero ? T.One : v < T.Zero ? -T.One : T.IsNaN(v) ? v : T.Zero;
            }
        }
    }
}

/// <summary>maximum(minimum(x, hi), lo) in two vector passes; TensorPrimitives' Min/Max propagate NaN as TensorFlow's do.</summary>
internal static class Clamping
{
    public static void Run<T>(ReadOnlySpan<T> x, T lo, T hi, Span<T> d) where T : INumber<T>
    {
        TensorPrimitives.Min(x, hi, d);
        TensorPrimitives.Max(d, lo, d);
    }
}

public sealed partial class CpuBackend
{
    /// <summary>Half to even on floats (float16 through float32, exactly); integers and bool are copied.</summary>
    public void Round(Tensor x, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Elementwise.Unary<float, RoundOp<float>>(x, output); break;
            case DType.Float64: Elementwise.Unary<double, RoundOp<double>>(x, output); break;
            case DType.Float16: { using var xf = As(x, DType.Float32); ViaFloat32(xf, output, Round); break; }
            default: x.Bytes().CopyTo(output.Bytes()); break;
        }
    }

    /// <summary>-1, 0 or 1 in x's dtype (NaN stays NaN), one Vector512 select pass.</summary>
    public void Sign(Tensor x, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Elementwise.Unary<float, SignOp<float>>(x, output); break;
            case DType.Float64: Elementwise.Unary<double, SignOp<double>>(x, output); break;
            case DType.Float16: { using var xf = As(x, DType.Float32); ViaFloat32(xf, output, Sign); break; }
            case DType.Int32: Elementwise.Unary<int, SignOp<int>>(x, output); break;
            case DType.Int64: Elementwise.Unary<long, SignOp<long>>(x, output); break;
            case DType.Int16: Elementwise.Unary<short, SignOp<short>>(x, output); break;
            case DType.Int8: Elementwise.Unary<sbyte, SignOp<sbyte>>(x, output); break;
            default: Elementwise.Unary<byte, SignOp<byte>>(x, output); break;
        }
    }

    /// <summary>sin x (integers → floatx first; float16 via float32).</summary>
    public void Sin(Tensor x, Tensor output) => FloatUnary<SinOp<float>, SinOp<double>>(x, output, Sin);

    /// <summary>cos x (integers → floatx first; float16 via float32).</summary>
    public void Cos(Tensor x, Tensor output) => FloatUnary<CosOp<float>, CosOp<double>>(x, output, Cos);

    /// <summary>
    /// clip with tf-keras's bound rules (<see cref="ClipBounds"/>). Floats: two vector passes in their dtype (float16 in
    /// float32). Integers (bool as int32): exactly in their own type when the bounds are whole, else through float64 with
    /// truncation toward zero, as numpy.clip(x, lo, hi).astype(dtype).
    /// </summary>
    public void Clip(Tensor x, double? minValue, double? maxValue, Tensor output)
    {
        var (lo, hi) = ClipBounds.Resolve(minValue, maxValue);
        var dt = output.DType;
        if (dt == DType.Float16 || (!dt.IsFloat() && !ClipBounds.Whole(lo, hi)))
        {
            var ct = dt == DType.Float16 ? DType.Float32 : DType.Float64;
            using var xc = Tensor.Uninitialized(ct, x.Shape);
            Casting.Cast(x, xc);
            if (ct == DType.Float32) Clamping.Run(xc.ReadOnlySpan<float>(), (float)lo, (float)hi, xc.Span<float>());
            else Clamping.Run(xc.ReadOnlySpan<double>(), lo, hi, xc.Span<double>());
            Casting.Cast(xc, output);
            return;
        }
        var xs = As(x, dt);
        switch (dt)
        {
            case DType.Float32: Clamping.Run(xs.ReadOnlySpan<float>(), (float)lo, (float)hi, output.Span<float>()); break;
            case DType.Float64: Clamping.Run(xs.ReadOnlySpan<double>(), lo, hi, output.Span<double>()); break;
            case DType.Int32: ClipInt<int>(xs, lo, hi, output); break;
            case DType.Int64: ClipInt<long>(xs, lo, hi, output); break;
            case DType.Int16: ClipInt<short>(xs, lo, hi, output); break;
            case DType.Int8: ClipInt<sbyte>(xs, lo, hi, output); break;
            default: ClipInt<byte>(xs, lo, hi, output); break;
        }
        Release(xs, x);
    }

    private static void ClipInt<T>(Tensor x, double lo, double hi, Tensor output) where T : unmanaged, IBinaryInteger<T> =>
        Clamping.Run(x.ReadOnlySpan<T>(), T.CreateSaturating(lo), T.CreateSaturating(hi), output.Span<T>());
}
