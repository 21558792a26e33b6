using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

// Operators of the activations (relu, elu, softplus, softsign, hard_sigmoid); shapes in Operators.cs.
// Exponentials and logarithms reuse ExpOperator and LogOperator, so every width computes them one way; expm1 and
// log1p are built on them in Accurate.

/// <summary>
/// elu: x for x &gt; 0, else Alpha · (exp(x) − 1) (tf.nn.elu, then tf-keras's where for alpha ≠ 1); NaN passes. exp(x) − 1 is
/// taken as Kahan's expm1 (<see cref="Accurate"/>), so small |x| keeps its relative precision.
/// </summary>
internal readonly struct EluOperator : IFloatUnaryOperator
{
    public double Alpha { init; get; }

    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        x > T.Zero ? x : T.CreateTruncating(Alpha) * Accurate.ExpM1(x);
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<T>.Zero), x, Vector128.Create(T.CreateTruncating(Alpha)) * Accurate.ExpM1(x));
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, Vector256.Create(T.CreateTruncating(Alpha)) * Accurate.ExpM1(x));
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, Vector512.Create(T.CreateTruncating(Alpha)) * Accurate.ExpM1(x));
}

/// <summary>
/// exp(x) − 1 and log(1 + y) without cancellation, from exp and log (Kahan's and Goldberg's corrections): with u = e^x,
/// expm1 = (u − 1) · x / log u; with u = 1 + y, log1p = log u · y / (u − 1). The rounding error of u cancels in the
/// quotient. Edge lanes are selected: u == 1 gives x (or y), u == 0 gives −1, and infinities and NaN pass through.
/// </summary>
internal static class Accurate
{
    public static T ExpM1<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T u = default(ExpOperator).Invoke(x);
        if (u == T.One) return x;
        T um1 = u - T.One;
        if (um1 == -T.One || T.IsInfinity(u) || T.IsNaN(u)) return um1;
        return um1 * x / default(LogOperator).Invoke(u);
    }

    public static Vector128<T> ExpM1<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = default(ExpOperator).Invoke(x);
        var um1 = u - Vector128<T>.One;
        var r = um1 * x / default(LogOperator).Invoke(u);
        var plain = Vector128.Equals(um1, -Vector128<T>.One) | Vector128.Equals(u, Vector128.Create(T.PositiveInfinity)) | ~Vector128.Equals(u, u);
        return Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<T>.One), x, Vector128.ConditionalSelect(plain, um1, r));
    }

    public static Vector256<T> ExpM1<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = default(ExpOperator).Invoke(x);
        var um1 = u - Vector256<T>.One;
        var r = um1 * x / default(LogOperator).Invoke(u);
        var plain = Vector256.Equals(um1, -Vector256<T>.One) | Vector256.Equals(u, Vector256.Create(T.PositiveInfinity)) | ~Vector256.Equals(u, u);
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<T>.One), x, Vector256.ConditionalSelect(plain, um1, r));
    }

    public static Vector512<T> ExpM1<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = default(ExpOperator).Invoke(x);
        var um1 = u - Vector512<T>.One;
        var r = um1 * x / default(LogOperator).Invoke(u);
        var plain = Vector512.Equals(um1, -Vector512<T>.One) | Vector512.Equals(u, Vector512.Create(T.PositiveInfinity)) | ~Vector512.Equals(u, u);
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<T>.One), x, Vector512.ConditionalSelect(plain, um1, r));
    }

    public static T Log1P<T>(T y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T u = y + T.One;
        T um1 = u - T.One;
        return um1 == T.Zero || T.IsInfinity(u) || T.IsNaN(u) ? (T.IsInfinity(u) ? u : y) : default(LogOperator).Invoke(u) * y / um1;
    }

    public static Vector128<T> Log1P<T>(Vector128<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = y + Vector128<T>.One;
        var um1 = u - Vector128<T>.One;
        var r = default(LogOperator).Invoke(u) * y / um1;
        return Vector128.ConditionalSelect(Vector128.Equals(um1, Vector128<T>.Zero) | ~Vector128.Equals(u, u), y,
            Vector128.ConditionalSelect(Vector128.Equals(u, Vector128.Create(T.PositiveInfinity)), u, r));
    }

    public static Vector256<T> Log1P<T>(Vector256<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = y + Vector256<T>.One;
        var um1 = u - Vector256<T>.One;
        var r = default(LogOperator).Invoke(u) * y / um1;
        return Vector256.ConditionalSelect(Vector256.Equals(um1, Vector256<T>.Zero) | ~Vector256.Equals(u, u), y,
            Vector256.ConditionalSelect(Vector256.Equals(u, Vector256.Create(T.PositiveInfinity)), u, r));
    }

    public static Vector512<T> Log1P<T>(Vector512<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = y + Vector512<T>.One;
        var um1 = u - Vector512<T>.One;
        var r = default(LogOperator).Invoke(u) * y / um1;
        return Vector512.ConditionalSelect(Vector512.Equals(um1, Vector512<T>.Zero) | ~Vector512.Equals(u, u), y,
            Vector512.ConditionalSelect(Vector512.Equals(u, Vector512.Create(T.PositiveInfinity)), u, r));
    }
}

