using System.Numerics;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// A kernel seen from the dtype switch: what it does for a float, an integer and a bool element type. Implement it on
/// a struct that carries the kernel's arguments (tensors, options) and pass it to <see cref="Dispatch.On{TKernel}(DType, ref TKernel)"/>;
/// the generic methods are specialized per element type, so a call allocates nothing and pays one switch.
/// </summary>
internal interface IDTypeKernel
{
    /// <summary>float32 (float), float64 (double), float16 (Half).</summary>
    void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T>;

    /// <summary>int32, int64, int16, int8, uint8.</summary>
    void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>;

    /// <summary>bool (one byte, 0 or 1).</summary>
    void Bool();
}

/// <summary>The cpu backend's one switch from a runtime <see cref="DType"/> to a CLR element type.</summary>
internal static class Dispatch
{
    /// <summary>Calls the method of <paramref name="kernel"/> that matches <paramref name="dtype"/>, with its CLR element type.</summary>
    public static void On<TKernel>(DType dtype, ref TKernel kernel) where TKernel : struct, IDTypeKernel
    {
        switch (dtype)
        {
            case DType.Float32: kernel.Float<float>(); break;
            case DType.Float64: kernel.Float<double>(); break;
            case DType.Float16: kernel.Float<Half>(); break;
            case DType.Int32: kernel.Integer<int>(); break;
            case DType.Int64: kernel.Integer<long>(); break;
            case DType.Int16: kernel.Integer<short>(); break;
            case DType.Int8: kernel.Integer<sbyte>(); break;
            case DType.UInt8: kernel.Integer<byte>(); break;
            case DType.Bool: kernel.Bool(); break;
            default: throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "cpu backend: no element type for this dtype.");
        }
    }

    /// <inheritdoc cref="On{TKernel}(DType, ref TKernel)"/>
    public static void On<TKernel>(DType dtype, TKernel kernel) where TKernel : struct, IDTypeKernel => On(dtype, ref kernel);

    /// <summary>Runs a kernel written once for every numeric element type. bool has no arithmetic: a caller maps it to
    /// the dtype it computes in (int32, uint8, ...) first, so bool here is a bug in the caller.</summary>
    public static void OnNumeric<TKernel>(DType dtype, TKernel kernel) where TKernel : struct, INumericKernel =>
        On(dtype, new Numeric<TKernel>(kernel));

    /// <summary>Runs a kernel that only moves elements (select, fill, copy), for every dtype including bool.</summary>
    public static void OnAny<TKernel>(DType dtype, TKernel kernel) where TKernel : struct, IElementKernel =>
        On(dtype, new Any<TKernel>(kernel));

    private readonly struct Numeric<TKernel>(TKernel kernel) : IDTypeKernel where TKernel : struct, INumericKernel
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T> => kernel.Run<T>();
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => kernel.Run<T>();
        public void Bool() => throw new ArgumentException($"cpu backend: {typeof(TKernel).Name} computes on numbers; map bool to a numeric dtype before dispatching.");
    }

    private readonly struct Any<TKernel>(TKernel kernel) : IDTypeKernel where TKernel : struct, IElementKernel
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T> => kernel.Run<T>();
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => kernel.Run<T>();
        public void Bool() => kernel.Run<bool>();
    }
}

/// <summary>A kernel written once for every numeric element type (see <see cref="Dispatch.OnNumeric{TKernel}"/>).</summary>
internal interface INumericKernel
{
    void Run<T>() where T : unmanaged, INumber<T>;
}

/// <summary>A kernel that moves elements without arithmetic (see <see cref="Dispatch.OnAny{TKernel}"/>).</summary>
internal interface IElementKernel
{
    void Run<T>() where T : unmanaged;
}
