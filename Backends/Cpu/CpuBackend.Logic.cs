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

// Keras 3 logical ops and float tests (issue 16).
public sealed partial class CpuBackend
{
    /// <summary>numpy.logical_and: both operands as bool (nonzero, NaN true), then a vector AND.</summary>
    public void LogicalAnd(Tensor x, Tensor y, Tensor output) => Logical<LogicalAndOperator>(x, y, output);

    /// <summary>numpy.logical_or: both operands as bool (nonzero, NaN true), then a vector OR.</summary>
    public void LogicalOr(Tensor x, Tensor y, Tensor output) => Logical<LogicalOrOperator>(x, y, output);

    /// <summary>numpy.logical_not: x as bool, then negated.</summary>
    public void LogicalNot(Tensor x, Tensor output)
    {
        var bx = As(x, DType.Bool);
        Elementwise.Unary<LogicalNotOperator>(bx, output);
        Release(bx, x);
    }

    private static void Logical<TOp>(Tensor x, Tensor y, Tensor output) where TOp : struct, IBinaryOperator
    {
        var bx = As(x, DType.Bool);
        var by = As(y, DType.Bool);
        Elementwise.Binary<TOp>(bx, by, output);
        Release(bx, x);
        Release(by, y);
    }

    /// <summary>numpy.isnan: x ≠ x through the byte-mask comparison driver; integers and bool: all false.</summary>
    public void IsNan(Tensor x, Tensor output) => Dispatch.On(x.DType, new FloatTestKernel<NotEqualOp>(x, output, self: true, nonFloat: false));

    /// <summary>numpy.isinf: |x| = inf; integers and bool: all false.</summary>
    public void IsInf(Tensor x, Tensor output) => Dispatch.On(x.DType, new FloatTestKernel<AbsEqualOp>(x, output, self: false, nonFloat: false));

    /// <summary>numpy.isfinite: |x| &lt; inf (false for NaN); integers and bool: all true.</summary>
    public void IsFinite(Tensor x, Tensor output) => Dispatch.On(x.DType, new FloatTestKernel<AbsLessOp>(x, output, self: false, nonFloat: true));

    /// <summary>op(x, x) (self) or op(x, +inf) into bytes; float16 is widened to float32 exactly; other dtypes fill a constant.</summary>
    private readonly unsafe struct FloatTestKernel<TOp>(Tensor x, Tensor output, bool self, bool nonFloat) : IDTypeKernel where TOp : ICompareOp
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T>
        {
            if (typeof(T) == typeof(Half))
            {
                using var wide = As(x, DType.Float32);
                new FloatTestKernel<TOp>(wide, output, self, nonFloat).Float<float>();
                return;
            }
            int n = output.Size;
            if (n == 0) return;
            T inf = T.PositiveInfinity;
            fixed (T* px = x.ReadOnlySpan<T>())
            fixed (byte* pd = output.Bytes())
                Comparisons.Run<T, TOp>(px, false, self ? px : &inf, !self, pd, n);
        }

        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => output.Bytes().Fill(nonFloat ? (byte)1 : (byte)0);
        public void Bool() => output.Bytes().Fill(nonFloat ? (byte)1 : (byte)0);
    }
}
