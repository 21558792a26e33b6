using System.Numerics;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

// binary_crossentropy as element-wise operators (x = target, y = output); the categorical losses are row kernels
// in Crossentropy.cs. exp and log come from ExpOperator and LogOperator, so every width uses the backend's own.

/// <summary>With logits: max(o, 0) - o·t + log(1 + exp(-|o|)) (tf.nn.sigmoid_cross_entropy_with_logits), finite for any o.</summary>
internal readonly struct BinaryLogitsOperator : IFloatBinaryOperator
{
    public T Invoke<T>(T t, T o) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.Max(o, T.Zero) - o * t + T.LogP1(T.Exp(-T.Abs(o)));

    public Vector128<T> Invoke<T>(Vector128<T> t, Vector128<T> o) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector128.Max(o, Vector128<T>.Zero) - o * t + LogP1(default(ExpOperator).Invoke(-Vector128.Abs(o)));

    public Vector256<T> Invoke<T>(Vector256<T> t, Vector256<T> o) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector256.Max(o, Vector256<T>.Zero) - o * t + LogP1(default(ExpOperator).Invoke(-Vector256.Abs(o)));

    public Vector512<T> Invoke<T>(Vector512<T> t, Vector512<T> o) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector512.Max(o, Vector512<T>.Zero) - o * t + LogP1(default(ExpOperator).Invoke(-Vector512.Abs(o)));

    // log(1 + e) with the rounding of 1 + e undone (Goldberg's trick): log(u)·e / (u - 1), u = 1 + e; e itself where u rounds to 1.
    private static Vector128<T> LogP1<T>(Vector128<T> e) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = Vector128<T>.One + e;
        var d = u - Vector128<T>.One;
        return Vector128.ConditionalSelect(Vector128.Equals(d, Vector128<T>.Zero), e, default(LogOperator).Invoke(u) * e / d);
    }

    private static Vector256<T> LogP1<T>(Vector256<T> e) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = Vector256<T>.One + e;
        var d = u - Vector256<T>.One;
        return Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<T>.Zero), e, default(LogOperator).Invoke(u) * e / d);
    }

    private static Vector512<T> LogP1<T>(Vector512<T> e) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var u = Vector512<T>.One + e;
        var d = u - Vector512<T>.One;
        return Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<T>.Zero), e, default(LogOperator).Invoke(u) * e / d);
    }
}

/// <summary>With probabilities: c = clip(o, ε, 1 - ε), then -(t·log(c + ε) + (1 - t)·log(1 - c + ε)) (epsilon twice, as tf-keras's code).</summary>
internal readonly struct BinaryProbabilitiesOperator : IFloatBinaryOperator
{
    public double Eps { get; init; }

    public T Invoke<T>(T t, T o) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T e = T.CreateTruncating(Eps);
        T c = T.Min(T.Max(o, e), T.One - e);
        return -(t * T.Log(c + e) + (T.One - t) * T.Log(T.One - c + e));
    }

    public Vector128<T> Invoke<T>(Vector128<T> t, Vector128<T> o) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var e = Vector128.Create(T.CreateTruncating(Eps));
        var c = Vector128.Min(Vector128.Max(o, e), Vector128<T>.One - e);
        var log = default(LogOperator);
        return -(t * log.Invoke(c + e) + (Vector128<T>.One - t) * log.Invoke(Vector128<T>.One - c + e));
    }

    public Vector256<T> Invoke<T>(Vector256<T> t, Vector256<T> o) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var e = Vector256.Create(T.CreateTruncating(Eps));
        var c = Vector256.Min(Vector256.Max(o, e), Vector256<T>.One - e);
        var log = default(LogOperator);
        return -(t * log.Invoke(c + e) + (Vector256<T>.One - t) * log.Invoke(Vector256<T>.One - c + e));
    }

    public Vector512<T> Invoke<T>(Vector512<T> t, Vector512<T> o) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var e = Vector512.Create(T.CreateTruncating(Eps));
        var c = Vector512.Min(Vector512.Max(o, e), Vector512<T>.One - e);
        var log = default(LogOperator);
        return -(t * log.Invoke(c + e) + (Vector512<T>.One - t) * log.Invoke(Vector512<T>.One - c + e));
    }
}
