namespace KerasBackend.Samples.Training;

/// <summary>
/// The attention sample's task and model: a pointer p in [1, 9] followed by nine random digits, labelled with the digit at
/// position p, and a transformer that reads it (embeddings, transformer blocks, the first position, dense logits).
/// </summary>
public static class PointerTask
{
    public const int Length = 10, Vocabulary = 10, Dim = 32, Heads = 2, Hidden = 64;

    /// <summary>The pointer model: embeddings, <paramref name="blocks"/> transformer blocks, the first position, dense logits.</summary>
    public static Sequential Build(SeededRandom rng, int blocks = 1) =>
        new([
            new Embedding(Vocabulary, Length, Dim, rng),
            .. Enumerable.Range(0, blocks).Select(b => (ILayer)new TransformerBlock(Length, Dim, Heads, Hidden, rng, $"block_{b + 1}")),
            new LayerNormalizationLayer(Dim, "final_norm"),
            new FirstPosition(),
            new Dense(Dim, Vocabulary, null, rng, "logits"),
        ]);

    /// <summary><paramref name="count"/> sequences (pointer, nine digits) labelled with the digit the pointer names.</summary>
    public static Dataset PointerData(int count, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var features = new float[count * Length];
        var labels = new int[count];
        for (int s = 0; s < count; s++)
        {
            int p = 1 + (int)(rng.NextDouble() * (Length - 1));
            features[s * Length] = p;
            for (int t = 1; t < Length; t++) features[s * Length + t] = (int)(rng.NextDouble() * Vocabulary);
            labels[s] = (int)features[s * Length + p];
        }
        return new Dataset(features, [Length], labels, Vocabulary);
    }
}
