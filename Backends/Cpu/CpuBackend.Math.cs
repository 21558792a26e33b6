using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void Add(Tensor x, Tensor y, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Binary<float, AddOp<float>>(x, y, output); break;
            case DType.Float64: Binary<double, AddOp<double>>(x, y, output); break;
            case DType.Float16: Binary<Half, AddOp<Half>>(x, y, output); break;
            case DType.Int32: Binary<int, AddOp<int>>(x, y, output); break;
            case DType.Int64: Binary<long, AddOp<long>>(x, y, output); break;
            case DType.Int16: Binary<short, AddOp<short>>(x, y, output); break;
            case DType.Int8: Binary<sbyte, AddOp<sbyte>>(x, y, output); break;
            case DType.UInt8: Binary<byte, AddOp<byte>>(x, y, output); break;
            default: ViaInt32(x, y, output, Add); break;
        }
    }

    public void Subtract(Tensor x, Tensor y, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Binary<float, SubtractOp<float>>(x, y, output); break;
            case DType.Float64: Binary<double, SubtractOp<double>>(x, y, output); break;
            case DType.Float16: Binary<Half, SubtractOp<Half>>(x, y, output); break;
            case DType.Int32: Binary<int, SubtractOp<int>>(x, y, output); break;
            case DType.Int64: Binary<long, SubtractOp<long>>(x, y, output); break;
            case DType.Int16: Binary<short, SubtractOp<short>>(x, y, output); break;
            case DType.Int8: Binary<sbyte, SubtractOp<sbyte>>(x, y, output); break;
            case DType.UInt8: Binary<byte, SubtractOp<byte>>(x, y, output); break;
            default: ViaInt32(x, y, output, Subtract); break;
        }
    }

    public void Multiply(Tensor x, Tensor y, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Binary<float, MultiplyOp<float>>(x, y, output); break;
            case DType.Float64: Binary<double, MultiplyOp<double>>(x, y, output); break;
            case DType.Float16: Binary<Half, MultiplyOp<Half>>(x, y, output); break;
            case DType.Int32: Binary<int, MultiplyOp<int>>(x, y, output); break;
            case DType.Int64: Binary<long, MultiplyOp<long>>(x, y, output); break;
            case DType.Int16: Binary<short, MultiplyOp<short>>(x, y, output); break;
            case DType.Int8: Binary<sbyte, MultiplyOp<sbyte>>(x, y, output); break;
            case DType.UInt8: Binary<byte, MultiplyOp<byte>>(x, y, output); break;
            default: ViaInt32(x, y, output, Multiply); break;
        }
    }

    public void Divide(Tensor x, Tensor y, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Binary<float, DivideOp<float>>(x, y, output); break;
            case DType.Float64: Binary<double, DivideOp<double>>(x, y, output); break;
            default: Binary<Half, DivideOp<Half>>(x, y, output); break;
        }
    }

    public void Negative(Tensor x, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: TensorPrimitives.Negate(x.ReadOnlySpan<float>(), output.Span<float>()); break;
            case DType.Float64: TensorPrimitives.Negate(x.ReadOnlySpan<double>(), output.Span<double>()); break;
            case DType.Float16: TensorPrimitives.Negate(x.ReadOnlySpan<Half>(), output.Span<Half>()); break;
            case DType.Int32: TensorPrimitives.Negate(x.ReadOnlySpan<int>(), output.Span<int>()); break;
            case DType.Int64: TensorPrimitives.Negate(x.ReadOnlySpan<long>(), output.Span<long>()); break;
            case DType.Int16: TensorPrimitives.Negate(x.ReadOnlySpan<short>(), output.Span<short>()); break;
            case DType.Int8: TensorPrimitives.Negate(x.ReadOnlySpan<sbyte>(), output.Span<sbyte>()); break;
            case DType.UInt8: { var s = x.ReadOnlySpan<byte>(); var d = output.Span<byte>(); for (int i = 0; i < s.Length; i++) d[i] = unchecked((byte)-s[i]); break; }
            default: x.Bytes().CopyTo(output.Bytes()); break; // numpy's negative of bool is an error; Keras' is identity-like
        }
    }

    public void Exp(Tensor x, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: { var xs = As(x, DType.Float32); Transcendental.Exp(xs.ReadOnlySpan<float>(), output.Span<float>()); Release(xs, x); break; }
            case DType.Float64: TensorPrimitives.Exp(x.ReadOnlySpan<double>(), output.Span<double>()); break;
            default: ViaFloat32(x, output, Exp); break;
        }
    }

    /// <summary>Inputs (of any dtype) cast to the output dtype, then the typed span driver.</summary>
    private static void Binary<T, TOp>(Tensor x, Tensor y, Tensor output) where T : unmanaged where TOp : IBinarySpanOp<T>
    {
        var xc = Operand(x, y, output, 0, out bool xTemp);
        var yc = Operand(y, x, output, 1, out bool yTemp);
        Elementwise.Binary<T, TOp>(xc, yc, output);
        if (xTemp) xc.Dispose();
        if (yTemp) yc.Dispose();
    }

    // One-element scratch tensors per thread, dtype and operand position (see Operand).
    [ThreadStatic] private static Tensor?[]? t_scalars;

    /// <summary>
    /// <paramref name="t"/> in the output dtype. A one-element operand of another dtype against a full-size one (x * 0.5
    /// with a float64 constant on float32 x, the usual case in optimizer steps) is cast into a per-thread scratch
    /// scalar instead of a new tensor, so it allocates nothing; the driver reads it as a broadcast value, not by shape.
    /// </summary>
    private static Tensor Operand(Tensor t, Tensor other, Tensor output, int slot, out bool temporary)
    {
        temporary = false;
        if (t.DType == output.DType) return t;
        if (t.Size != 1 || other.Size != output.Size)
        {
            temporary = true;
            return As(t, output.DType);
        }
        var cache = t_scalars ??= new Tensor?[2 * Enum.GetValues<DType>().Length];
        ref var s = ref cache[2 * (int)output.DType + slot];
        s ??= Tensor.Uninitialized(output.DType, Shape.Scalar);
        Casting.Cast(t, s);
        return s;
    }

    /// <summary>Bool arithmetic: computed in int32, then "nonzero" (numpy: True + True is True).</summary>
    private static void ViaInt32(Tensor x, Tensor y, Tensor output, Action<Tensor, Tensor, Tensor> op)
    {
        using var tmp = Tensor.Uninitialized(DType.Int32, output.Shape);
        op(x, y, tmp);
        Casting.Cast(tmp, output);
    }

    /// <summary>float16 (and other) inputs: computed in float32 and rounded once into the output.</summary>
    private static void ViaFloat32(Tensor x, Tensor output, Action<Tensor, Tensor> op)
    {
        using var tmp = Tensor.Uninitialized(DType.Float32, output.Shape);
        op(x, tmp);
        Casting.Cast(tmp, output);
    }
}

