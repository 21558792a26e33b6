using KerasBackend.Backends;

namespace KerasBackend.Onnx;

// Lowerings of the Keras 3 math, logic and activation ops (floor, ceil, erf, gelu, rsqrt, mod, floor_divide, nan_to_num,
// the truth tests and logical operators, where).
internal static partial class Lowerings
{
    /// <summary>numpy.floor: integers and bool become the float result first.</summary>
    public static void Floor(LoweringContext c) => Rounding(c, "Floor");

    /// <summary>numpy.ceil: integers and bool become the float result first.</summary>
    public static void Ceil(LoweringContext c) => Rounding(c, "Ceil");

    private static void Rounding(LoweringContext c, string op) =>
        c.Return(c.Node(op, [c.InCompute(0, c.OutDType)]), OnnxTypes.Compute(c.OutDType));

    /// <summary>1 / √x (√−0 = −0, so rsqrt(−0) = −inf as numpy gives).</summary>
    public static void Rsqrt(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        c.Return(c.Node("Div", [c.Scalar(1, t), c.Node("Sqrt", [c.InCompute(0, c.OutDType)])]), t);
    }

    /// <summary>
    /// erf: ONNX Runtime's Erf for float32 (and float16, computed in float32); it has no float64 kernel, so float64 evaluates
    /// fdlibm's rational approximations (<see cref="ErfMath"/>) with ONNX nodes.
    /// </summary>
    public static void Erf(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        var x = c.InCompute(0, c.OutDType);
        c.Return(ErfOf(c, x, t), t);
    }

    private static string ErfOf(LoweringContext c, string x, DType t) => t == DType.Float64 ? ErfFdlibm(c, x) : c.Node("Erf", [x]);

    /// <summary>Σ k[i]·z^i by Horner's rule, as <see cref="ErfMath.Poly"/>.</summary>
    private static string Poly(LoweringContext c, double[] k, string z)
    {
        var r = c.Scalar(k[^1], DType.Float64);
        for (int i = k.Length - 2; i >= 0; i--) r = c.Node("Add", [c.Node("Mul", [r, z]), c.Scalar(k[i], DType.Float64)]);
        return r;
    }

    /// <summary>
    /// fdlibm's erf (s_erf.c) in float64 nodes, range by range as <see cref="ErfMath.Erf"/>; the tail's exact square uses
    /// z = |x| rounded to float32 (24 significant bits, so z² is exact in float64) where fdlibm clears the low 32 bits.
    /// </summary>
    private static string ErfFdlibm(LoweringContext c, string x)
    {
        const DType d = DType.Float64;
        var ax = c.Node("Abs", [x]);
        var x2 = c.Node("Mul", [x, x]);
        var small = c.Node("Add", [x, c.Node("Mul", [x, c.Node("Div", [Poly(c, ErfMath.Pp, x2), Poly(c, ErfMath.Qq, x2)])])]);
        var s = c.Node("Sub", [ax, c.Scalar(1, d)]);
        var mid = c.Node("Add", [c.Scalar(ErfMath.Erx, d), c.Node("Div", [Poly(c, ErfMath.Pa, s), Poly(c, ErfMath.Qa, s)])]);
        var inv = c.Node("Div", [c.Scalar(1, d), c.Node("Mul", [ax, ax])]);
        var rs = Where(c, c.Node("Less", [ax, c.Scalar(1 / 0.35, d)]),
            c.Node("Div", [Poly(c, ErfMath.Ra, inv), Poly(c, ErfMath.Sa, inv)]),
            c.Node("Div", [Poly(c, ErfMath.Rb, inv), Poly(c, ErfMath.Sb, inv)]));
        var z = c.Cast(c.Cast(ax, d, DType.Float32), DType.Float32, d);
        var e1 = c.Node("Exp", [c.Node("Sub", [c.Node("Neg", [c.Node("Mul", [z, z])]), c.Scalar(0.5625, d)])]);
        var e2 = c.Node("Exp", [c.Node("Add", [c.Node("Mul", [c.Node("Sub", [z, ax]), c.Node("Add", [z, ax])]), rs])]);
        var big = c.Node("Sub", [c.Scalar(1, d), c.Node("Div", [c.Node("Mul", [e1, e2]), ax])]);
        var magnitude = Where(c, c.Node("Less", [ax, c.Scalar(1.25, d)]), mid,
            Where(c, c.Node("GreaterOrEqual", [ax, c.Scalar(6, d)]), c.Scalar(1, d), big));
        var signed = Where(c, c.Node("Less", [x, c.Scalar(0, d)]), c.Node("Neg", [magnitude]), magnitude);
        return Where(c, c.Node("Less", [ax, c.Scalar(0.84375, d)]), small, signed);
    }

