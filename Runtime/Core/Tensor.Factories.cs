using System.Collections;
using System.Globalization;

namespace KerasBackend;

public partial class Tensor
{
    /// <summary>A concrete tensor whose elements are not initialized (kernels fill it).</summary>
    public static Tensor Uninitialized(DType dtype, Shape shape) => new(dtype, shape, clear: false);

    /// <summary>A concrete tensor whose elements are not initialized; <paramref name="op"/> names the op in the error for a shape too big or undefined.</summary>
    public static Tensor Uninitialized(DType dtype, Shape shape, string op) => new(dtype, shape, clear: false, op);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, params int[] shape) where T : unmanaged
    {
        var s = new Shape(shape);
        if (s.CheckConcrete(DTypes.Of<T>(), "tensor") != data.Length)
            throw new KerasValueException("tensor", "shape", $"The data has {data.Length} elements but the shape {s} needs {s.Size}.");
        var t = Uninitialized(DTypes.Of<T>(), s);
        data.CopyTo(t.Span<T>());
        return t;
    }

    /// <summary>A tensor holding a copy of a C# array of any rank (<c>float[,]</c>, <c>double[,,]</c>, <c>int[]</c>...).</summary>
    public static Tensor FromArray(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var elem = array.GetType().GetElementType()!;
        var dtype = DTypes.All.FirstOrDefault(d => d.ClrType() == elem, (DType)255);
        if ((int)dtype == 255)
            throw new KerasTypeException("constant", "value", $"Unsupported element type {elem.Name}. Expected float, double, Half, sbyte, short, int, long, byte or bool.");
        var dims = new int[array.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = array.GetLength(i);
        var t = Uninitialized(dtype, Shape.Wrap(dims));
        if (array.Length > 0)
            System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
                ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(array), array.Length * dtype.ItemSize())
                .CopyTo(t.Bytes());
        return t;
    }

    /// <summary>A new tensor with the same dtype, shape and values (sparse tensors stay sparse); the caller owns it.</summary>
    internal Tensor Copy()
    {
        if (this is SparseTensor sp) return sp.Clone();
        var c = Uninitialized(DType, Shape);
        c.CopyFrom(this);
        return c;
    }

    /// <summary>The elements, row-major, as a new array of <typeparamref name="T"/> (the tensor's own CLR type).</summary>
    public T[] ToArray<T>() where T : unmanaged => Span<T>().ToArray();

    /// <summary>The elements converted to double, row-major.</summary>
    public double[] ToDoubleArray()
    {
        var r = new double[Size];
        for (int i = 0; i < r.Length; i++) r[i] = GetDouble(i);
        return r;
    }

    /// <summary>A weakly typed scalar made from a C# number in an expression like <c>x * 2</c>.</summary>
    internal static Tensor WeakScalar(double v)
    {
        bool isInt = v == Math.Floor(v) && Math.Abs(v) < 1e15;
        var t = new Tensor(isInt ? DType.Int64 : DType.Float64, Shape.Scalar, clear: false) { IsWeak = true };
        t.SetDouble(0, v);
        return t;
    }

    public static Tensor operator +(Tensor x, Tensor y) => K.Add(x, y);
    public static Tensor operator -(Tensor x, Tensor y) => K.Subtract(x, y);
    public static Tensor operator *(Tensor x, Tensor y) => K.Multiply(x, y);
    public static Tensor operator /(Tensor x, Tensor y) => K.Divide(x, y);
    public static Tensor operator -(Tensor x) => K.Negative(x);
    public static Tensor operator +(Tensor x, double y) => K.Add(x, WeakScalar(y));
    public static Tensor operator +(double x, Tensor y) => K.Add(WeakScalar(x), y);
    public static Tensor operator -(Tensor x, double y) => K.Subtract(x, WeakScalar(y));
    public static Tensor operator -(double x, Tensor y) => K.Subtract(WeakScalar(x), y);
    public static Tensor operator *(Tensor x, double y) => K.Multiply(x, WeakScalar(y));
    public static Tensor operator *(double x, Tensor y) => K.Multiply(WeakScalar(x), y);
    public static Tensor operator /(Tensor x, double y) => K.Divide(x, WeakScalar(y));
    public static Tensor operator /(double x, Tensor y) => K.Divide(WeakScalar(x), y);

    /// <summary>numpy-like text: <c>array([[1., 2.], [3., 4.]], dtype=float32)</c>; symbolic tensors print their shape.</summary>
    public override string ToString()
    {
        if (IsSymbolic) return $"<KerasTensor shape={Shape}, dtype={DType.Name()}, name={Name ?? Node!.Op}>";
        if (_data is null) return "<disposed tensor>";
        return TensorFormatter.Repr(this);
    }
}
