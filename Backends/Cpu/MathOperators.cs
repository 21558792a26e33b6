using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

// Elementwise operators of the math family (wired in CpuBackend.Math.cs). The scalar form is the definition the
// tests hold every path to; TryInvoke names TensorPrimitives' kernel where it has the op.

/// <summary>x + y (integers wrap).</summary>
internal readonly struct AddOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x + y;
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> => x + y;
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> => x + y;
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> => x + y;
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Add(x, y, d); return true; }
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Add(x, y, d); return true; }
    public static bool TryInvoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Add(y, x, d); return true; }
}

/// <summary>x − y (integers wrap).</summary>
internal readonly struct SubtractOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x - y;
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> => x - y;
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> => x - y;
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> => x - y;
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Subtract(x, y, d); return true; }
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Subtract(x, y, d); return true; }
    public static bool TryInvoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Subtract(x, y, d); return true; }
}

/// <summary>x · y (integers wrap).</summary>
internal readonly struct MultiplyOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x * y;
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> => x * y;
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> => x * y;
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> => x * y;
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Multiply(x, y, d); return true; }
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Multiply(x, y, d); return true; }
    public static bool TryInvoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> { TensorPrimitives.Multiply(y, x, d); return true; }
}

/// <summary>x / y (true division; float outputs only, as the dtype rule gives).</summary>
internal readonly struct DivideOperator : IFloatBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x / y;
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x / y;
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x / y;
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x / y;
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> { TensorPrimitives.Divide(x, y, d); return true; }
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> { TensorPrimitives.Divide(x, y, d); return true; }
    public static bool TryInvoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> { TensorPrimitives.Divide(x, y, d); return true; }
}

/// <summary>numpy.maximum: x if x &gt; y or x is NaN, else y (so NaN in either wins, and of two equal values, ±0 included,
/// y is returned, as numpy's loops do: maximum(0., -0.) is -0.). TensorPrimitives.Max orders -0 below +0, so it is not used.</summary>
internal readonly struct MaximumOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x > y || T.IsNaN(x) ? x : y;
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> => Vector128.ConditionalSelect(Vector128.GreaterThan(x, y) | ~Vector128.Equals(x, x), x, y);
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> => Vector256.ConditionalSelect(Vector256.GreaterThan(x, y) | ~Vector256.Equals(x, x), x, y);
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> => Vector512.ConditionalSelect(Vector512.GreaterThan(x, y) | ~Vector512.Equals(x, x), x, y);
}

/// <summary>numpy.minimum: x if x &lt; y or x is NaN, else y (NaN wins; of two equal values y).</summary>
internal readonly struct MinimumOperator : IBinaryOperator
{
    public T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x < y || T.IsNaN(x) ? x : y;
    public Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T> => Vector128.ConditionalSelect(Vector128.LessThan(x, y) | ~Vector128.Equals(x, x), x, y);
    public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T> => Vector256.ConditionalSelect(Vector256.LessThan(x, y) | ~Vector256.Equals(x, x), x, y);
    public Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T> => Vector512.ConditionalSelect(Vector512.LessThan(x, y) | ~Vector512.Equals(x, x), x, y);
}

/// <summary>−x (integers wrap: uint8 −1 is 255, the signed minimum maps to itself, as numpy).</summary>
internal readonly struct NegateOperator : IUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, INumber<T> => -x;
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, INumber<T> => -x;
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, INumber<T> => -x;
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, INumber<T> => -x;
}

/// <summary>|x|: floats clear the sign (−0 → 0, NaN stays NaN); signed integers wrap at their minimum value (numpy; T.Abs would throw); uint8 is itself.</summary>
internal readonly struct AbsOperator : IUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, INumber<T> => T.IsNegative(x) ? -x : x;
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, INumber<T> => Vector128.Abs(x);
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, INumber<T> => Vector256.Abs(x);
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, INumber<T> => Vector512.Abs(x);
}

/// <summary>x · x (integers wrap).</summary>
internal readonly struct SquareOperator : IUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, INumber<T> => x * x;
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, INumber<T> => x * x;
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, INumber<T> => x * x;
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, INumber<T> => x * x;
}

/// <summary>
/// tf-keras's sqrt: negative inputs are clipped to 0 first (backend.py sqrt: <c>x = tf.maximum(x, zero)</c>), so √ of a
/// negative is 0, not NaN; NaN stays NaN and −0 stays −0 (the select keeps x unless it is below 0).
/// </summary>
internal readonly struct SqrtOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Sqrt(x < T.Zero ? T.Zero : x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector128.Sqrt(Vector128.AndNot(x, Vector128.LessThan(x, Vector128<T>.Zero)));
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector256.Sqrt(Vector256.AndNot(x, Vector256.LessThan(x, Vector256<T>.Zero)));
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector512.Sqrt(Vector512.AndNot(x, Vector512.LessThan(x, Vector512<T>.Zero)));
}

/// <summary>ln x (−inf at ±0, NaN below 0).</summary>
internal readonly struct LogOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Log(x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector128.Log(x.AsSingle()).As<float, T>() : Vector128.Log(x.AsDouble()).As<double, T>();
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Log(x.AsSingle()).As<float, T>() : Vector256.Log(x.AsDouble()).As<double, T>();
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.Log(x.AsSingle()).As<float, T>() : Vector512.Log(x.AsDouble()).As<double, T>();
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> { TensorPrimitives.Log(x, d); return true; }
}