public sealed partial class CpuBackend
{
    /// <summary>|x|; signed integers wrap at their minimum value (numpy), uint8 and bool are unchanged.</summary>
    public void Abs(Tensor x, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Elementwise.Unary<float, AbsOp<float>>(x, output); break;
            case DType.Float64: Elementwise.Unary<double, AbsOp<double>>(x, output); break;
            case DType.Float16: { using var xf = As(x, DType.Float32); ViaFloat32(xf, output, Abs); break; }
            case DType.Int32: Elementwise.Unary<int, WrappingAbsOp<int>>(x, output); break;
            case DType.Int64: Elementwise.Unary<long, WrappingAbsOp<long>>(x, output); break;
            case DType.Int16: Elementwise.Unary<short, WrappingAbsOp<short>>(x, output); break;
            case DType.Int8: Elementwise.Unary<sbyte, WrappingAbsOp<sbyte>>(x, output); break;
            default: x.Bytes().CopyTo(output.Bytes()); break;
        }
    }

    /// <summary>ln x (integers → floatx first).</summary>
    public void Log(Tensor x, Tensor output) => FloatUnary<LogOp<float>, LogOp<double>>(x, output, Log);

    /// <summary>√x (integers → floatx first).</summary>
    public void Sqrt(Tensor x, Tensor output) => FloatUnary<SqrtOp<float>, SqrtOp<double>>(x, output, Sqrt);

    /// <summary>x·x in x's dtype (bool → int32, as Keras 3); integers wrap.</summary>
    public void Square(Tensor x, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Elementwise.Unary<float, SquareOp<float>>(x, output); break;
            case DType.Float64: Elementwise.Unary<double, SquareOp<double>>(x, output); break;
            case DType.Float16: { using var xf = As(x, DType.Float32); ViaFloat32(xf, output, Square); break; }
            case DType.Int32: { var xc = As(x, DType.Int32); Elementwise.Unary<int, SquareOp<int>>(xc, output); Release(xc, x); break; }
            case DType.Int64: Elementwise.Unary<long, SquareOp<long>>(x, output); break;
            case DType.Int16: Elementwise.Unary<short, SquareOp<short>>(x, output); break;
            case DType.Int8: Elementwise.Unary<sbyte, SquareOp<sbyte>>(x, output); break;
            default: Elementwise.Unary<byte, SquareOp<byte>>(x, output); break;
        }
    }

    /// <summary>
    /// x ** a. Floats: C pow per element (TensorPrimitives.Pow). Integers (a whole and ≥ 0, the dtype rule
    /// guarantees it): exponentiation by squaring on whole spans, wrapping like numpy's fixed-width ints.
    /// </summary>
    public void Pow(Tensor x, double a, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: { var xc = As(x, DType.Float32); FloatPow(xc.ReadOnlySpan<float>(), (float)a, output.Span<float>()); Release(xc, x); break; }
            case DType.Float64: { var xc = As(x, DType.Float64); FloatPow(xc.ReadOnlySpan<double>(), a, output.Span<double>()); Release(xc, x); break; }
            case DType.Float16: ViaFloat32(x, output, (xx, o) => Pow(xx, a, o)); break;
            case DType.Int32: IntPow<int>(x, a, output); break;
            case DType.Int64: IntPow<long>(x, a, output); break;
            case DType.Int16: IntPow<short>(x, a, output); break;
            case DType.Int8: IntPow<sbyte>(x, a, output); break;
            default: IntPow<byte>(x, a, output); break;
        }
    }

    /// <summary>
    /// x^a. For a in {0, 1, 2, -1} the vector forms (1, x, x·x, 1/x) are correctly rounded, exactly what C pow
    /// returns for those exponents, including at NaN, ±0 and ±inf; every other exponent goes through pow itself.
    /// </summary>
    private static void FloatPow<T>(ReadOnlySpan<T> x, T a, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (a == T.Zero) d.Fill(T.One);
        else if (a == T.One) x.CopyTo(d);
        else if (a == T.CreateTruncating(2)) TensorPrimitives.Multiply(x, x, d);
        else if (a == -T.One) TensorPrimitives.Divide(T.One, x, d);
        else TensorPrimitives.Pow(x, a, d);
    }

    private static void IntPow<T>(Tensor x, double a, Tensor output) where T : unmanaged, IBinaryInteger<T>
    {
        var xc = As(x, output.DType);
        var result = output.Span<T>();
        result.Fill(T.One);
        var e = new BigInteger(a);
        if (!e.IsZero)
        {
            using var sq = Tensor.Uninitialized(output.DType, output.Shape);
            var b = sq.Span<T>();
            xc.ReadOnlySpan<T>().CopyTo(b);
            // Square-and-multiply over the exponent's bits: ~2·log2(a) vector passes, each wrapping.
            while (true)
            {
                if (!e.IsEven) TensorPrimitives.Multiply(result, b, result);
                e >>= 1;
                if (e.IsZero) break;
                TensorPrimitives.Multiply(b, b, b);
            }
        }
        Release(xc, x);
    }

    /// <summary>numpy.maximum with broadcasting; NaN wins.</summary>
    public void Maximum(Tensor x, Tensor y, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Binary<float, MaximumOp<float>>(x, y, output); break;
            case DType.Float64: Binary<double, MaximumOp<double>>(x, y, output); break;
            case DType.Float16: Binary<Half, MaximumOp<Half>>(x, y, output); break;
            case DType.Int32: Binary<int, MaximumOp<int>>(x, y, output); break;
            case DType.Int64: Binary<long, MaximumOp<long>>(x, y, output); break;
            case DType.Int16: Binary<short, MaximumOp<short>>(x, y, output); break;
            case DType.Int8: Binary<sbyte, MaximumOp<sbyte>>(x, y, output); break;
            case DType.UInt8: Binary<byte, MaximumOp<byte>>(x, y, output); break;
            default: ViaInt32(x, y, output, Maximum); break;
        }
    }

    /// <summary>numpy.minimum with broadcasting; NaN wins.</summary>
    public void Minimum(Tensor x, Tensor y, Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: Binary<float, MinimumOp<float>>(x, y, output); break;
            case DType.Float64: Binary<double, MinimumOp<double>>(x, y, output); break;
            case DType.Float16: Binary<Half, MinimumOp<Half>>(x, y, output); break;
            case DType.Int32: Binary<int, MinimumOp<int>>(x, y, output); break;
            case DType.Int64: Binary<long, MinimumOp<long>>(x, y, output); break;
            case DType.Int16: Binary<short, MinimumOp<short>>(x, y, output); break;
            case DType.Int8: Binary<sbyte, MinimumOp<sbyte>>(x, y, output); break;
            case DType.UInt8: Binary<byte, MinimumOp<byte>>(x, y, output); break;
            default: ViaInt32(x, y, output, Minimum); break;
        }
    }

    /// <summary>A float-only unary op: float32/float64 directly (inputs of other dtypes cast first), float16 via float32.</summary>
    private static void FloatUnary<TF, TD>(Tensor x, Tensor output, Action<Tensor, Tensor> self)
        where TF : IUnarySpanOp<float> where TD : IUnarySpanOp<double>
    {
        switch (output.DType)
        {
            case DType.Float32: { var xc = As(x, DType.Float32); Elementwise.Unary<float, TF>(xc, output); Release(xc, x); break; }
            case DType.Float64: { var xc = As(x, DType.Float64); Elementwise.Unary<double, TD>(xc, output); Release(xc, x); break; }
            default: ViaFloat32(x, output, self); break;
        }
    }
}
