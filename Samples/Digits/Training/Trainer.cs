using System.Diagnostics;

namespace KerasBackend.Samples.Training;

/// <summary>What one epoch of training measured.</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TestLoss, double TestAccuracy, double Seconds);

/// <summary>
/// Trains a classifier the Keras 2 way: placeholders for x and y, loss = f(placeholders, variables),
/// updates from an optimizer (which calls <c>K.Gradients</c>), one <c>K.Function</c> that returns the loss and
/// applies the updates, and a second one that returns the class probabilities for evaluation.
/// </summary>
public sealed class Trainer
{
    private readonly KFunction _train;
    private readonly KFunction _evaluate;
    private readonly Optimizer _optimizer;
    private long _iteration;

    public Trainer(ILayer model, Optimizer optimizer, int[] sampleShape, int classes)
    {
        Model = model;
        _optimizer = optimizer;
        // The batch dimension is left unknown (None), so the last, smaller batch fits too.
        X = K.Placeholder(shape: [null, .. sampleShape.Select(d => (int?)d)], name: "x");
        Y = K.Placeholder(shape: [null, classes], name: "y");
        Probabilities = model.Call(X);
        Loss = K.Mean(Losses.CategoricalCrossentropy(Y, Probabilities));
        var updates = optimizer.GetUpdates(Loss, model.Weights);
        _train = K.Function([X, Y, .. optimizer.Inputs], [Loss], updates, name: "train");
        _evaluate = K.Function([X, Y], [Loss, Probabilities], name: "evaluate");
    }

    public ILayer Model { get; }
    public Tensor X { get; }
    public Tensor Y { get; }
    public Tensor Probabilities { get; }
    public Tensor Loss { get; }

    /// <summary>One training step on a batch; returns its loss (before the update, as Keras reports it).</summary>
    public double TrainBatch(Tensor x, Tensor yOneHot)
    {
        var outs = _train.Call([x, yOneHot, .. _optimizer.StepValues(_iteration)]);
        _iteration++;
        using var loss = outs[0];
        return loss.GetDouble(0);
    }

    /// <summary>One epoch over <paramref name="data"/> in a seeded shuffled order; returns the mean batch loss weighted by batch size.</summary>
    public double TrainEpoch(Dataset data, int batchSize, SeededRandom rng, ProgressBar? bar = null)
    {
        var shuffled = data.Take(rng.Permutation(data.Count));
        int batches = (data.Count + batchSize - 1) / batchSize;
        double sum = 0;
        int seen = 0;
        for (int b = 0; b < batches; b++)
        {
            int start = b * batchSize, n = Math.Min(batchSize, data.Count - start);
            using var x = shuffled.FeatureBatch(start, n);
            using var y = shuffled.OneHotBatch(start, n);
            sum += TrainBatch(x, y) * n;
            seen += n;
            bar?.Update(b + 1, [("loss", sum / seen)]);
        }
        return sum / seen;
    }

    /// <summary>Mean loss and accuracy (argmax of the probabilities against the label) over <paramref name="data"/>.</summary>
    public (double loss, double accuracy) Evaluate(Dataset data, int batchSize = 512)
    {
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            using var x = data.FeatureBatch(start, n);
            using var y = data.OneHotBatch(start, n);
            var outs = _evaluate.Call(x, y);
            using var loss = outs[0];
            using var probs = outs[1];
            lossSum += loss.GetDouble(0) * n;
            var p = probs.ToDoubleArray();
            for (int i = 0; i < n; i++)
                if (ArgMax(p.AsSpan(i * data.Classes, data.Classes)) == data.Labels[start + i]) correct++;
        }
        return (lossSum / data.Count, (double)correct / data.Count);
    }

    /// <summary>Trains for <paramref name="epochs"/> epochs, printing a progress bar per epoch, and evaluates on <paramref name="test"/> after each.</summary>
    public List<EpochResult> Fit(Dataset train, Dataset test, int epochs, int batchSize, ulong seed, TextWriter? output = null, bool? interactive = null)
    {
        output ??= Console.Out;
        var rng = new SeededRandom(seed);
        var history = new List<EpochResult>();
        int batches = (train.Count + batchSize - 1) / batchSize;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            output.WriteLine($"Epoch {epoch}/{epochs}");
            var bar = new ProgressBar(batches, output, interactive);
            var clock = Stopwatch.StartNew();
            double trainLoss = TrainEpoch(train, batchSize, rng, bar);
            double seconds = clock.Elapsed.TotalSeconds;
            var (testLoss, testAcc) = Evaluate(test);
            bar.Finish([("loss", trainLoss), ("test_loss", testLoss), ("test_acc", testAcc)]);
            history.Add(new EpochResult(epoch, trainLoss, testLoss, testAcc, seconds));
        }
        return history;
    }

    // The first index of the largest value, as numpy.argmax does.
    private static int ArgMax(ReadOnlySpan<double> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }
}
