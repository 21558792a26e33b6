// The CNN variant of the digits sample (./build.sh sample --model cnn): the 8×8 images as (8, 8, 1) channels_last,
// conv 3×3 (16 filters, relu) → max pool 2×2 → conv 3×3 (32 filters, relu) → flatten → dense 10 softmax, trained
// exactly like the dense model (placeholders, K.Gradients through conv2d / pool2d / bias_add, K.Function with updates).
using KerasBackend;
using KerasBackend.Samples.Digits;
using KerasBackend.Samples.Training;

internal static class CnnModel
{
    public static int Run(Options options, Dataset train, Dataset test)
    {
        var rng = new SeededRandom(options.Seed);
        Console.WriteLine($"Backend '{Backend.CurrentName}': {train.Count} training and {test.Count} test images of 8x8 digits; " +
                          $"CNN conv3x3(16, relu) -> maxpool 2x2 -> conv3x3(32, relu) -> dense 10 softmax, {options.Optimizer}, batch {options.BatchSize}, {options.Epochs} epochs.");
        var model = new Sequential(
            new Reshape(8, 8, 1),
            new Conv2D(1, 16, 3, Activations.Relu, rng, name: "conv2d_1"),
            new Pooling2D(2),
            new Conv2D(16, 32, 3, Activations.Relu, rng, name: "conv2d_2"),
            new Flatten(),
            new Dense(4 * 4 * 32, DigitsData.Classes, Activations.Softmax, rng, "dense_1"));
        Optimizer optimizer = options.Optimizer == "sgd"
            ? new Sgd(learningRate: options.LearningRate ?? 0.01, momentum: 0.9)
            : new Adam(learningRate: options.LearningRate ?? 0.001);
        var trainer = new Trainer(model, optimizer, [DigitsData.Pixels], DigitsData.Classes);
        var history = trainer.Fit(train, test, options.Epochs, options.BatchSize, options.Seed);
        if (options.Export is { } exportPath) Serving.Export(trainer, test, exportPath);
        LossPlot.SaveAndReport(Path.Combine(options.OutputDir, "digits-cnn-loss.png"),
            $"8x8 digits, CNN conv16-pool-conv32-dense10, {options.Optimizer} ({Backend.CurrentName} backend)", history);
        return 0;
    }
}
