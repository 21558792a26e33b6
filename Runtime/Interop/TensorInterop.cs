using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

// System.Numerics.Tensors.Tensor<T> is [Experimental] in .NET 10: this file is the one place that uses it.
#pragma warning disable SYSLIB5001

namespace KerasBackend;

public partial class Tensor
{
    /// <summary>A tensor holding a copy of a <see cref="System.Numerics.Tensors.Tensor{T}"/> (any strides; copied in row-major order).</summary>
    public static Tensor FromNumerics<T>(System.Numerics.Tensors.Tensor<T> tensor) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var lengths = tensor.Lengths;
        var dims = new int[lengths.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (lengths[i] > int.MaxValue)
                throw new KerasValueException("tensor", "tensor", $"Dimension {i} of the System.Numerics tensor has {lengths[i]} elements, more than an int holds.");
            dims[i] = (int)lengths[i];
        }
        var t = Uninitialized(DTypes.Of<T>(), new Shape(dims));
        tensor.FlattenTo(t.Span<T>());
        return t;
    }

    /// <summary>A new <see cref="System.Numerics.Tensors.Tensor{T}"/> with a copy of the elements; <typeparamref name="T"/> must be this tensor's CLR type.</summary>
    public System.Numerics.Tensors.Tensor<T> ToNumerics<T>() where T : unmanaged
    {
        var data = Span<T>().ToArray();
        var lengths = new nint[Rank];
        for (int i = 0; i < lengths.Length; i++) lengths[i] = Shape[i];
        return System.Numerics.Tensors.Tensor.Create(data, lengths);
    }

    /// <summary>
    /// The elements as a new C# array of this tensor's CLR type and rank (<c>float[,]</c> for a float32 matrix,
    /// <c>int[,,]</c>...); a scalar gives a one-element 1-D array.
    /// </summary>
    public Array ToMultiArray()
    {
        var lengths = Rank == 0 ? [1] : Shape.ToArray();
        var a = Array.CreateInstance(DType.ClrType(), lengths);
        if (Size > 0)
            Bytes().CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(a), Size * DType.ItemSize()));
        return a;
    }

    /// <summary>The elements as a C# array of type <typeparamref name="TArray"/> (e.g. <c>t.ToMultiArray&lt;float[,]&gt;()</c>); its element type and rank must match.</summary>
    public TArray ToMultiArray<TArray>() where TArray : class
    {
        var a = ToMultiArray();
        return a as TArray ?? throw new KerasTypeException("tensor", "TArray",
            $"The tensor {Describe()} reads back as {a.GetType().Name}, not {typeof(TArray).Name}.");
    }

    /// <summary>The single element of a tensor with one element, as <typeparamref name="T"/> (converted from the dtype).</summary>
    public T Item<T>() where T : unmanaged
    {
        if (Size != 1)
            throw new KerasValueException("tensor", "x", $"Item: the tensor must have exactly one element. Received: shape={Shape}");
        return typeof(T) == typeof(double) ? (T)(object)GetDouble(0)
            : typeof(T) == typeof(float) ? (T)(object)(float)GetDouble(0)
            : typeof(T) == typeof(long) ? (T)(object)GetLong(0)
            : typeof(T) == typeof(int) ? (T)(object)(int)GetLong(0)
            : typeof(T) == typeof(bool) ? (T)(object)(GetDouble(0) != 0)
            : Span<T>()[0];
    }
}
