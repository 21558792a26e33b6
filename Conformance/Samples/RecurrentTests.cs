using KerasBackend.Samples.Training;

namespace KerasBackend.Conformance.Samples;

/// <summary>The recurrent layer of Samples/Sequence: its forward pass against a hand-written loop, and that it trains.</summary>
public class RecurrentTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void SimpleRnn_last_output_matches_an_explicit_loop(string backend)
    {
        using var _ = Backend.Use(backend);
        var rng = new SeededRandom(9);
        var rnn = new SimpleRnn(inputDim: 2, units: 3, rng);
        var x = K.Placeholder(shape: [null, 4, 2], name: "seq");
        var f = K.Function([x], [rnn.Call(x)]);
        var xs = Enumerable.Range(0, 2 * 4 * 2).Select(i => (float)Math.Sin(i)).ToArray();
        var got = f.Call(Tensor.FromSpan<float>(xs, 2, 4, 2))[0].ToArray<float>();

        var w = rnn.Kernel.ToArray<float>();
        var u = rnn.Recurrent.ToArray<float>();
        for (int b = 0; b < 2; b++)
        {
            var h = new double[3];
            for (int t = 0; t < 4; t++)
            {
                var next = new double[3];
                for (int j = 0; j < 3; j++)
                {
                    double s = 0;
                    for (int i = 0; i < 2; i++) s += xs[(b * 4 + t) * 2 + i] * w[i * 3 + j];
                    for (int k = 0; k < 3; k++) s += h[k] * u[k * 3 + j];
                    next[j] = Math.Tanh(s);
                }
                h = next;
            }
            for (int j = 0; j < 3; j++) Assert.Equal(h[j], got[b * 3 + j], 5);
        }
    }

    [Fact]
    public void Orthogonal_initializer_gives_orthonormal_columns()
    {
        var q = Initializers.Orthogonal(6, new SeededRandom(4));
        for (int a = 0; a < 6; a++)
            for (int b = 0; b < 6; b++)
            {
                double dot = 0;
                for (int i = 0; i < 6; i++) dot += q[i, a] * q[i, b];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 5);
            }
    }

    [Fact]
    public void A_recurrent_classifier_lowers_its_loss_on_noisy_trends()
    {
        using var _ = Backend.Use("cpu");
        // Rising vs falling series of 8 steps: the sign of the slope is only visible across time.
        var rng = new SeededRandom(21);
        int n = 128, steps = 8;
        var xs = new float[n * steps];
        var labels = new int[n];
        for (int s = 0; s < n; s++)
        {
            labels[s] = rng.Next(2);
            double level = rng.Uniform(-1, 1);
            for (int t = 0; t < steps; t++)
                xs[s * steps + t] = (float)(level + (labels[s] * 2 - 1) * ((double)t / (steps - 1) - 0.5) + 0.1 * rng.Normal());
        }
        var data = new Dataset(xs, [steps, 1], labels, 2);
        var model = new Sequential(new SimpleRnn(1, 8, rng), new Dense(8, 2, Activations.Softmax, rng));
        var trainer = new Trainer(model, new Adam(learningRate: 0.02), [steps, 1], 2);
        var (before, _) = trainer.Evaluate(data);
        var history = trainer.Fit(data, data, epochs: 4, batchSize: 32, seed: 21, output: TextWriter.Null);
        Assert.True(history[^1].TestLoss < before * 0.8, $"loss {before} → {history[^1].TestLoss}");
    }
}
