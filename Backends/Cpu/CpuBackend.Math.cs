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
        var xc = As(x, output.DType);
        var yc = As(y, output.DType);
        Elementwise.Binary<T, TOp>(xc, yc, output);
        Release(xc, x);
        Release(yc, y);
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
