using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KerasBackend;

/// <summary>
/// A tensor: either concrete (a row-major buffer of <see cref="DType"/> elements) or symbolic (a node of a
/// graph built from placeholders, with a static shape whose dimensions may be unknown).
/// </summary>
/// <remarks>
/// Ownership (the full rule is on <see cref="TensorPool"/>): a concrete tensor owns its buffer and whoever an API
/// returned it to owns the tensor. <see cref="Dispose"/> hands the buffer back to a pool that later tensors reuse
/// (fresh memory is slow to touch on many VMs); a tensor that is never disposed is simply collected. After
/// Dispose the tensor must not be used. Buffers are shared by every backend, so a tensor made by one backend
/// can be used by any other without conversion.
/// </remarks>
public partial class Tensor : IDisposable
{
    private Array? _data;
    private bool _pooled;

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>The shape; for a symbolic tensor some dimensions may be <see cref="Shape.Unknown"/>.</summary>
    public Shape Shape { get; }

    /// <summary>Optional name (variables, placeholders, graph nodes).</summary>
    public string? Name { get; internal set; }

    /// <summary>For a symbolic tensor, the graph node that computes it.</summary>
    internal Graph.Node? Node { get; }

    /// <summary>True for a scalar made implicitly from a C# number (<c>x * 2</c>): it takes the other operand's dtype.</summary>
    internal bool IsWeak { get; init; }

    /// <summary>Makes a concrete tensor filled with zeros.</summary>
    /// <exception cref="KerasTypeException">An undefined <paramref name="dtype"/> value.</exception>
    /// <exception cref="KerasValueException">A shape with unknown or negative dimensions, or past <see cref="Shape.MaxBytes"/>.</exception>
    public Tensor(DType dtype, Shape shape) : this(dtype, shape, clear: true) { }

    /// <summary>Makes a concrete tensor; <paramref name="op"/> names the op in the errors for a bad dtype or shape.</summary>
    internal Tensor(DType dtype, Shape shape, bool clear, string op = "tensor")
    {
        DTypes.Validate(dtype, op, "dtype");
        _size = shape.CheckConcrete(dtype, op);
        DType = dtype;
        Shape = shape;
        (_data, _pooled) = TensorPool.Rent(dtype, _size, clear);
    }

    /// <summary>Wraps an existing array (not copied, not pooled).</summary>
    internal Tensor(DType dtype, Shape shape, Array data)
    {
        DTypes.Validate(dtype, "tensor", "dtype");
        _size = shape.CheckConcrete(dtype, "tensor");
        if (data.Length < _size)
            throw new KerasValueException("tensor", "data", $"tensor: the buffer holds {data.Length} elements but the shape needs {_size}. Received: shape={shape}");
        DType = dtype;
        Shape = shape;
        _data = data;
    }

    /// <summary>Makes a tensor without a dense buffer (sparse tensors keep their own storage).</summary>
    private protected Tensor(DType dtype, Shape shape, string? name)
    {
        DType = dtype;
        Shape = shape;
        Name = name;
    }

    /// <summary>Makes a symbolic tensor.</summary>
    internal Tensor(DType dtype, Shape shape, Graph.Node node, string? name)
    {
        DType = dtype;
        Shape = shape;
        Node = node;
        Name = name;
    }

    /// <summary>True when this tensor has no value yet: it is a placeholder or is computed from one.</summary>
    public bool IsSymbolic => Node is not null;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    // Element count of a concrete tensor, fixed at construction: kernels ask for it on every span (-1: symbolic or sparse).
    private readonly int _size = -1;

    /// <summary>Number of elements.</summary>
    public int Size => _size >= 0 ? _size : Shape.ElementCount;

    /// <summary>True for sparse tensors (see <see cref="SparseTensor"/>) and sparse placeholders.</summary>
    public virtual bool IsSparse => SymbolicSparse;

    /// <summary>A symbolic tensor that stands for a sparse value (a placeholder made with <c>sparse: true</c>).</summary>
    internal bool SymbolicSparse { get; init; }

    /// <summary>True for a symbolic tensor made by <c>K.Input</c> or computed from one.</summary>
    internal bool IsKerasTensor => Node is { IsKeras: true };

    /// <summary>The raw buffer (its length may exceed <see cref="Size"/> when pooled).</summary>
    internal Array Data
    {
        get
        {
            if (_data is not null) return _data;
            if (IsSymbolic)
                throw new KerasValueException("eval", "x", $"The tensor {Describe()} is symbolic: it has no value until a K.Function feeds its placeholders.");
            if (IsSparse)
                throw new KerasTypeException("tensor", "x",
                    $"The tensor {Describe()} is sparse (COO) and this op needs a dense tensor: densify it with K.ToDense(x), or use K.SparseDot for a sparse × dense product.");
            throw new ObjectDisposedException(nameof(Tensor), $"The tensor {Describe()} was disposed; its buffer went back to the pool.");
        }
    }

    /// <summary>The elements as a span of <typeparamref name="T"/>, which must be the CLR type of <see cref="DType"/>.</summary>
    public Span<T> Span<T>() where T : unmanaged
    {
        var d = Data;
        // Exact type test: the runtime would let a byte[] pass as sbyte[] (and int[] as uint[]).
        if (d.GetType() != typeof(T[]) || d is not T[] arr)
            throw new KerasTypeException("tensor", "T", $"The tensor has dtype {DType.Name()}, stored as {DType.ClrType().Name}; it cannot be read as {typeof(T).Name}.");
        return arr.AsSpan(0, Size);
    }

