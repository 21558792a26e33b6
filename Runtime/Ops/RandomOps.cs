using KerasBackend.Graph;

namespace KerasBackend;

/// <summary>The composite behind dropout: x times a keep mask that is a graph node of its own.</summary>
internal static class RandomOps
{
    /// <summary>tf.nn.dropout(x, rate=level, noise_shape, seed): x · mask / (1 - level), mask ~ Bernoulli(1 - level) over noise_shape.</summary>
    public static Tensor Dropout(Tensor x, double level, int?[]? noiseShape, int? seed) => x * KeepMask(x, level, noiseShape, seed);

    /// <summary>
    /// The scaled keep mask (1 / (1 - level) or 0) in x's dtype, of noise_shape (x's shape by default). With a symbolic x
    /// it is recorded as a node (<c>_dropout_mask</c>) that draws when the graph runs, so its shape may use x's run-time
    /// dimensions, a fresh seed is drawn per run, and the forward value and the gradient share one draw. No gradient
    /// crosses it (it is not an op of the spec).
    /// </summary>
    internal static Tensor KeepMask(Tensor x, double level, int?[]? noiseShape, int? seed)
    {
        if (GraphBuilder.AnySymbolic(x))
        {
            var shape = Shape.Wrap(MaskDims(x.Shape, noiseShape));
            var runs = new long[] { -1 };
            // Each concrete evaluation is one run of the graph: run k draws with the k-th seed of the seed's sequence.
            return GraphBuilder.Record("_dropout_mask", [x], [level, noiseShape, seed], shape, x.DType,
                ins => ins[0]!.IsSymbolic || GraphBuilder.Recording
                    ? KeepMask(ins[0]!, level, noiseShape, seed)
                    : Draw(ins[0]!, level, noiseShape, seed is int s ? RunSeed(s, Interlocked.Increment(ref runs[0])) : null));
        }
        return Draw(x, level, noiseShape, seed);
    }

    private static Tensor Draw(Tensor x, double level, int?[]? noiseShape, int? seed)
    {
        var mask = K.RandomBernoulli(MaskDims(x.Shape, noiseShape), 1 - level, x.DType, seed);
        return level == 0 ? mask : mask * (1 / (1 - level));
    }

    /// <summary>
    /// The seed of run <paramref name="run"/> of a seeded mask node: the seed itself first (so a graph's first run draws
    /// what eager dropout draws), then SplitMix64 of (seed, run): a stateful seeded sequence, as TensorFlow's graph-mode
    /// random ops give one per op seed, that is the same on every backend.
    /// </summary>
    internal static int RunSeed(int seed, long run)
    {
        if (run == 0) return seed;
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)run);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    /// <summary>noise_shape with null entries (and a null noise_shape) filled from x's shape (which may be unknown while recording).</summary>
    private static int[] MaskDims(Shape x, int?[]? noiseShape) =>
        Enumerable.Range(0, x.Rank).Select(i => noiseShape?[i] ?? x[i]).ToArray();
}

public static partial class Checks
{
    /// <summary>dropout: the rate is in [0, 1).</summary>
    public static bool DropoutLevel(double level) => level >= 0 && level < 1;

    /// <summary>dropout: noise_shape has x's rank and each entry is null, 1 or x's dimension (unknown dimensions pass).</summary>
    public static bool NoiseShapeFits(Tensor x, int?[]? noiseShape) =>
        noiseShape is null || noiseShape.Length == x.Rank && noiseShape.Select((d, i) => d is null || d == 1 || x.Shape[i] < 0 || d == x.Shape[i]).All(ok => ok);
}