/// <summary>e^x: float32 through <see cref="Transcendental"/> (faster, within 3 ulp), float64 through TensorPrimitives.</summary>
internal readonly struct ExpOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Exp(x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? Transcendental.ExpKernel.Apply(Vector256.Create(x.AsSingle(), x.AsSingle())).GetLower().As<float, T>() // the same formula at every width
            : Vector128.Exp(x.AsDouble()).As<double, T>();
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Transcendental.ExpKernel.Apply(x.AsSingle()).As<float, T>() : Vector256.Exp(x.AsDouble()).As<double, T>();
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Transcendental.ExpKernel.Apply(x.AsSingle()).As<float, T>() : Vector512.Exp(x.AsDouble()).As<double, T>();

    public static bool TryInvoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) Transcendental.Serial<Transcendental.ExpKernel>(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d));
        else TensorPrimitives.Exp(x, d);
        return true;
    }
}

/// <summary>Round half to even (numpy.rint, tf.round); ±inf, NaN and ±0 unchanged.</summary>
internal readonly struct RoundOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Round(x, MidpointRounding.ToEven);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector128.Round(x.AsSingle()).As<float, T>() : Vector128.Round(x.AsDouble()).As<double, T>();
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Round(x.AsSingle()).As<float, T>() : Vector256.Round(x.AsDouble()).As<double, T>();
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.Round(x.AsSingle()).As<float, T>() : Vector512.Round(x.AsDouble()).As<double, T>();
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> { TensorPrimitives.Round(x, MidpointRounding.ToEven, d); return true; }
}

/// <summary>numpy.sign: (x &gt; 0) − (x &lt; 0), so ±0 give +0; NaN lanes (x ≠ x) keep x. (TensorPrimitives.Sign returns int32 and throws on NaN.)</summary>
internal readonly struct SignOperator : IUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, INumber<T> => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.IsNaN(x) ? x : T.Zero;
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, INumber<T> =>
        Vector128.ConditionalSelect(Vector128.Equals(x, x),
            (Vector128.GreaterThan(x, Vector128<T>.Zero) & Vector128<T>.One) - (Vector128.LessThan(x, Vector128<T>.Zero) & Vector128<T>.One), x);
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, INumber<T> =>
        Vector256.ConditionalSelect(Vector256.Equals(x, x),
            (Vector256.GreaterThan(x, Vector256<T>.Zero) & Vector256<T>.One) - (Vector256.LessThan(x, Vector256<T>.Zero) & Vector256<T>.One), x);
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, INumber<T> =>
        Vector512.ConditionalSelect(Vector512.Equals(x, x),
            (Vector512.GreaterThan(x, Vector512<T>.Zero) & Vector512<T>.One) - (Vector512.LessThan(x, Vector512<T>.Zero) & Vector512<T>.One), x);
}

/// <summary>sin x.</summary>
internal readonly struct SinOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Sin(x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector128.Sin(x.AsSingle()).As<float, T>() : Vector128.Sin(x.AsDouble()).As<double, T>();
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Sin(x.AsSingle()).As<float, T>() : Vector256.Sin(x.AsDouble()).As<double, T>();
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.Sin(x.AsSingle()).As<float, T>() : Vector512.Sin(x.AsDouble()).As<double, T>();
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> { TensorPrimitives.Sin(x, d); return true; }
}

/// <summary>cos x.</summary>
internal readonly struct CosOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Cos(x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector128.Cos(x.AsSingle()).As<float, T>() : Vector128.Cos(x.AsDouble()).As<double, T>();
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Cos(x.AsSingle()).As<float, T>() : Vector256.Cos(x.AsDouble()).As<double, T>();
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.Cos(x.AsSingle()).As<float, T>() : Vector512.Cos(x.AsDouble()).As<double, T>();
    public static bool TryInvoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> { TensorPrimitives.Cos(x, d); return true; }
}

/// <summary>
/// clip as selects: x &lt; LoEdge → LoValue, else x &gt; HiEdge → HiValue, else x (NaN passes, as through TensorFlow's
/// minimum and maximum). Floats: edges and values are the bounds. Integers: the edges are ceil(lo) and floor(hi) inside
/// the type's range and the values trunc(lo), trunc(hi) (see <see cref="CpuBackend.Clip"/>), which is numpy.clip then
/// truncation, exactly, in the integer type.
/// </summary>
internal readonly struct ClipOperator : IUnaryOperator
{
    public double LoEdge { init; get; }
    public double LoValue { init; get; }
    public double HiEdge { init; get; }
    public double HiValue { init; get; }

    public T Invoke<T>(T x) where T : unmanaged, INumber<T> =>
        x < T.CreateTruncating(LoEdge) ? T.CreateTruncating(LoValue) : x > T.CreateTruncating(HiEdge) ? T.CreateTruncating(HiValue) : x;
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, INumber<T> =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(T.CreateTruncating(LoEdge))), Vector128.Create(T.CreateTruncating(LoValue)),
            Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(T.CreateTruncating(HiEdge))), Vector128.Create(T.CreateTruncating(HiValue)), x));
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, INumber<T> =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(T.CreateTruncating(LoEdge))), Vector256.Create(T.CreateTruncating(LoValue)),
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(T.CreateTruncating(HiEdge))), Vector256.Create(T.CreateTruncating(HiValue)), x));
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, INumber<T> =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(T.CreateTruncating(LoEdge))), Vector512.Create(T.CreateTruncating(LoValue)),
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(T.CreateTruncating(HiEdge))), Vector512.Create(T.CreateTruncating(HiValue)), x));
}
