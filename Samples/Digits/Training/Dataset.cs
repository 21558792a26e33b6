namespace KerasBackend.Samples.Training;

/// <summary>A labelled data set held on the host: row-major features and integer class labels.</summary>
public sealed class Dataset
{
    public Dataset(float[] features, int[] featureShape, int[] labels, int classes)
    {
        int per = featureShape.Aggregate(1, (a, b) => a * b);
        if (features.Length != per * labels.Length)
            throw new ArgumentException($"Dataset: {features.Length} feature values do not make {labels.Length} samples of shape ({string.Join(", ", featureShape)}).");
        foreach (var l in labels)
            if (l < 0 || l >= classes) throw new ArgumentException($"Dataset: label {l} is outside [0, {classes}).");
        Features = features;
        FeatureShape = featureShape;
        Labels = labels;
        Classes = classes;
    }

    public float[] Features { get; }
    /// <summary>The shape of one sample, e.g. (64,) for a flattened 8×8 image or (time, features) for a sequence.</summary>
    public int[] FeatureShape { get; }
    public int[] Labels { get; }
    public int Classes { get; }
    public int Count => Labels.Length;
    public int SampleSize => FeatureShape.Aggregate(1, (a, b) => a * b);

    /// <summary>The samples at <paramref name="rows"/>, in that order.</summary>
    public Dataset Take(IReadOnlyList<int> rows)
    {
        int per = SampleSize;
        var f = new float[rows.Count * per];
        var l = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Array.Copy(Features, rows[i] * per, f, i * per, per);
            l[i] = Labels[rows[i]];
        }
        return new Dataset(f, FeatureShape, l, Classes);
    }

    /// <summary>A fixed shuffled split: the first <c>count·testFraction</c> (rounded up, as scikit-learn does) of a seeded permutation is the test set.</summary>
    public (Dataset train, Dataset test) Split(double testFraction, ulong seed)
    {
        var perm = new SeededRandom(seed).Permutation(Count);
        int nTest = (int)Math.Ceiling(Count * testFraction);
        return (Take(perm[nTest..]), Take(perm[..nTest]));
    }

    /// <summary>Features of rows [start, start+n) as a (n, ...featureShape) float32 tensor.</summary>
    public Tensor FeatureBatch(int start, int n) =>
        Tensor.FromSpan<float>(Features.AsSpan(start * SampleSize, n * SampleSize), [n, .. FeatureShape]);

    /// <summary>Labels of rows [start, start+n) as an (n,) int32 tensor of class indices.</summary>
    public Tensor LabelBatch(int start, int n) => Tensor.FromSpan<int>(Labels.AsSpan(start, n), [n]);
}
