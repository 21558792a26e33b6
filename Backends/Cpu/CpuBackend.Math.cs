using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

// The math family's wiring: one line per elementwise op (operator structs in MathOperators.cs; dtype policy,
// broadcasting and threading in Elementwise).
public sealed partial class CpuBackend
{
    /// <summary>x + y with broadcasting.</summary>
    public void Add(Tensor x, Tensor y, Tensor output) => Elementwise.Binary<AddOperator>(x, y, output);

    /// <summary>x − y with broadcasting.</summary>
    public void Subtract(Tensor x, Tensor y, Tensor output) => Elementwise.Binary<SubtractOperator>(x, y, output);

    /// <summary>x · y with broadcasting.</summary>
    public void Multiply(Tensor x, Tensor y, Tensor output) => Elementwise.Binary<MultiplyOperator>(x, y, output);

    /// <summary>x / y with broadcasting (float outputs).</summary>
    public void Divide(Tensor x, Tensor y, Tensor output) => Elementwise.FloatBinary<DivideOperator>(x, y, output);

    /// <summary>numpy.maximum with broadcasting; NaN wins.</summary>
    public void Maximum(Tensor x, Tensor y, Tensor output) => Elementwise.Binary<MaximumOperator>(x, y, output);

    /// <summary>numpy.minimum with broadcasting; NaN wins.</summary>
    public void Minimum(Tensor x, Tensor y, Tensor output) => Elementwise.Binary<MinimumOperator>(x, y, output);

    /// <summary>−x; integers wrap; bool (which numpy rejects) comes out unchanged.</summary>
    public void Negative(Tensor x, Tensor output) => Elementwise.Unary<NegateOperator>(x, output);

    /// <summary>|x|; signed integers wrap at their minimum value (numpy), uint8 and bool are unchanged.</summary>
    public void Abs(Tensor x, Tensor output) => Elementwise.Unary<AbsOperator>(x, output);

    /// <summary>x·x in the output dtype (bool → int32, as Keras 3); integers wrap.</summary>
    public void Square(Tensor x, Tensor output) => Elementwise.Unary<SquareOperator>(x, output);

    /// <summary>e^x (integers → floatx first).</summary>
    public void Exp(Tensor x, Tensor output) => Elementwise.FloatUnary<ExpOperator>(x, output);

    /// <summary>ln x (integers → floatx first).</summary>
    public void Log(Tensor x, Tensor output) => Elementwise.FloatUnary<LogOperator>(x, output);

    /// <summary>√x (integers → floatx first).</summary>
    public void Sqrt(Tensor x, Tensor output) => Elementwise.FloatUnary<SqrtOperator>(x, output);

    /// <summary>
    /// x ** a. Floats: C pow per element (TensorPrimitives.Pow). Integers (a whole and ≥ 0, the dtype rule
    /// guarantees it): exponentiation by squaring on whole spans, wrapping like numpy's fixed-width ints.
    /// </summary>
    public void Pow(Tensor x, double a, Tensor output) => Dispatch.On(output.DType, new PowKernel(x, a, output));

    private readonly struct PowKernel(Tensor x, double a, Tensor output) : IDTypeKernel
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T>
        {
            if (typeof(T) == typeof(Half))
            {
                // float16: computed in float32, rounded once.
                using var tmp = Tensor.Uninitialized(DType.Float32, output.Shape);
                new PowKernel(x, a, tmp).Float<float>();
                Casting.Cast(tmp, output);
                return;
            }
            var xc = As(x, output.DType);
            FloatPow(xc.ReadOnlySpan<T>(), T.CreateTruncating(a), output.Span<T>());
            Release(xc, x);
        }

        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => IntPow<T>(x, a, output);

        public void Bool()
        {
            using var tmp = Tensor.Uninitialized(DType.Int32, output.Shape);
            IntPow<int>(x, a, tmp);
            Casting.Cast(tmp, output);
        }
    }

    /// <summary>
    /// x^a. For a in {0, 1, 2, -1} the vector forms (1, x, x·x, 1/x) are correctly rounded, exactly what C pow
    /// returns for those exponents, including at NaN, ±0 and ±inf; every other exponent goes through pow itself.
    /// </summary>
    private static void FloatPow<T>(ReadOnlySpan<T> x, T a, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (a == T.Zero) d.Fill(T.One);
        else if (a == T.One) x.CopyTo(d);
        else if (a == T.CreateTruncating(2)) TensorPrimitives.Multiply(x, x, d);
        else if (a == -T.One) TensorPrimitives.Divide(T.One, x, d);
        else TensorPrimitives.Pow(x, a, d);
    }

    private static void IntPow<T>(Tensor x, double a, Tensor output) where T : unmanaged, IBinaryInteger<T>
    {
        var xc = As(x, output.DType);
        var result = output.Span<T>();
        result.Fill(T.One);
        var e = new BigInteger(a);
        if (!e.IsZero)
        {
            using var sq = Tensor.Uninitialized(output.DType, output.Shape);
            var b = sq.Span<T>();
            xc.ReadOnlySpan<T>().CopyTo(b);
            // Square-and-multiply over the exponent's bits: ~2·log2(a) vector passes, each wrapping.
            while (true)
            {
                if (!e.IsEven) TensorPrimitives.Multiply(result, b, result);
                e >>= 1;
                if (e.IsZero) break;
                TensorPrimitives.Multiply(b, b, b);
            }
        }
        Release(xc, x);
    }
}

// Keras 3 math ops (issue 16): operators in Keras3Operators.cs.
public sealed partial class CpuBackend
{
    /// <summary>erf(x) (integers → floatx first).</summary>
    public void Erf(Tensor x, Tensor output) => Elementwise.FloatUnary<ErfOperator>(x, output);

    /// <summary>1 / √x (integers → floatx first).</summary>
    public void Rsqrt(Tensor x, Tensor output) => Elementwise.FloatUnary<RsqrtOperator>(x, output);

    /// <summary>numpy.floor (integers → floatx first).</summary>
    public void Floor(Tensor x, Tensor output) => Elementwise.FloatUnary<FloorOperator>(x, output);

    /// <summary>numpy.ceil (integers → floatx first).</summary>
    public void Ceil(Tensor x, Tensor output) => Elementwise.FloatUnary<CeilOperator>(x, output);

    /// <summary>numpy.mod with broadcasting, in the output dtype (bool pairs in int32).</summary>
    public void Mod(Tensor x, Tensor y, Tensor output) => Elementwise.Binary<ModOperator>(x, y, output);

    /// <summary>numpy.floor_divide with broadcasting, in the output dtype (bool pairs in int32).</summary>
    public void FloorDivide(Tensor x, Tensor y, Tensor output) => Elementwise.Binary<FloorDivideOperator>(x, y, output);

    /// <summary>numpy.nan_to_num: float outputs replace NaN and ±inf (null bounds: the dtype's extremes); integers and bool are copied.</summary>
    public void NanToNum(Tensor x, double nan, double? posinf, double? neginf, Tensor output)
    {
        if (!output.DType.IsFloat()) { x.Bytes().CopyTo(output.Bytes()); return; }
        double max = output.DType switch { DType.Float16 => (double)Half.MaxValue, DType.Float32 => float.MaxValue, _ => double.MaxValue };
        Elementwise.FloatUnary(x, output, new NanToNumOperator { Nan = nan, PosInf = posinf ?? max, NegInf = neginf ?? -max });
    }
}
