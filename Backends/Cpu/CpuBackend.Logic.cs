using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void Equal(Tensor x, Tensor y, Tensor output) => Compare<EqualOp>(x, y, output);
    public void NotEqual(Tensor x, Tensor y, Tensor output) => Compare<NotEqualOp>(x, y, output);
    public void Greater(Tensor x, Tensor y, Tensor output) => Compare<GreaterOp>(x, y, output);
    public void GreaterEqual(Tensor x, Tensor y, Tensor output) => Compare<GreaterEqualOp>(x, y, output);
    public void Less(Tensor x, Tensor y, Tensor output) => Compare<LessOp>(x, y, output);
    public void LessEqual(Tensor x, Tensor y, Tensor output) => Compare<LessEqualOp>(x, y, output);

    /// <summary>
    /// Both operands in their promoted dtype (float16 then widened to float32, exactly; bool compared as uint8 bytes),
    /// through the vectorized byte-mask driver <see cref="Comparisons"/>.
    /// </summary>
    private static void Compare<TOp>(Tensor x, Tensor y, Tensor output) where TOp : struct, ICompareOp
    {
        var p = DTypeRules.Promote(x, y);
        var ct = CompareDType(p);
        var xc = ToCompare(x, p, ct);
        var yc = ToCompare(y, p, ct);
        Dispatch.OnNumeric(ct, new CompareKernel<TOp>(xc, yc, output));
        Release(xc, x);
        Release(yc, y);
    }

    private readonly struct CompareKernel<TOp>(Tensor x, Tensor y, Tensor output) : INumericKernel where TOp : struct, ICompareOp
    {
        public void Run<T>() where T : unmanaged, INumber<T> => Comparisons.Broadcast<T, TOp>(x, y, output);
    }

    /// <summary>The element type a comparison or an arg-reduction runs in: float16 widens to float32 (exactly), bool reads as uint8.</summary>
    private static DType CompareDType(DType p) => p == DType.Float16 ? DType.Float32 : p == DType.Bool ? DType.UInt8 : p;

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
            using var zero = Tensor.Uninitialized(CompareDType(x.DType), Shape.Scalar);
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

    /// <summary>numpy.argmax along the axis (int64): the first maximum; the first NaN wins; -0 ties with 0.</summary>
    public void Argmax(Tensor x, int axis, Tensor output) => ArgExtreme(x, axis, output, max: true);

    /// <summary>numpy.argmin along the axis (int64): the first minimum; the first NaN wins; -0 ties with 0.</summary>
    public void Argmin(Tensor x, int axis, Tensor output) => ArgExtreme(x, axis, output, max: false);

    private static void ArgExtreme(Tensor x, int axis, Tensor output, bool max)
    {
        if (output.Size == 0) return;
        var ct = CompareDType(x.DType);
        var xc = ToCompare(x, x.DType, ct);
        Dispatch.OnNumeric(ct, new ArgKernel(xc, axis, output, max));
        Release(xc, x);
    }

    private readonly struct ArgKernel(Tensor x, int axis, Tensor output, bool max) : INumericKernel
    {
        public void Run<T>() where T : unmanaged, INumber<T> => ArgReductions.Run<T>(x, axis, output, max);
    }

    /// <summary>
    /// TensorFlow's InTopK per row: false when the target is not a class or the row holds a non-finite prediction,
    /// else whether fewer than k predictions are strictly greater than the target's. Predictions are read as float32
    /// (float16 widens exactly) or float64 (integers widen exactly).
    /// </summary>
    public void InTopK(Tensor predictions, Tensor targets, int k, Tensor output)
    {
        var ct = predictions.DType is DType.Float32 or DType.Float16 ? DType.Float32 : DType.Float64;
        var pc = As(predictions, ct);
        if (ct == DType.Float32) ArgReductions.InTopK<float>(pc, targets, k, output);
        else ArgReductions.InTopK<double>(pc, targets, k, output);
        Release(pc, predictions);
    }
}