    /// <summary>Keras 3 gelu: x·(erf(x/√2) + 1)/2, or the tanh form written x / (1 + e^(−2u)) as the kernels compute it.</summary>
    public static void Gelu(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        var x = c.InCompute(0, c.OutDType);
        if (c.Attr<bool>(0))
        {
            var cube = c.Node("Mul", [c.Scalar(0.044715, t), c.Node("Mul", [c.Node("Mul", [x, x]), x])]);
            var e = c.Node("Exp", [c.Node("Mul", [c.Scalar(-2 * Math.Sqrt(2 / Math.PI), t), c.Node("Add", [x, cube])])]);
            c.Return(c.Node("Div", [x, c.Node("Add", [c.Scalar(1, t), e])]), t);
            return;
        }
        var erf = ErfOf(c, c.Node("Div", [x, c.Scalar(Math.Sqrt(2), t)]), t);
        c.Return(c.Node("Div", [c.Node("Mul", [x, c.Node("Add", [erf, c.Scalar(1, t)])]), c.Scalar(2, t)]), t);
    }

    /// <summary>numpy.mod (the sign of y).</summary>
    public static void Mod(LoweringContext c) => DivMod(c, modulus: true);

    /// <summary>numpy.floor_divide.</summary>
    public static void FloorDivide(LoweringContext c) => DivMod(c, modulus: false);

