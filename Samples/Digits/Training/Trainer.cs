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

    /// <param name="fromLogits">The model ends in logits (no softmax): the loss is −mean(log_softmax(logits)[label])
    /// (K.LogSoftmax), the probabilities K.Softmax(logits). Otherwise it ends in a softmax and the loss is Keras'
    /// categorical crossentropy.</param>
    public Trainer(ILayer model, Optimizer optimizer, int[] sampleShape, int classes, bool fromLogits = false)
    {
        Model = model;
        _optimizer = optimizer;
        // The batch dimension is left unknown (None), so the last, smaller batch fits too. Labels are class indices.
        X = K.Placeholder(shape: [null, .. sampleShape.Select(d => (int?)d)], name: "x");
        Y = K.Placeholder(shape: [null], dtype: DType.Int32, name: "y");
        var output = model.Call(X);
        var targets = K.OneHot(Y, classes);
        Probabilities = fromLogits ? K.Softmax(output) : output;
        // Keras' categorical crossentropy on the softmax output, against one-hot targets made in the graph; or the
        // negative log-likelihood of the label under log_softmax of the logits.
        Loss = fromLogits
            ? K.Negative(K.Mean(K.Sum(K.Multiply(targets, K.LogSoftmax(output)), -1)))
            : K.Mean(K.CategoricalCrossentropy(targets, Probabilities));
        Accuracy = K.Mean(K.Cast(K.Equal(K.Argmax(Probabilities, axis: -1), K.Cast(Y, DType.Int64)), DType.Float32));
        var updates = optimizer.GetUpdates(Loss, model.Weights);
        _train = K.Function([X, Y, .. optimizer.Inputs], [Loss], updates, name: "train");
        _evaluate = K.Function([X, Y], [Loss, Accuracy], name: "evaluate");
    }

    public ILayer Model { get; }
    public Tensor X { get; }
    public Tensor Y { get; }
    public Tensor Probabilities { get; }
    public Tensor Loss { get; }
    /// <summary>The fraction of samples whose most probable class is the label (K.Argmax, K.Equal).</summary>
    public Tensor Accuracy { get; }

    /// <summary>One training step on a batch, in the train phase (dropout active); returns its loss (before the update, as Keras reports it).</summary>
    public double TrainBatch(Tensor x, Tensor labels)
    {
        var outs = _train.CallWithLearningPhase(1, [x, labels, .. _optimizer.StepValues(_iteration)]);
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
            using var y = shuffled.LabelBatch(start, n);
            sum += TrainBatch(x, y) * n;
            seen += n;
            bar?.Update(b + 1, [("loss", sum / seen)]);
        }
        return sum / seen;
    }

    /// <summary>Mean loss and accuracy over <paramref name="data"/>, in the test phase (dropout off).</summary>
    public (double loss, double accuracy) Evaluate(Dataset data, int batchSize = 512)
    {
        double lossSum = 0, accSum = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            using var x = data.FeatureBatch(start, n);
            using var y = data.LabelBatch(start, n);
            var outs = _evaluate.CallWithLearningPhase(0, x, y);
            using var loss = outs[0];
            using var acc = outs[1];
            lossSum += loss.GetDouble(0) * n;
            accSum += acc.GetDouble(0) * n;
        }
        return (lossSum / data.Count, accSum / data.Count);
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
}
