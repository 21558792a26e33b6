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

public sealed partial class CpuBackend
{
    public void Equal(Tensor x, Tensor y, Tensor output) => Compare<EqualOp>(x, y, output);
    public void NotEqual(Tensor x, Tensor y, Tensor output) => Compare<NotEqualOp>(x, y, output);
    public void Greater(Tensor x, Tensor y, Tensor output) => Compare<GreaterOp>(x, y, output);
    public void GreaterEqual(Tensor x, Tensor y, Tensor output) => Compare<GreaterEqualOp>(x, y, output);
    public void Less(Tensor x, Tensor y, Tensor output) => Compare<LessOp>(x, y, output);
    public void LessEqual(Tensor x, Tensor y, Tensor output) => Compare<LessEqualOp>(x, y, output);

    /// <summary>
    /// Both operands in their promoted dtype (float16 is then widened to float32, exactly; bool compares as bytes),
    /// compared by the vectorized byte-mask driver.
    /// </summary>
    private static void Compare<TOp>(Tensor x, Tensor y, Tensor output) where TOp : ICompareOp
    {
        var p = DTypeRules.Promote(x, y);
        var ct = p switch { DType.Float16 => DType.Float32, DType.Bool => DType.UInt8, var d => d };
        var xc = ToCompare(x, p, ct);
        var yc = ToCompare(y, p, ct);
        switch (ct)
        {
            case DType.Float32: Comparisons.Broadcast<float, TOp>(xc, yc, output); break;
            case DType.Float64: Comparisons.Broadcast<double, TOp>(xc, yc, output); break;
            case DType.Int32: Comparisons.Broadcast<int, TOp>(xc, yc, output); break;
            case DType.Int64: Comparisons.Broadcast<long, TOp>(xc, yc, output); break;
            case DType.Int16: Comparisons.Broadcast<short, TOp>(xc, yc, output); break;
            case DType.Int8: Comparisons.Broadcast<sbyte, TOp>(xc, yc, output); break;
            default: Comparisons.Broadcast<byte, TOp>(xc, yc, output); break;
        }
        Release(xc, x);
        Release(yc, y);
    }

    /// <summary><paramref name="t"/> rounded to the promoted dtype <paramref name="p"/>, then held in the compare dtype <paramref name="ct"/>.</summary>
    private static Tensor ToCompare(Tensor t, DType p, DType ct)
    {
        if (t.DType == ct) return t;
        if (t.DType == DType.Bool && ct == DType.UInt8)
        {
            var b = Tensor.Uninitialized(DType.UInt8, t.Shape);
            t.Bytes().CopyTo(b.Bytes());
            return b;
        }
        if (p == ct || t.DType == p) return As(t, ct);
        using var rounded = As(t, p);
        return As(rounded, ct);
    }

    /// <summary>numpy.any: the nonzero mask (NaN is nonzero) reduced by max as bytes; an empty group gives false.</summary>
    public void Any(Tensor x, int[] axis, bool keepdims, Tensor output) => Truth(x, axis, output, all: false);

    /// <summary>numpy.all: the nonzero mask reduced by min as bytes; an empty group gives true.</summary>
    public void All(Tensor x, int[] axis, bool keepdims, Tensor output) => Truth(x, axis, output, all: true);

    private static void Truth(Tensor x, int[] axis, Tensor output, bool all)
    {
        if (output.Size == 0) return;
        using var mask = Tensor.Uninitialized(DType.UInt8, x.Shape);
        if (x.DType == DType.Bool) x.Bytes().CopyTo(mask.Bytes());
        else
        {
            using var zero = Tensor.Uninitialized(x.DType == DType.Float16 ? DType.Float32 : x.DType, Shape.Scalar);
            zero.SetDouble(0, 0);
            Compare<NotEqualOp>(x, zero, mask);
        }
        using var r = Tensor.Uninitialized(DType.UInt8, output.Shape);
        if (all) Reductions.Reduce<byte, MinReduce<byte>>(mask, axis, r);
        else Reductions.Reduce<byte, MaxReduce<byte>>(mask, axis, r);
        var rs = r.Span<byte>();
        TensorPrimitives.Min(rs, (byte)1, rs); // the empty min is 255
        rs.CopyTo(output.Bytes());
    }
}

public sealed partial class CpuBackend
{
    /// <summary>numpy.argmax along the axis (int64): the first maximum; the first NaN wins; -0 ties with 0.</summary>
    public void Argmax(Tensor x, int axis, Tensor output) => ArgExtreme(x, axis, output, max: true);

