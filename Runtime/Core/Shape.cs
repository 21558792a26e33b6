using System.Collections;
using System.Runtime.CompilerServices;

namespace KerasBackend;

/// <summary>
/// An immutable tensor shape. Dimensions are non-negative; in a symbolic (placeholder) shape a dimension
/// may be unknown, stored as <see cref="Unknown"/> and shown as <c>None</c>, as Keras does.
/// </summary>
public readonly struct Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    /// <summary>The value of an unknown dimension.</summary>
    public const int Unknown = -1;

    private readonly int[]? _dims;

    /// <summary>Makes a shape; the array is copied.</summary>
    public Shape(params ReadOnlySpan<int> dims) => _dims = dims.Length == 0 ? [] : dims.ToArray();

    private Shape(int[] dims, bool _) => _dims = dims;

    internal static Shape Wrap(int[] dims) => new(dims, true);

    /// <summary>The rank-0 shape <c>()</c>.</summary>
    public static Shape Scalar { get; } = Wrap([]);

    /// <summary>Number of dimensions (<c>ndim</c>). Same as <see cref="Count"/>; the number of elements is <see cref="Size"/>.</summary>
    public int Rank => _dims?.Length ?? 0;

    /// <summary>
    /// Number of dimensions, as a collection of dimensions counts them (equal to <see cref="Rank"/>): it is what
    /// makes <c>shape[^1]</c> the last dimension and <c>shape[1..]</c> the trailing dimensions. Not the element
    /// count: that is <see cref="Size"/> (or <see cref="ElementCount"/> as an int).
    /// </summary>
    public int Count => Rank;

    /// <summary>The size of dimension <paramref name="i"/>; a negative index counts from the end (<c>shape[-1]</c>, like <c>shape[^1]</c>).</summary>
    public int this[int i]
    {
        get
        {
            int j = i < 0 ? i + Rank : i;
            if ((uint)j >= (uint)Rank)
                throw new KerasIndexException("shape", "index", $"shape: dimension index out of range. Expected an index in [{-Rank}, {Rank}). Received: index={i}, shape={this}");
            return Dims[j];
        }
    }

    /// <summary>The size of dimension <paramref name="i"/> counted from the start or, with <c>^n</c>, from the end; out of range is a <see cref="KerasIndexException"/>.</summary>
    public int this[Index i]
    {
        get
        {
            int j = i.GetOffset(Rank);
            if ((uint)j >= (uint)Rank)
                throw new KerasIndexException("shape", "index", $"shape: dimension index out of range. Expected an index in [0, {Rank}) or [^{Rank}, ^1]. Received: index={i}, shape={this}");
            return Dims[j];
        }
    }

    /// <summary>The dimensions <c>[start, start + length)</c> as a shape (what <c>shape[a..b]</c> calls).</summary>
    public Shape Slice(int start, int length)
    {
        if ((uint)start > (uint)Rank || (uint)length > (uint)(Rank - start))
            throw new KerasIndexException("shape", "range", $"shape: dimension range out of bounds. Received: start={start}, length={length}, shape={this}");
        return Wrap(Dims.Slice(start, length).ToArray());
    }

    /// <summary>The dimensions as a span (do not keep it past the shape's life; it is not a copy).</summary>
    public ReadOnlySpan<int> Dims => _dims ?? [];

    /// <summary>True when every dimension is known.</summary>
    public bool IsFullyDefined { get { foreach (var d in Dims) if (d < 0) return false; return true; } }

    /// <summary>
    /// The most dimensions a tensor has: 64, numpy 2's limit (<c>NPY_MAXDIMS</c>). Kernels keep per-dimension
    /// indices on the stack, so a deeper shape is refused rather than risking the stack.
    /// </summary>
    public const int MaxRank = 64;

    /// <summary>
    /// The largest buffer a concrete tensor has, in bytes: <see cref="Array.MaxLength"/> (2,147,483,591, just under
    /// 2 GiB), so 2,147,483,591 int8/uint8/bool, 1,073,741,795 float16/int16, 536,870,897 float32/int32 or 268,435,448
    /// float64/int64 elements. A buffer is one .NET array whose byte length, every element offset and every
    /// stride fit an int; a larger shape is refused with a <see cref="KerasValueException"/> before anything is
    /// allocated (<see cref="CheckConcrete"/>), and so is a larger <c>.npy</c> file.
    /// </summary>
    public const long MaxBytes = 0x7FFFFFC7;

    /// <summary>
    /// Number of elements (numpy's <c>size</c>, the product of the dimensions) in checked 64-bit arithmetic, or -1
    /// when a dimension is unknown. A product past <see cref="long.MaxValue"/> is a <see cref="KerasValueException"/>.
    /// </summary>
    public long Size
    {
        get
        {
            if (TryCountElements(out long n, out bool unknown)) return unknown ? -1 : n;
            throw TooBig("shape", "shape");
        }
    }

    /// <summary>Number of elements as an int, for a concrete shape (a <see cref="KerasValueException"/> when unknown or above <see cref="Array.MaxLength"/>).</summary>
    public int ElementCount
    {
        get
        {
            long n = Size;
            if (n < 0) throw new KerasValueException("shape", "shape", $"The shape {this} has unknown dimensions; its size is not defined.");
            if (n > Array.MaxLength) throw TooBig("shape", "shape");
            return (int)n;
        }
    }

    // Product of the known dimensions in checked 64-bit arithmetic; false when it overflows a long. A zero
    // dimension makes the product 0 but the other dimensions are still multiplied (as numpy does) so that
    // a shape such as (0, 65536, 65536, 65536) is refused too: its strides would not fit.
    private bool TryCountElements(out long n, out bool unknown)
    {
        n = 1; unknown = false;
        bool zero = false;
        foreach (var d in Dims)
        {
            if (d < 0) { unknown = true; continue; }
            if (d == 0) { zero = true; continue; }
            if (n > long.MaxValue / d) { n = -1; return false; }
            n *= d;
        }
        if (zero) n = 0;
        return true;
    }

    /// <summary>
    /// Checks that a concrete tensor of this shape and dtype can exist: every dimension is known and
    /// non-negative, and the product of the non-zero dimensions times the item size is at most
    /// <see cref="MaxBytes"/> (numpy checks the same product, ignoring zero dimensions, so that strides fit).
    /// Returns the element count; allocates nothing. Failures are a <see cref="KerasValueException"/> naming
    /// <paramref name="op"/> and the shape.
    /// </summary>
    public int CheckConcrete(DType dtype, string op, string param = "shape")
    {
        if (Rank > MaxRank)
            throw new KerasValueException(op, param, $"{op}: a tensor has at most {MaxRank} dimensions. Received: a shape of {Rank} dimensions");
        foreach (var d in Dims)
            if (d < 0)
                throw new KerasValueException(op, param, d == Unknown
                    ? $"{op}: a concrete tensor needs a fully defined shape. Received: {param}={this}"
                    : $"{op}: negative dimensions are not allowed. Received: {param}={this}");
        long bytes = dtype.ItemSize();
        foreach (var d in Dims)
        {
            if (d == 0) continue;
            if (bytes > MaxBytes / d) throw TooBig(op, param, dtype);
            bytes *= d;
        }
        return (int)Size;
    }

    private KerasValueException TooBig(string op, string param, DType? dtype = null)
    {
        var n = System.Numerics.BigInteger.One;
        foreach (var d in Dims) n *= Math.Max(d, 1);
        var what = dtype is { } t
            ? $"{n} non-zero-dimension elements of {t.Name()} ({n * t.ItemSize()} bytes); a tensor holds at most {MaxBytes} bytes"
            : $"{n} elements, more than {(ulong)Array.MaxLength}";
        return new KerasValueException(op, param, $"{op}: the shape is too big: {what}. Received: {param}={this}");
    }

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <summary>Row-major (C order) strides in elements.</summary>
    public int[] Strides()
    {
        var s = new int[Rank];
        Strides(s);
        return s;
    }

    /// <summary>Row-major strides written into <paramref name="strides"/> (at least <see cref="Rank"/> long), allocating nothing.</summary>
    internal void Strides(Span<int> strides)
    {
        // Concrete shapes are checked (CheckConcrete) so the products fit; unchecked would hide a bug, so check.
        int acc = 1;
        for (int i = Rank - 1; i >= 0; i--) { strides[i] = acc; acc = checked(acc * Math.Max(Dims[i], 0)); }
    }

    /// <summary>Product of the dimensions in [start, end).</summary>
    public int Prod(int start, int end)
    {
        long n = 1;
        for (int i = start; i < end; i++)
        {
            n *= Dims[i];
            if (n > int.MaxValue || n < int.MinValue) throw TooBig("shape", "shape");
        }
        return (int)n;
    }

    /// <summary>
    /// Dimension arithmetic for shape rules (tile, concatenate, ...): the product or sum of two known dimensions,
    /// saturated at <see cref="int.MaxValue"/> instead of wrapping, so an overflowing result dimension can never
    /// look small; allocating such a shape is then refused by <see cref="CheckConcrete"/> naming the op.
    /// </summary>
    public static int MulDims(int a, int b) => (int)Math.Min((long)a * b, int.MaxValue);

    /// <inheritdoc cref="MulDims"/>
    public static int AddDims(int a, int b) => (int)Math.Min((long)a + b, int.MaxValue);

    /// <summary>The product of non-negative <paramref name="dims"/> in checked 64-bit arithmetic; false when it passes <see cref="long.MaxValue"/>.</summary>
    public static bool TryProduct(ReadOnlySpan<int> dims, out long product)
    {
        product = 1;
        bool zero = false;
        foreach (var d in dims)
        {
            if (d == 0) { zero = true; continue; }
            if (d < 0 || product > long.MaxValue / d) { product = -1; return false; }
            product *= d;
        }
        if (zero) product = 0;
        return true;
    }

    public static implicit operator Shape(int[] dims) => new(dims);

    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in Dims) h.Add(d);
        return h.ToHashCode();
    }
    public static bool operator ==(Shape a, Shape b) => a.Equals(b);
    public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

    /// <summary>Python tuple form, as Keras prints shapes: <c>(2, 3)</c>, <c>(5,)</c>, <c>()</c>, <c>(None, 4)</c>.</summary>
    public override string ToString()
    {
        if (Rank == 0) return "()";
        var parts = new string[Rank];
        for (int i = 0; i < Rank; i++) parts[i] = Dims[i] < 0 ? "None" : Dims[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Rank == 1 ? $"({parts[0]},)" : "(" + string.Join(", ", parts) + ")";
    }

    public IEnumerator<int> GetEnumerator() { for (int i = 0; i < Rank; i++) yield return Dims[i]; }
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
