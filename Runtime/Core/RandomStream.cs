using System.Runtime.CompilerServices;

namespace KerasBackend;

/// <summary>
/// The one random generator every backend uses: Philox4x32-10 (Salmon et al., "Parallel random numbers: as
/// easy as 1, 2, 3", SC 2011), a counter-based generator. Element <c>i</c> of a random tensor is a pure
/// function of the seed and <c>i</c>, so values do not depend on the backend, on how the work is split across
/// threads, or on earlier calls: the same seed always gives the same tensor.
/// </summary>
public static class RandomStream
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private const double TwoPow53Inv = 1.0 / (1L << 53), TwoPow24Inv = 1.0 / (1 << 24);

    /// <summary>A fresh seed, for calls made without one.</summary>
    public static int FreshSeed() => System.Random.Shared.Next();

    /// <summary>The user's seed or a fresh one.</summary>
    public static int Resolve(int? seed) => seed ?? FreshSeed();

    /// <summary>The Philox key of a seed: SplitMix64 of the seed, so nearby seeds give unrelated keys.</summary>
    public static (uint k0, uint k1) Key(int seed)
    {
        ulong z = unchecked((ulong)(uint)seed + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return ((uint)z, (uint)(z >> 32));
    }

    /// <summary>Philox4x32-10 of the 128-bit counter (c0, c1, 0, 0) under the key: four 32-bit random words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Block(ulong counter, uint k0, uint k1)
    {
        uint c0 = (uint)counter, c1 = (uint)(counter >> 32), c2 = 0, c3 = 0;
        // Ten rounds; the key is bumped by the Weyl constants between rounds.
        for (int r = 0; r < 10; r++)
        {
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0, hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
            unchecked { k0 += W0; k1 += W1; }
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>
    /// Uniform element <paramref name="i"/> in [0, 1): 53 random bits for float64, 24 for narrower floats (so
    /// rounding to float32 cannot reach 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Uniform01(long i, uint k0, uint k1, bool wide)
    {
        var (a, b, _, _) = Block((ulong)i, k0, k1);
        return wide ? ((((ulong)a << 32) | b) >> 11) * TwoPow53Inv : (a >> 8) * TwoPow24Inv;
    }

    /// <summary>Uniform element <paramref name="i"/> in [minval, maxval) as the output dtype will store it (a result that rounds up to maxval steps down).</summary>
    public static double Uniform(long i, uint k0, uint k1, double minval, double maxval, DType dtype)
    {
        double v = minval + (maxval - minval) * Uniform01(i, k0, k1, dtype == DType.Float64);
        return StayBelow(v, minval, maxval, dtype);
    }

    /// <summary>Rounds <paramref name="v"/> to <paramref name="dtype"/>; if that reaches maxval (float rounding), returns the largest value below it.</summary>
    public static double StayBelow(double v, double minval, double maxval, DType dtype)
    {
        double r = dtype switch { DType.Float32 => (float)v, DType.Float16 => (double)(Half)v, _ => v };
        if (r < maxval || maxval <= minval) return r;
        return dtype switch
        {
            DType.Float32 => Math.Max(MathF.BitDecrement((float)maxval), (float)minval),
            DType.Float16 => Math.Max((double)BitDecrement((Half)maxval), (double)(Half)minval),
            _ => Math.Max(Math.BitDecrement(maxval), minval),
        };
    }

    private static Half BitDecrement(Half h)
    {
        ushort bits = BitConverter.HalfToUInt16Bits(h);
        if (Half.IsNaN(h) || Half.IsNegativeInfinity(h)) return h;
        if ((bits & 0x7FFF) == 0) return BitConverter.UInt16BitsToHalf(0x8001);
        return BitConverter.UInt16BitsToHalf((bits & 0x8000) == 0 ? (ushort)(bits - 1) : (ushort)(bits + 1));
    }

    /// <summary>
    /// Standard normal element <paramref name="i"/>: Box-Muller on block i/2 (two 53-bit uniforms u1 ∈ (0, 1],
    /// u2 ∈ [0, 1)); even i takes the cosine, odd i the sine.
    /// </summary>
    public static double Normal(long i, uint k0, uint k1)
    {
        var (a, b, c, d) = Block((ulong)(i >> 1), k0, k1);
        double u1 = (((((ulong)a << 32) | b) >> 11) + 1) * TwoPow53Inv;
        double u2 = ((((ulong)c << 32) | d) >> 11) * TwoPow53Inv;
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double t = 2.0 * Math.PI * u2;
        return (i & 1) == 0 ? r * Math.Cos(t) : r * Math.Sin(t);
    }
    /// <summary>Bernoulli element <paramref name="i"/>: 1 when the uniform element i, rounded to <paramref name="dtype"/>, is ≤ p (tf-keras's random_bernoulli), else 0.</summary>
    public static double Bernoulli(long i, uint k0, uint k1, double p, DType dtype) =>
        Uniform(i, k0, k1, 0, 1, dtype) <= p ? 1 : 0;

    /// <summary>Offset between the counters of two attempts of one truncated-normal element (above every element index, even).</summary>
    private const long AttemptStride = 1L << 33;

    /// <summary>
    /// Truncated standard normal element <paramref name="i"/>: the normal element at counter i + k·2^33 for the first
    /// attempt k whose magnitude is at most 2 (tf.random.truncated_normal's re-picking; about 4.6% of draws are redrawn).
    /// </summary>
    public static double TruncatedNormal(long i, uint k0, uint k1)
    {
        for (long k = 0; ; k++)
        {
            double z = Normal(i + k * AttemptStride, k0, k1);
            if (Math.Abs(z) <= 2) return z;
        }
    }
}

/// <summary>Composites behind <c>random_uniform_variable</c> and <c>random_normal_variable</c>.</summary>
internal static class RandomVariables
{
    /// <summary>Keras <c>random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None)</c>.</summary>
    public static Variable Uniform(int[] shape, double low, double high, DType? dtype, string? name, int? seed) =>
        new(K.RandomUniform(shape, low, high, dtype, seed), name ?? "variable_" + Session.GetUid("variable"), null, true);

    /// <summary>Keras <c>random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None)</c>.</summary>
    public static Variable Normal(int[] shape, double mean, double scale, DType? dtype, string? name, int? seed) =>
        new(K.RandomNormal(shape, mean, scale, dtype, seed), name ?? "variable_" + Session.GetUid("variable"), null, true);
}
