using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

// The four operator shapes an elementwise op is written in (see README.md, "Adding an elementwise op"). An operator
// is a readonly struct: parameters (alpha, bounds) are its fields; the scalar form is the definition, the vector
// forms compute the same per lane. VectorLoops owns the loops, the tails and the choice of width; Elementwise owns
// threading, broadcasting and the dtype policy. TryInvoke hands a whole span to a library kernel (TensorPrimitives)
// where it has the op; it is static, so it sees no parameters.

/// <summary>y = f(x) over every numeric element type (float32/64/16 and the integers; bool is computed in int32).</summary>
internal interface IUnaryOperator
{
    T Invoke<T>(T x) where T : unmanaged, INumber<T>;
    Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, INumber<T>;
    Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, INumber<T>;
    Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, INumber<T>;

    /// <summary>Writes f(x) into d with a library kernel and returns true, or returns false to run the vector forms.</summary>
    static virtual bool TryInvoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T> => false;
}

/// <summary>y = f(x) over the float element types (float32, float64; float16 is computed in float32).</summary>
internal interface IFloatUnaryOperator
{
    T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <inheritdoc cref="IUnaryOperator.TryInvoke{T}"/>
    static virtual bool TryInvoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> => false;
}

/// <summary>z = f(x, y) over every numeric element type, with numpy broadcasting (bool is computed in int32).</summary>
internal interface IBinaryOperator
{
    T Invoke<T>(T x, T y) where T : unmanaged, INumber<T>;
    Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, INumber<T>;
    Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, INumber<T>;
    Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, INumber<T>;

    /// <summary>Library kernels for a run of both operands, a run against a broadcast y, a broadcast x against a run.</summary>
    static virtual bool TryInvoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => false;
    static virtual bool TryInvoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> => false;
    static virtual bool TryInvoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => false;
}

/// <summary>z = f(x, y) over the float element types, with numpy broadcasting.</summary>
internal interface IFloatBinaryOperator
{
    T Invoke<T>(T x, T y) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <inheritdoc cref="IBinaryOperator.TryInvoke{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
    static virtual bool TryInvoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> => false;
    static virtual bool TryInvoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> => false;
    static virtual bool TryInvoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IBinaryFloatingPointIeee754<T> => false;
}

/// <summary>A unary operator bound to one element type: the shape the loops in <see cref="VectorLoops"/> are written against.</summary>
internal interface IUnaryBody<T> where T : unmanaged
{
    T Invoke(T x);
    Vector128<T> Invoke(Vector128<T> x);
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
    bool TryInvoke(ReadOnlySpan<T> x, Span<T> d);
}

/// <summary>A binary operator bound to one element type.</summary>
internal interface IBinaryBody<T> where T : unmanaged
{
    T Invoke(T x, T y);
    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
    bool TryInvoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d);
    bool TryInvoke(ReadOnlySpan<T> x, T y, Span<T> d);
    bool TryInvoke(T x, ReadOnlySpan<T> y, Span<T> d);
}

/// <summary>
/// A fold (the reduction shape of <see cref="VectorLoops.Fold{T, TB}"/>): acc' = Invoke(acc, x) takes one element, or
/// one vector lane-wise, into an accumulator that starts at <see cref="Identity"/>; Combine merges two accumulators
/// (the loop's independent vector accumulators, then the lanes). For a sum both are +; for Σ (x − m)² Invoke is
/// acc + (x − m)² and Combine is +. Fields carry parameters (m).
/// </summary>
internal interface IFoldBody<T> where T : unmanaged
{
    T Identity { get; }
    T Invoke(T acc, T x);
    Vector128<T> Invoke(Vector128<T> acc, Vector128<T> x);
    Vector256<T> Invoke(Vector256<T> acc, Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> acc, Vector512<T> x);
    T Combine(T a, T b);
    Vector128<T> Combine(Vector128<T> a, Vector128<T> b);
    Vector256<T> Combine(Vector256<T> a, Vector256<T> b);
    Vector512<T> Combine(Vector512<T> a, Vector512<T> b);
}

// The bindings: one per operator shape, forwarding only (the element-type constraint is what differs). Not readonly:
// the loops hold them by ref, and a readonly struct would make the compiler copy the operator before every call.

internal struct UnaryBody<TOp, T>(TOp op) : IUnaryBody<T> where TOp : struct, IUnaryOperator where T : unmanaged, INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T x) => op.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<T> Invoke(Vector128<T> x) => op.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> x) => op.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> x) => op.Invoke(x);
    public bool TryInvoke(ReadOnlySpan<T> x, Span<T> d) => TOp.TryInvoke(x, d);
}

internal struct FloatUnaryBody<TOp, T>(TOp op) : IUnaryBody<T> where TOp : struct, IFloatUnaryOperator where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T x) => op.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<T> Invoke(Vector128<T> x) => op.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> x) => op.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> x) => op.Invoke(x);
    public bool TryInvoke(ReadOnlySpan<T> x, Span<T> d) => TOp.TryInvoke(x, d);
}

internal struct BinaryBody<TOp, T>(TOp op) : IBinaryBody<T> where TOp : struct, IBinaryOperator where T : unmanaged, INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T x, T y) => op.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => op.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => op.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => op.Invoke(x, y);
    public bool TryInvoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TOp.TryInvoke(x, y, d);
    public bool TryInvoke(ReadOnlySpan<T> x, T y, Span<T> d) => TOp.TryInvoke(x, y, d);
    public bool TryInvoke(T x, ReadOnlySpan<T> y, Span<T> d) => TOp.TryInvoke(x, y, d);
}

internal struct FloatBinaryBody<TOp, T>(TOp op) : IBinaryBody<T> where TOp : struct, IFloatBinaryOperator where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T x, T y) => op.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => op.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => op.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => op.Invoke(x, y);
    public bool TryInvoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TOp.TryInvoke(x, y, d);
    public bool TryInvoke(ReadOnlySpan<T> x, T y, Span<T> d) => TOp.TryInvoke(x, y, d);
    public bool TryInvoke(T x, ReadOnlySpan<T> y, Span<T> d) => TOp.TryInvoke(x, y, d);
}
