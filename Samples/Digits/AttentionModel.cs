// The attention variant of the sample (./build.sh sample --model attention): a pointer task on generated sequences.
// Each sequence is a pointer p in [1, 9] followed by nine random digits; the label is the digit at position p. Position 0
// must find position p by content (its token) against position (the learned position embeddings): one self-attention
// lookup. The model, written only against K: token + position embeddings (K.Take), one pre-norm transformer block
// (K.LayerNormalization, 2-head K.DotProductAttention, a K.Gelu MLP), the first position's vector (K.Take), a dense
// layer to 10 logits, and the loss −mean(log_softmax(logits)[label]) (K.LogSoftmax); Adam, as the other samples.
using KerasBackend;
using KerasBackend.Samples.Training;

internal static class AttentionModel
{
    internal static int Run(Options options)
    {
        var train = PointerTask.PointerData(4000, options.Seed);
        var test = PointerTask.PointerData(1000, options.Seed + 1);
        Console.WriteLine($"Backend '{Backend.CurrentName}': {train.Count} training and {test.Count} test sequences of a pointer and {PointerTask.Length - 1} digits; " +
                          $"embeddings (take) -> transformer block (layer_normalization, {PointerTask.Heads}-head dot_product_attention, gelu MLP) -> first position -> " +
                          $"dense {PointerTask.Vocabulary} logits, log_softmax loss, {options.Optimizer}, batch {options.BatchSize}, {options.Epochs} epochs.");
        var rng = new SeededRandom(options.Seed);
        Optimizer optimizer = options.Optimizer == "sgd"
            ? new Sgd(learningRate: options.LearningRate ?? 0.05, momentum: 0.9)
            : new Adam(learningRate: options.LearningRate ?? 0.003);
        var trainer = new Trainer(PointerTask.Build(rng), optimizer, [PointerTask.Length], PointerTask.Vocabulary, fromLogits: true);
        var history = trainer.Fit(train, test, options.Epochs, options.BatchSize, options.Seed);
        LossPlot.SaveAndReport(Path.Combine(options.OutputDir, "attention-loss.png"),
            $"pointer task, 1 transformer block, {options.Optimizer} ({Backend.CurrentName} backend)", history);
        if (options.Export is { } exportPath) Serving.Export(trainer, test, exportPath);
        return 0;
    }
}