    /// <summary>The elements as a read-only span.</summary>
    public ReadOnlySpan<T> ReadOnlySpan<T>() where T : unmanaged => Span<T>();

    /// <summary>The buffer as bytes (length Size × ItemSize, which <see cref="Shape.MaxBytes"/> keeps within an int).</summary>
    internal Span<byte> Bytes() => Data switch
    {
        bool[] b => MemoryMarshal.AsBytes(b.AsSpan(0, Size)),
        _ => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(Data), Size * DType.ItemSize()),
    };

    // Element access switches on the dtype, not on the array's type: the runtime lets a byte[] match an sbyte[]
    // pattern (and the reverse), so a type test cannot tell uint8 from int8.

    /// <summary>Element <paramref name="i"/> (flat, row-major) as a double.</summary>
    public double GetDouble(int i) => DType switch
    {
        DType.Float32 => ((float[])Data)[i],
        DType.Float64 => ((double[])Data)[i],
        DType.Float16 => (double)((Half[])Data)[i],
        _ => GetLong(i),
    };

    /// <summary>Element <paramref name="i"/> as a long (floats truncate toward zero, as a C cast does).</summary>
    public long GetLong(int i) => DType switch
    {
        DType.Int32 => ((int[])Data)[i],
        DType.Int64 => ((long[])Data)[i],
        DType.Int16 => ((short[])Data)[i],
        DType.Int8 => ((sbyte[])Data)[i],
        DType.UInt8 => ((byte[])Data)[i],
        DType.Bool => ((bool[])Data)[i] ? 1 : 0,
        _ => Conversions.DoubleToLong(GetDouble(i)),
    };

    /// <summary>Sets element <paramref name="i"/> from a double (rounded to the dtype; integers wrap as numpy's casts do).</summary>
    public void SetDouble(int i, double v)
    {
        switch (DType)
        {
            case DType.Float32: ((float[])Data)[i] = (float)v; break;
            case DType.Float64: ((double[])Data)[i] = v; break;
            case DType.Float16: ((Half[])Data)[i] = (Half)v; break;
            case DType.Bool: ((bool[])Data)[i] = v != 0; break;
            default: SetLong(i, Conversions.DoubleToLong(v)); break;
        }
    }

    /// <summary>Sets element <paramref name="i"/> from a long (integers wrap modulo their width).</summary>
    public void SetLong(int i, long v)
    {
        unchecked
        {
            switch (DType)
            {
                case DType.Int32: ((int[])Data)[i] = (int)v; break;
                case DType.Int64: ((long[])Data)[i] = v; break;
                case DType.Int16: ((short[])Data)[i] = (short)v; break;
                case DType.Int8: ((sbyte[])Data)[i] = (sbyte)v; break;
                case DType.UInt8: ((byte[])Data)[i] = (byte)v; break;
                case DType.Bool: ((bool[])Data)[i] = v != 0; break;
                case DType.Float32: ((float[])Data)[i] = v; break;
                case DType.Float64: ((double[])Data)[i] = v; break;
                case DType.Float16: ((Half[])Data)[i] = (Half)v; break;
            }
        }
    }

    /// <summary>Replaces this tensor's buffer with a copy of <paramref name="source"/>'s (same dtype and shape). Used by variables.</summary>
    internal void CopyFrom(Tensor source)
    {
        if (ReferenceEquals(source, this)) return;
        if (source.DType != DType || source.Size != Size)
            throw new InvalidOperationException($"CopyFrom: {source.Describe()} into {Describe()} (an internal error: the caller must match dtype and shape).");
        Array.Copy(source.Data, Data, Size);
    }

    /// <summary>
    /// For a tensor a K.Function's state keeps across calls: gives a pooled buffer back between uses (a small
    /// GC buffer is kept). Until <see cref="AcquireBuffer"/> the tensor has no data.
    /// </summary>
    internal void ReleaseBuffer()
    {
        if (!_pooled) return;
        var d = Interlocked.Exchange(ref _data, null);
        if (d is not null) TensorPool.Return(d);
    }

    /// <summary>Takes a buffer again after <see cref="ReleaseBuffer"/> (contents undefined); does nothing while it has one.</summary>
    internal void AcquireBuffer()
    {
        if (_data is null) (_data, _pooled) = TensorPool.Rent(DType, _size, clear: false);
    }

    /// <summary>Returns the buffer to the pool. The tensor must not be used afterwards.</summary>
    public void Dispose()
    {
        var d = Interlocked.Exchange(ref _data, null);
        if (d is not null && _pooled) TensorPool.Return(d);
        GC.SuppressFinalize(this);
    }

    internal string Describe() => $"{(Name is null ? "" : Name + " ")}shape={Shape} dtype={DType.Name()}";
}

/// <summary>Numeric conversions with numpy's semantics where C# differs.</summary>
internal static class Conversions
{
    /// <summary>double → long as numpy's astype does on x86: truncation; NaN/±inf/out of range give long.MinValue.</summary>
    public static long DoubleToLong(double v)
    {
        if (double.IsNaN(v) || v >= 9.2233720368547758e18 || v < -9.2233720368547758e18) return long.MinValue;
        return (long)v;
    }
}
