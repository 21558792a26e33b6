using KerasBackend.Samples.Training;

namespace KerasBackend.Conformance.Samples;

/// <summary>The attention sample's model (take, layer_normalization, dot_product_attention, gelu, log_softmax loss) trains.</summary>
public class AttentionTrainingTests
{
    [Fact]
    public void Cpu_and_numpy_train_the_attention_model_to_the_same_losses_and_the_loss_falls()
    {
        var data = PointerTask.PointerData(128, seed: 3);
        List<double> Run(string backend)
        {
            using var _ = Backend.Use(backend);
            var trainer = new Trainer(PointerTask.Build(new SeededRandom(5)), new Adam(learningRate: 0.01), [PointerTask.Length], PointerTask.Vocabulary, fromLogits: true);
            var losses = new List<double> { trainer.Evaluate(data).loss };
            for (int e = 0; e < 4; e++)
                for (int b = 0; b < 2; b++)
                {
                    using var x = data.FeatureBatch(b * 64, 64);
                    using var y = data.LabelBatch(b * 64, 64);
                    losses.Add(trainer.TrainBatch(x, y));
                }
            losses.Add(trainer.Evaluate(data).loss);
            return losses;
        }
        var cpu = Run("cpu");
        var numpy = Run("numpy");
        for (int i = 0; i < cpu.Count; i++)
            Assert.True(Math.Abs(cpu[i] - numpy[i]) <= 1e-3 * (1 + Math.Abs(numpy[i])), $"step {i}: cpu {cpu[i]}, numpy {numpy[i]}");
        Assert.True(cpu[^1] < cpu[0] * 0.9, $"loss {cpu[0]} → {cpu[^1]}");
    }

    [Fact]
    public void The_pointer_labels_are_the_digits_the_pointers_name()
    {
        var d = PointerTask.PointerData(50, seed: 1);
        for (int s = 0; s < d.Count; s++)
        {
            int p = (int)d.Features[s * PointerTask.Length];
            Assert.InRange(p, 1, PointerTask.Length - 1);
            Assert.Equal(d.Labels[s], (int)d.Features[s * PointerTask.Length + p]);
        }
    }
}