/// <summary>
/// softplus with TensorFlow's thresholds (softplus_op.h): x above −t, exp(x) below t, t = log(machine epsilon) + 2
/// (−13.94 for float32, −34.04 for float64), so nothing overflows; between them log1p(exp(x)) (<see cref="Accurate"/>),
/// where TensorFlow's log(exp(x) + 1) loses relative precision for negative x. NaN passes.
/// </summary>
internal readonly struct SoftplusOperator : IFloatUnaryOperator
{
    private static T Threshold<T>() where T : IBinaryFloatingPointIeee754<T> =>
        T.CreateTruncating(typeof(T) == typeof(double) ? -34.043650362227245 : -13.942385152878742);

    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T t = Threshold<T>();
        if (x > -t) return x;
        T e = default(ExpOperator).Invoke(x);
        return x < t ? e : Accurate.Log1P(e);
    }

    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var t = Vector128.Create(Threshold<T>());
        var e = default(ExpOperator).Invoke(x);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, -t), x,
            Vector128.ConditionalSelect(Vector128.LessThan(x, t), e, Accurate.Log1P(e)));
    }

    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var t = Vector256.Create(Threshold<T>());
        var e = default(ExpOperator).Invoke(x);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, -t), x,
            Vector256.ConditionalSelect(Vector256.LessThan(x, t), e, Accurate.Log1P(e)));
    }

    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var t = Vector512.Create(Threshold<T>());
        var e = default(ExpOperator).Invoke(x);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, -t), x,
            Vector512.ConditionalSelect(Vector512.LessThan(x, t), e, Accurate.Log1P(e)));
    }
}

/// <summary>softsign: x / (1 + |x|), literally (±inf give NaN, as TensorFlow's kernel).</summary>
internal readonly struct SoftsignOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x / (T.One + T.Abs(x));
    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x / (Vector128<T>.One + Vector128.Abs(x));
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x / (Vector256<T>.One + Vector256.Abs(x));
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x / (Vector512<T>.One + Vector512.Abs(x));
}

/// <summary>
/// hard_sigmoid (tf-keras): 0.2 · x + 0.5, clipped to [0, 1] by selects (NaN passes). Computed as (x + 2.5) · 0.2, the same
/// line without the cancellation of 0.2 · x against 0.5 near x = −2.5 (x + 2.5 is exact there).
/// </summary>
internal readonly struct HardSigmoidOperator : IFloatUnaryOperator
{
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T r = (x + T.CreateTruncating(2.5)) * T.CreateTruncating(0.2);
        return r < T.Zero ? T.Zero : r > T.One ? T.One : r;
    }

    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var r = (x + Vector128.Create(T.CreateTruncating(2.5))) * Vector128.Create(T.CreateTruncating(0.2));
        r = Vector128.ConditionalSelect(Vector128.LessThan(r, Vector128<T>.Zero), Vector128<T>.Zero, r);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(r, Vector128<T>.One), Vector128<T>.One, r);
    }

    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var r = (x + Vector256.Create(T.CreateTruncating(2.5))) * Vector256.Create(T.CreateTruncating(0.2));
        r = Vector256.ConditionalSelect(Vector256.LessThan(r, Vector256<T>.Zero), Vector256<T>.Zero, r);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(r, Vector256<T>.One), Vector256<T>.One, r);
    }

    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var r = (x + Vector512.Create(T.CreateTruncating(2.5))) * Vector512.Create(T.CreateTruncating(0.2));
        r = Vector512.ConditionalSelect(Vector512.LessThan(r, Vector512<T>.Zero), Vector512<T>.Zero, r);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(r, Vector512<T>.One), Vector512<T>.One, r);
    }
}

/// <summary>
/// Keras relu as tf-keras's code computes it (<see cref="ReluMath"/>): pos = x above the threshold, else x · 0 (threshold ≠ 0;
/// −inf gives NaN) or max(x, 0) (threshold = 0); capped to [0, max_value]; minus alpha · max(threshold − x, 0). NaN stays
/// NaN; −0 keeps its sign in the plain relu, as numpy's maximum does.
/// </summary>
internal readonly struct ReluOperator(double alpha, double? maxValue, double threshold) : IFloatUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T t = T.CreateTruncating(threshold);
        T pos = threshold != 0 ? (x > t ? x : x * T.Zero) : (x < T.Zero ? T.Zero : x);
        if (maxValue is double m)
        {
            T vm = T.CreateTruncating(m);
            if (pos > vm) pos = vm;
            if (pos < T.Zero) pos = T.Zero;
        }
        if (alpha == 0) return pos;
        T neg = t - x;
        return pos - T.CreateTruncating(alpha) * (neg < T.Zero ? T.Zero : neg);
    }

    public Vector128<T> Invoke<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector<T, Vector128<T>, VectorLoops.W128<T>>(x);
    public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector<T, Vector256<T>, VectorLoops.W256<T>>(x);
    public Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector<T, Vector512<T>, VectorLoops.W512<T>>(x);

    /// <summary>The scalar form above on every lane, at any width (see <see cref="VectorLoops.IWidth{T, TV}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Vector<T, TV, TO>(TV x) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TV : struct where TO : VectorLoops.IWidth<T, TV>
    {
        var zero = TO.Zero;
        // The plain relu: clear the lanes below 0 (NaN compares false, so it passes through).
        if (alpha == 0 && maxValue is null && threshold == 0) return TO.AndNot(x, TO.LessThan(x, zero));
        var t = TO.Splat(T.CreateTruncating(threshold));
        var pos = threshold != 0 ? TO.Select(TO.GreaterThan(x, t), x, TO.Multiply(x, zero)) : TO.AndNot(x, TO.LessThan(x, zero));
        if (maxValue is double m)
        {
            var vm = TO.Splat(T.CreateTruncating(m));
            pos = TO.Select(TO.GreaterThan(pos, vm), vm, pos);
            pos = TO.AndNot(pos, TO.LessThan(pos, zero));
        }
        if (alpha == 0) return pos;
        var neg = TO.Subtract(t, x);
        return TO.Subtract(pos, TO.Multiply(TO.Splat(T.CreateTruncating(alpha)), TO.AndNot(neg, TO.LessThan(neg, zero))));
    }
}
