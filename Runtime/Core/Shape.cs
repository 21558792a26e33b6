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

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims?.Length ?? 0;

    int IReadOnlyCollection<int>.Count => Rank;

    /// <summary>The size of dimension <paramref name="i"/>; a negative index counts from the end.</summary>
    public int this[int i] => i < 0 ? Dims[Rank + i] : Dims[i];

    /// <summary>The dimensions as a span (do not keep it past the shape's life; it is not a copy).</summary>
    public ReadOnlySpan<int> Dims => _dims ?? [];

    /// <summary>True when every dimension is known.</summary>
    public bool IsFullyDefined { get { foreach (var d in Dims) if (d < 0) return false; return true; } }

    /// <summary>Number of elements (product of the dimensions), or -1 when a dimension is unknown.</summary>
    public long Size
    {
        get
        {
            long n = 1;
            foreach (var d in Dims) { if (d < 0) return -1; n *= d; }
            return n;
        }
    }

    /// <summary>Number of elements as an int (throws when it does not fit or is unknown).</summary>
    public int Length
    {
        get
        {
            long n = Size;
            if (n < 0) throw new KerasValueException("shape", "shape", $"The shape {this} has unknown dimensions; its size is not defined.");
            if (n > Array.MaxLength) throw new KerasValueException("shape", "shape", $"The shape {this} has {n} elements, more than a .NET array can hold ({Array.MaxLength}).");
            return (int)n;
        }
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
        int acc = 1;
        for (int i = Rank - 1; i >= 0; i--) { strides[i] = acc; acc *= Math.Max(Dims[i], 0); }
    }

    /// <summary>Product of the dimensions in [start, end).</summary>
    public int Prod(int start, int end)
    {
        int n = 1;
        for (int i = start; i < end; i++) n *= Dims[i];
        return n;
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
