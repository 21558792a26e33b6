using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// A comparison operator: the Vector512 form (all-ones lanes where true) and the scalar form for tails.
/// NaN follows IEEE: every comparison with NaN is false except not-equal.
/// </summary>
internal interface ICompareOp
{
    static abstract Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b);
    static abstract bool Run<T>(T a, T b) where T : INumber<T>;
}

internal readonly struct EqualOp : ICompareOp
{
    public static Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b) => Vector512.Equals(a, b);
    public static bool Run<T>(T a, T b) where T : INumber<T> => a == b;
}

internal readonly struct NotEqualOp : ICompareOp
{
    public static Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b) => ~Vector512.Equals(a, b);
    public static bool Run<T>(T a, T b) where T : INumber<T> => a != b;
}

internal readonly struct GreaterOp : ICompareOp
{
    public static Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b) => Vector512.GreaterThan(a, b);
    public static bool Run<T>(T a, T b) where T : INumber<T> => a > b;
}

internal readonly struct GreaterEqualOp : ICompareOp
{
    public static Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b) => Vector512.GreaterThanOrEqual(a, b);
    public static bool Run<T>(T a, T b) where T : INumber<T> => a >= b;
}

internal readonly struct LessOp : ICompareOp
{
    public static Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(a, b);
    public static bool Run<T>(T a, T b) where T : INumber<T> => a < b;
}

internal readonly struct LessEqualOp : ICompareOp
{
    public static Vector512<T> Run<T>(Vector512<T> a, Vector512<T> b) => Vector512.LessThanOrEqual(a, b);
    public static bool Run<T>(T a, T b) where T : INumber<T> => a <= b;
}

/// <summary>
/// Comparisons into bytes (bool tensors store one byte, 0 or 1, per element). Each step compares 64 elements
/// (64 / lanes vectors of T) and narrows the lane masks to one 64-byte vector: the work is a single streaming pass.
/// </summary>
internal static unsafe class Comparisons
{
    /// <summary>d[i] = op(x[i or 0], y[i or 0]) for i &lt; n; a scalar operand (xScalar/yScalar) is read once.</summary>
    public static void Run<T, TOp>(T* x, bool xScalar, T* y, bool yScalar, byte* d, int n)
        where T : unmanaged, INumber<T> where TOp : ICompareOp
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var one = Vector512.Create((byte)1);
            for (; i + 64 <= n; i += 64)
                (Mask64<T, TOp>(x, xScalar, y, yScalar, i) & one).Store(d + i);
        }
        for (; i < n; i++) d[i] = TOp.Run(x[xScalar ? 0 : i], y[yScalar ? 0 : i]) ? (byte)1 : (byte)0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> M<T, TOp>(T* x, bool xs, T* y, bool ys, int i) where T : unmanaged where TOp : ICompareOp =>
        TOp.Run(xs ? Vector512.Create(*x) : Vector512.Load(x + i), ys ? Vector512.Create(*y) : Vector512.Load(y + i));

    /// <summary>The masks of 64 consecutive elements, narrowed (truncating all-ones lanes to 0xFF) to 64 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Mask64<T, TOp>(T* x, bool xs, T* y, bool ys, int i) where T : unmanaged where TOp : ICompareOp
    {
        int c = Vector512<T>.Count; // a JIT-time constant: only one branch survives
        if (c == 64) return M<T, TOp>(x, xs, y, ys, i).AsByte();
        if (c == 32)
            return Vector512.Narrow(M<T, TOp>(x, xs, y, ys, i).AsUInt16(), M<T, TOp>(x, xs, y, ys, i + 32).AsUInt16());
        if (c == 16)
            return Vector512.Narrow(
                Vector512.Narrow(M<T, TOp>(x, xs, y, ys, i).AsUInt32(), M<T, TOp>(x, xs, y, ys, i + 16).AsUInt32()),
                Vector512.Narrow(M<T, TOp>(x, xs, y, ys, i + 32).AsUInt32(), M<T, TOp>(x, xs, y, ys, i + 48).AsUInt32()));
        return Vector512.Narrow(
            Vector512.Narrow(Narrow64<T, TOp>(x, xs, y, ys, i), Narrow64<T, TOp>(x, xs, y, ys, i + 16)),
            Vector512.Narrow(Narrow64<T, TOp>(x, xs, y, ys, i + 32), Narrow64<T, TOp>(x, xs, y, ys, i + 48)));
    }

    // 8-byte lanes: two vectors (16 elements) narrowed to 32-bit lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Narrow64<T, TOp>(T* x, bool xs, T* y, bool ys, int i) where T : unmanaged where TOp : ICompareOp =>
        Vector512.Narrow(M<T, TOp>(x, xs, y, ys, i).AsUInt64(), M<T, TOp>(x, xs, y, ys, i + 8).AsUInt64());

    /// <summary>
    /// Broadcasting driver: x and y (already in T) compared into the byte span of <paramref name="output"/>. Same-size
    /// and scalar operands go straight to <see cref="Run{T, TOp}"/>; otherwise the output is walked in rows of its last axis.
    /// </summary>
    public static void Broadcast<T, TOp>(Tensor x, Tensor y, Tensor output) where T : unmanaged, INumber<T> where TOp : ICompareOp
    {
        int n = output.Size;
        if (n == 0) return;
        fixed (T* px = x.ReadOnlySpan<T>())
        fixed (T* py = y.ReadOnlySpan<T>())
        fixed (byte* pd = output.Bytes())
        {
            int xn = x.Size, yn = y.Size;
            if ((xn == n || xn == 1) && (yn == n || yn == 1)) { Run<T, TOp>(px, xn == 1 && n > 1, py, yn == 1 && n > 1, pd, n); return; }
            var os = output.Shape;
            int r = os.Rank;
            var xd = Elementwise.Pad(x.Shape, r);
            var yd = Elementwise.Pad(y.Shape, r);
            var xst = Elementwise.StridesOf(xd);
            var yst = Elementwise.StridesOf(yd);
            int inner = os[r - 1], rows = n / inner;
            bool xRow = xd[r - 1] == inner && inner != 1, yRow = yd[r - 1] == inner && inner != 1;
            var idx = new int[r];
            for (int row = 0; row < rows; row++)
            {
                int xo = 0, yo = 0;
                for (int k = 0; k < r - 1; k++) { xo += idx[k] * xst[k]; yo += idx[k] * yst[k]; }
                Run<T, TOp>(px + xo, !xRow, py + yo, !yRow, pd + row * inner, inner);
                for (int k = r - 2; k >= 0; k--) { if (++idx[k] < os[k]) break; idx[k] = 0; }
            }
        }
    }
}
