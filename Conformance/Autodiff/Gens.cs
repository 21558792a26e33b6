using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>Random shapes for the gradient properties: small (finite differences run the op twice per element).</summary>
internal static class Gens
{
    /// <summary>A shape of rank 0..<paramref name="maxRank"/> with dimensions 1..4.</summary>
    public static Gen<int[]> Shape(int minRank = 0, int maxRank = 3) => Gen.Int[1, 4].Array[minRank, maxRank];

    /// <summary>Two shapes that broadcast together: both derived from one shape by dropping leading axes and setting some to 1.</summary>
    public static readonly Gen<(int[] X, int[] Y)> BroadcastPair =
        Gen.Select(Shape(), Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int.Array[6], (s, dx, dy, ones) =>
        {
            int[] Derive(int drop, int offset) =>
                s.Skip(Math.Min(drop, s.Length)).Select((d, i) => (ones[(i + offset) % 6] & 3) == 0 ? 1 : d).ToArray();
            return (Derive(dx, 0), Derive(dy, 3));
        });

    /// <summary>A case seed (values and loss weights come from it) and whether dimensions are fed as unknown.</summary>
    public static readonly Gen<(int Seed, bool Unknown)> Case = Gen.Select(Gen.Int, Gen.Bool);
}
