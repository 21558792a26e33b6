using KerasBackend.Samples.Digits;
using KerasBackend.Samples.Training;

namespace KerasBackend.Conformance.Samples;

/// <summary>
/// The training machinery of Samples/Digits and Samples/Sequence (layers, loss, optimizers as K.Function updates,
/// data handling): small, fast runs whose results are checked against closed forms, Keras' literals and the other backend.
/// </summary>
public class TrainingTests
{
    private static readonly Lazy<Dataset> s_digits = new(() => DigitsData.Load());

    [Fact]
    public void Digits_file_has_1797_images_of_64_pixels_in_0_1_with_every_label()
    {
        var d = s_digits.Value;
        Assert.Equal(1797, d.Count);
        Assert.Equal(1797 * 64, d.Features.Length);
        Assert.All(d.Features, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(Enumerable.Range(0, 10), d.Labels.Distinct().Order());
        // The first image of scikit-learn's copy is a 0 whose first row is 0,0,5,13,9,1,0,0 (in 16ths).
        Assert.Equal(0, d.Labels[0]);
        Assert.Equal(new[] { 0f, 0, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0, 0 }, d.Features[..8]);
    }

    [Fact]
    public void Split_is_a_fixed_partition_of_1437_and_360()
    {
        var (train, test) = s_digits.Value.Split(0.2, seed: 42);
        var (train2, test2) = s_digits.Value.Split(0.2, seed: 42);
        Assert.Equal(1437, train.Count);
        Assert.Equal(360, test.Count);
        Assert.Equal(train.Labels, train2.Labels);
        Assert.Equal(test.Features, test2.Features);
        // Every image lands in exactly one part: the multiset of labels is preserved.
        Assert.Equal(s_digits.Value.Labels.Order(), train.Labels.Concat(test.Labels).Order());
    }

    [Fact]
    public void Seeded_permutation_is_a_permutation_and_depends_on_the_seed()
    {
        var a = new SeededRandom(1).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
        Assert.NotEqual(a, new SeededRandom(2).Permutation(1000));
        Assert.Equal(a, new SeededRandom(1).Permutation(1000));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Categorical_crossentropy_matches_keras_literal(string backend)
    {
        using var _ = Backend.Use(backend);
        var target = K.Constant(new float[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } });
        var output = K.Constant(new float[,] { { .9f, .05f, .05f }, { .05f, .89f, .06f }, { .05f, .01f, .94f } });
        var loss = K.CategoricalCrossentropy(target, output).ToArray<float>();
        // tf-keras backend_test: [0.10536, 0.11653, 0.06188].
        Assert.Equal(new[] { 0.10536f, 0.11653f, 0.06188f }, loss, (a, b) => Math.Abs(a - b) < 1e-5f);
        // A perfect prediction costs only the clipping: −log(1 − ε).
        var self = K.CategoricalCrossentropy(target, target).ToArray<float>();
        Assert.All(self, v => Assert.InRange(v, 0f, 1e-6f));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Sgd_with_momentum_follows_the_velocity_recurrence(string backend)
    {
        using var _ = Backend.Use(backend);
        // loss = Σ p·c has the constant gradient c, so step 1 moves p by −lr·c and step 2 by −lr·c·(1 + momentum).
        var p = K.Variable(new float[] { 1, 2, 3 }, name: "p");
        var c = K.Placeholder(shape: [3], name: "c");
        var loss = K.Sum(p * c);
        var opt = new Sgd(learningRate: 0.1, momentum: 0.5);
        var step = K.Function([c], [loss], opt.GetUpdates(loss, [p]));
        var grad = new float[] { 1, -2, 4 };
        step.Call(K.Constant(grad));
        var after1 = K.Constant(p).ToArray<float>();
        step.Call(K.Constant(grad));
        var after2 = K.Constant(p).ToArray<float>();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1 + i - 0.1f * grad[i], after1[i], 5);
            Assert.Equal(after1[i] - 0.1f * grad[i] * 1.5f, after2[i], 5);
        }
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Adam_first_steps_move_each_weight_by_about_the_learning_rate(string backend)
    {
        using var _ = Backend.Use(backend);
        // With a constant gradient g, m̂ = g and v̂ = g² at every step, so each step is lr·g/(|g| + ε) ≈ lr·sign(g).
        var p = K.Variable(new float[] { 0, 0, 0, 0 }, name: "p");
        var c = K.Placeholder(shape: [4], name: "c");
        var loss = K.Sum(p * c);
        var opt = new Adam(learningRate: 0.01);
        var step = K.Function([c, .. opt.Inputs], [loss], opt.GetUpdates(loss, [p]));
        var grad = new float[] { 3, -0.5f, 100, -7 };
        for (int t = 0; t < 3; t++) step.Call([K.Constant(grad), .. opt.StepValues(t)]);
        var got = K.Constant(p).ToArray<float>();
        for (int i = 0; i < 4; i++) Assert.Equal(-3 * 0.01f * Math.Sign(grad[i]), got[i], 4);
    }

    [Fact]
    public void Two_epochs_on_a_slice_of_the_digits_reduce_the_loss()
    {
        using var _ = Backend.Use("cpu");
        var (train, test) = s_digits.Value.Take(Enumerable.Range(0, 400).ToArray()).Split(0.25, seed: 3);
        var trainer = NewDigitsTrainer(seed: 5);
        var (lossBefore, _) = trainer.Evaluate(test);
        var history = trainer.Fit(train, test, epochs: 2, batchSize: 32, seed: 5, output: TextWriter.Null);
        Assert.Equal(2, history.Count);
        Assert.True(history[1].TestLoss < lossBefore * 0.7, $"test loss {lossBefore} → {history[1].TestLoss}");
        Assert.True(history[1].TrainLoss < history[0].TrainLoss, $"train loss {history[0].TrainLoss} → {history[1].TrainLoss}");
        Assert.True(history[1].TestAccuracy > 0.5, $"test accuracy after 2 epochs {history[1].TestAccuracy}");
    }

    [Fact]
    public void Cpu_and_numpy_backends_train_to_the_same_losses()
    {
        var slice = s_digits.Value.Take(Enumerable.Range(0, 160).ToArray());
        List<double> Run(string backend)
        {
            using var _ = Backend.Use(backend);
            var trainer = NewDigitsTrainer(seed: 11);
            var rng = new SeededRandom(11);
            var losses = new List<double>();
            for (int e = 0; e < 2; e++)
                for (int b = 0; b < 5; b++)
                {
                    using var x = slice.FeatureBatch(b * 32, 32);
                    using var y = slice.LabelBatch(b * 32, 32);
                    losses.Add(trainer.TrainBatch(x, y));
                }
            losses.Add(trainer.Evaluate(slice).loss);
            return losses;
        }
        var cpu = Run("cpu");
        var numpy = Run("numpy");
        // The backends sum in different orders (vectorized vs scalar), so float32 results agree to rounding, not bit for bit.
        for (int i = 0; i < cpu.Count; i++)
            Assert.True(Math.Abs(cpu[i] - numpy[i]) <= 1e-4 * Math.Max(1, Math.Abs(numpy[i])), $"step {i}: cpu {cpu[i]}, numpy {numpy[i]}");
    }

    [Fact]
    public void A_variable_the_loss_does_not_reach_is_named_in_the_error()
    {
        var used = K.Variable(new float[] { 1, 2 }, name: "used");
        var unused = K.Variable(new float[] { 3 }, name: "unused");
        var c = K.Placeholder(shape: [2], name: "c");
        var loss = K.Sum(used * c);
        var e = Assert.Throws<InvalidOperationException>(() => new Sgd(0.1).GetUpdates(loss, [used, unused]));
        Assert.Contains("'unused'", e.Message);
    }

    [Fact]
    public void Progress_bar_prints_only_finished_lines_when_redirected()
    {
        var sw = new StringWriter();
        var bar = new ProgressBar(45, sw, interactive: false);
        bar.Update(10, [("loss", 1.5)]);
        Assert.Equal("", sw.ToString());
        bar.Finish([("loss", 0.25), ("test_acc", 0.975)]);
        var line = sw.ToString().TrimEnd();
        Assert.StartsWith("45/45 [==============================] - ", line);
        Assert.EndsWith("s - loss: 0.2500 - test_acc: 0.9750", line);
        Assert.Contains("12/45 [========>.....................]", bar.Line(12, []));
    }

    private static Trainer NewDigitsTrainer(ulong seed)
    {
        var rng = new SeededRandom(seed);
        var model = new Sequential(
            new Dense(64, 32, Activations.Relu, rng, "d1"),
            new Dense(32, 10, Activations.Softmax, rng, "d2"));
        return new Trainer(model, new Adam(learningRate: 0.01), [64], 10);
    }
}
