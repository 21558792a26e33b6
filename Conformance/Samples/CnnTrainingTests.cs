using KerasBackend.Samples.Digits;
using KerasBackend.Samples.Training;

namespace KerasBackend.Conformance.Samples;

/// <summary>The CNN layers of Samples/Digits (conv2d, pool2d, bias_add through K.Gradients and K.Function updates).</summary>
public class CnnTrainingTests
{
    private static Trainer NewCnn(ulong seed)
    {
        var rng = new SeededRandom(seed);
        var model = new Sequential(
            new Reshape(8, 8, 1),
            new Conv2D(1, 4, 3, Activations.Relu, rng, name: "c1"),
            new Pooling2D(2),
            new Conv2D(4, 6, 3, Activations.Relu, rng, name: "c2"),
            new Flatten(),
            new Dense(4 * 4 * 6, DigitsData.Classes, Activations.Softmax, rng, "d"));
        return new Trainer(model, new Adam(learningRate: 0.01), [DigitsData.Pixels], DigitsData.Classes);
    }

    [Fact]
    public void Cpu_and_numpy_train_the_cnn_to_the_same_losses_and_the_loss_falls()
    {
        var slice = DigitsData.Load().Take(Enumerable.Range(0, 96).ToArray());
        List<double> Run(string backend)
        {
            using var _ = Backend.Use(backend);
            var trainer = NewCnn(seed: 7);
            var losses = new List<double> { trainer.Evaluate(slice).loss };
            for (int e = 0; e < 3; e++)
                for (int b = 0; b < 3; b++)
                {
                    using var x = slice.FeatureBatch(b * 32, 32);
                    using var y = slice.OneHotBatch(b * 32, 32);
                    losses.Add(trainer.TrainBatch(x, y));
                }
            losses.Add(trainer.Evaluate(slice).loss);
            return losses;
        }
        var cpu = Run("cpu");
        var numpy = Run("numpy");
        for (int i = 0; i < cpu.Count; i++)
            Assert.True(Math.Abs(cpu[i] - numpy[i]) <= 1e-3 * (1 + Math.Abs(numpy[i])), $"step {i}: cpu {cpu[i]}, numpy {numpy[i]}");
        Assert.True(cpu[^1] < cpu[0] * 0.8, $"loss {cpu[0]} → {cpu[^1]}");
    }
}