    /// <summary>
    /// numpy's divmod. Integers in int64 (so that int32's MIN // −1 wraps on the cast back, as numpy gives): a divisor of
    /// 0 gives 0 for both, −1 gives −x and 0 (ONNX's integer Div would trap on either), else the truncated quotient
    /// corrected by one when the remainder's sign differs from y's. Floats as npy_divmod: fmod, then y added when the
    /// signs differ, a zero remainder taking y's sign; the quotient (x − fmod)/y adjusted and snapped to the nearest
    /// integer, a zero one taking the sign of x/y; y = 0 gives x/y and fmod (NaN). float16 computes in float32 as numpy's
    /// half divmod does.
    /// </summary>
    private static void DivMod(LoweringContext c, bool modulus)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        string x = c.InCompute(0, c.OutDType), y = c.InCompute(1, c.OutDType);
        if (!t.IsFloat())
        {
            const DType l = DType.Int64;
            x = c.Cast(x, t, l);
            y = c.Cast(y, t, l);
            var zero = c.Scalar(0, l);
            var yZero = c.Node("Equal", [y, zero]);
            var yMinusOne = c.Node("Equal", [y, c.Scalar(-1, l)]);
            var special = c.Node("Or", [yZero, yMinusOne]);
            var safe = Where(c, special, c.Scalar(1, l), y);
            var q = c.Node("Div", [x, safe]);
            var r = c.Node("Sub", [x, c.Node("Mul", [q, safe])]);
            var adjust = c.Node("And", [c.Node("Not", [c.Node("Equal", [r, zero])]),
                c.Node("Xor", [c.Node("Less", [r, zero]), c.Node("Less", [safe, zero])])]);
            if (modulus)
                c.Return(Where(c, special, zero, Where(c, adjust, c.Node("Add", [r, safe]), r)), l);
            else
                c.Return(Where(c, yZero, zero, Where(c, yMinusOne, c.Node("Sub", [zero, x]),
                    Where(c, adjust, c.Node("Sub", [q, c.Scalar(1, l)]), q))), l);
            return;
        }
        var fzero = c.Scalar(0, t);
        string SignedZero(string ofValue) => Where(c, IsNegative(c, ofValue, t), c.Scalar(-0.0, t), fzero);
        var fm = c.Node("Mod", [x, y], ("fmod", 1L));
        var yIsZero = c.Node("Equal", [y, fzero]);
        var fmNonZero = c.Node("Not", [c.Node("Equal", [fm, fzero])]);
        var flip = c.Node("And", [fmNonZero, c.Node("Xor", [c.Node("Less", [y, fzero]), c.Node("Less", [fm, fzero])])]);
        if (modulus)
        {
            var m = Where(c, fmNonZero, Where(c, flip, c.Node("Add", [fm, y]), fm), SignedZero(y));
            c.Return(Where(c, yIsZero, fm, m), t);
            return;
        }
        var div = c.Node("Div", [c.Node("Sub", [x, fm]), y]);
        div = Where(c, flip, c.Node("Sub", [div, c.Scalar(1, t)]), div);
        var fl = c.Node("Floor", [div]);
        fl = Where(c, c.Node("Greater", [c.Node("Sub", [div, fl]), c.Scalar(0.5, t)]), c.Node("Add", [fl, c.Scalar(1, t)]), fl);
        var quotient = c.Node("Div", [x, y]);
        var fd = Where(c, c.Node("Equal", [div, fzero]), SignedZero(quotient), fl);
        c.Return(Where(c, yIsZero, quotient, fd), t);
    }

    /// <summary>v &lt; 0 or v is −0 (1/v = −inf).</summary>
    private static string IsNegative(LoweringContext c, string v, DType t)
    {
        var zero = c.Scalar(0, t);
        var negZero = c.Node("And", [c.Node("Equal", [v, zero]), c.Node("Less", [c.Node("Div", [c.Scalar(1, t), v]), zero])]);
        return c.Node("Or", [c.Node("Less", [v, zero]), negZero]);
    }

    /// <summary>numpy.nan_to_num: the replacements rounded to x's dtype first (null: its extremes); integers and bool unchanged.</summary>
    public static void NanToNum(LoweringContext c)
    {
        var d = c.OutDType;
        if (!d.IsFloat()) { c.Return(c.In(0), c.InDType(0)); return; }
        var t = OnnxTypes.Compute(d);
        double max = d switch { DType.Float16 => 65504, DType.Float32 => float.MaxValue, _ => double.MaxValue };
        string Value(double v) => c.Cast(c.Scalar(v, d), d, t);
        var x = c.InCompute(0, d);
        var r = Where(c, c.Node("IsNaN", [x]), Value(c.Attr<double>(0)), x);
        r = Where(c, c.Node("IsInf", [x], ("detect_negative", 0L)), Value((double?)c.Attr(1) ?? max), r);
        r = Where(c, c.Node("IsInf", [x], ("detect_positive", 0L)), Value((double?)c.Attr(2) ?? -max), r);
        c.Return(r, t);
    }

    /// <summary>numpy.isnan (integers and bool: never).</summary>
    public static void IsNan(LoweringContext c) => Test(c, x => c.Node("IsNaN", [x]), false);

    /// <summary>numpy.isinf (integers and bool: never).</summary>
    public static void IsInf(LoweringContext c) => Test(c, x => c.Node("IsInf", [x]), false);

    /// <summary>numpy.isfinite (integers and bool: always).</summary>
    public static void IsFinite(LoweringContext c) =>
        Test(c, x => c.Node("Not", [c.Node("Or", [c.Node("IsNaN", [x]), c.Node("IsInf", [x])])]), true);

    private static void Test(LoweringContext c, Func<string, string> floats, bool integers)
    {
        var t = OnnxTypes.Compute(c.InDType(0));
        var x = c.InAs(0, t);
        if (t.IsFloat()) { c.Return(floats(x), DType.Bool); return; }
        var same = c.Node("Equal", [x, x]);
        c.Return(integers ? same : c.Node("Not", [same]), DType.Bool);
    }

    /// <summary>Input <paramref name="i"/> as truth values: nonzero is true (NaN included, −0 not), as numpy's logical ops read it.</summary>
    private static string Truth(LoweringContext c, int i) => c.Cast(c.In(i), c.InDType(i), DType.Bool);

    public static void LogicalAnd(LoweringContext c) => c.Return(c.Node("And", [Truth(c, 0), Truth(c, 1)]), DType.Bool);

    public static void LogicalOr(LoweringContext c) => c.Return(c.Node("Or", [Truth(c, 0), Truth(c, 1)]), DType.Bool);

    public static void LogicalNot(LoweringContext c) => c.Return(c.Node("Not", [Truth(c, 0)]), DType.Bool);

    /// <summary>numpy.where: the condition's truth, the values in the promoted (result) dtype, numpy broadcasting (ONNX's).</summary>
    public static void Where(LoweringContext c) =>
        c.Return(Where(c, Truth(c, 0), c.InCompute(1, c.OutDType), c.InCompute(2, c.OutDType)), OnnxTypes.Compute(c.OutDType));
}