    /// <summary>numpy.argmin along the axis (int64): the first minimum; the first NaN wins; -0 ties with 0.</summary>
    public void Argmin(Tensor x, int axis, Tensor output) => ArgExtreme(x, axis, output, max: false);

    private static void ArgExtreme(Tensor x, int axis, Tensor output, bool max)
    {
        if (output.Size == 0) return;
        var ct = x.DType switch { DType.Float16 => DType.Float32, DType.Bool => DType.UInt8, var d => d };
        var xc = ToCompare(x, x.DType, ct);
        switch (ct)
        {
            case DType.Float32: ArgExtreme<float>(xc, axis, output, max); break;
            case DType.Float64: ArgExtreme<double>(xc, axis, output, max); break;
            case DType.Int32: ArgExtreme<int>(xc, axis, output, max); break;
            case DType.Int64: ArgExtreme<long>(xc, axis, output, max); break;
            case DType.Int16: ArgExtreme<short>(xc, axis, output, max); break;
            case DType.Int8: ArgExtreme<sbyte>(xc, axis, output, max); break;
            default: ArgExtreme<byte>(xc, axis, output, max); break;
        }
        Release(xc, x);
    }

    /// <summary>
    /// Rows (the axis is last): TensorPrimitives.IndexOfMax/IndexOfMin per row, vectorized, which already return
    /// the first NaN. They order +0 above -0 where numpy sees a tie, so a zero result is moved to the row's first zero.
    /// Other axes: one pass over the (axis, inner) plane per outer index, a running best per inner position.
    /// </summary>
    private static void ArgExtreme<T>(Tensor x, int axis, Tensor output, bool max) where T : unmanaged, INumber<T>
    {
        var (outer, n, inner) = Indexing.AroundAxis(x.Shape, axis);
        var xs = x.ReadOnlySpan<T>();
        var o = output.Span<long>();
        if (inner == 1)
        {
            for (int r = 0; r < outer; r++)
            {
                var row = xs.Slice(r * n, n);
                int k = max ? TensorPrimitives.IndexOfMax(row) : TensorPrimitives.IndexOfMin(row);
                if (T.IsZero(row[k])) k = FirstZero(row);
                o[r] = k;
            }
            return;
        }
        var best = new T[inner];  // one small array per call, not per row
        for (int a = 0; a < outer; a++)
        {
            var plane = xs.Slice(a * n * inner, n * inner);
            plane[..inner].CopyTo(best);
            var oi = o.Slice(a * inner, inner);
            oi.Clear();
            for (int j = 1; j < n; j++)
            {
                var line = plane.Slice(j * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    T v = line[i], b = best[i];
                    if (T.IsNaN(b)) continue;
                    if (T.IsNaN(v) || (max ? v > b : v < b)) { best[i] = v; oi[i] = j; }
                }
            }
        }
    }

    private static int FirstZero<T>(ReadOnlySpan<T> row) where T : INumber<T>
    {
        for (int i = 0; i < row.Length; i++) if (T.IsZero(row[i])) return i;
        return -1;
    }

    /// <summary>
    /// TensorFlow's InTopK per row: false when the target is not a class or the row holds a non-finite prediction,
    /// else whether fewer than k predictions are strictly greater than the target's. Predictions are read as float32
    /// or float64 (integers widen exactly to float64).
    /// </summary>
    public void InTopK(Tensor predictions, Tensor targets, int k, Tensor output)
    {
        var ct = predictions.DType switch { DType.Float32 or DType.Float16 => DType.Float32, _ => DType.Float64 };
        var pc = As(predictions, ct);
        if (ct == DType.Float32) InTopK<float>(pc, targets, k, output);
        else InTopK<double>(pc, targets, k, output);
        Release(pc, predictions);
    }

    private static void InTopK<T>(Tensor predictions, Tensor targets, int k, Tensor output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = predictions.Shape[1];
        var p = predictions.ReadOnlySpan<T>();
        var o = output.Bytes();
        for (int b = 0; b < o.Length; b++)
        {
            long t = targets.GetLong(b);
            bool hit = false;
            if (t >= 0 && t < classes)
            {
                var row = p.Slice(b * classes, classes);
                T target = row[(int)t];
                int greater = 0;
                bool finite = true;
                foreach (var v in row)
                {
                    if (!T.IsFinite(v)) { finite = false; break; }
                    if (v > target) greater++;
                }
                hit = finite && greater < k;
            }
            o[b] = hit ? (byte)1 : (byte)0;
        }
    }
}
