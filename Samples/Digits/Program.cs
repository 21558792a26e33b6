// The main sample: a small dense network on the 8×8 handwritten digits, written only against K and trained
// the Keras 2 way (placeholders, K.Gradients, K.Function with updates). Same code, same accuracy on every backend:
//   ./build.sh sample                       (default backend, from keras.json or KERAS_BACKEND)
//   ./build.sh sample --backend numpy --epochs 10 --optimizer sgd
//   ./build.sh sample --backend onnx         (every op on ONNX Runtime; each training step one ONNX Runtime session)
//   ./build.sh sample --model cnn            (conv 3x3 -> max pool -> conv 3x3 -> dense, see CnnModel.cs)
//   ./build.sh sample --model attention      (a transformer block on a generated pointer task, see AttentionModel.cs)
//   ./build.sh sample --export model.onnx    (the trained model as ONNX, and the test set as .npy: see Serving.cs)
using System.Globalization;
using KerasBackend;
using KerasBackend.Samples.Digits;
using KerasBackend.Samples.Training;

var options = Options.Parse(args);
if (options is null) return 2;
if (options.Backend is not null) Backend.Set(options.Backend);

if (options.Model == "attention") return AttentionModel.Run(options);
var data = DigitsData.Load();
var (train, test) = data.Split(testFraction: 0.2, seed: options.Seed);
if (options.Model == "cnn") return CnnModel.Run(options, train, test);
Console.WriteLine($"Backend '{Backend.CurrentName}': {train.Count} training and {test.Count} test images of 8x8 digits; " +
                  $"dense 64-{options.Hidden}({options.Activation})-dropout {options.Dropout}-10 softmax, {options.Optimizer}, batch {options.BatchSize}, {options.Epochs} epochs.");

var rng = new SeededRandom(options.Seed);
var model = new Sequential(
    new Dense(DigitsData.Pixels, options.Hidden, options.Activation == "tanh" ? Activations.Tanh : Activations.Relu, rng, "dense_1"),
    new Dropout(options.Dropout, seed: (int)(options.Seed % int.MaxValue)),
    new Dense(options.Hidden, DigitsData.Classes, Activations.Softmax, rng, "dense_2"));
Optimizer optimizer = options.Optimizer == "sgd"
    ? new Sgd(learningRate: options.LearningRate ?? 0.01, momentum: 0.9)
    : new Adam(learningRate: options.LearningRate ?? 0.005);
var trainer = new Trainer(model, optimizer, [DigitsData.Pixels], DigitsData.Classes);

var history = trainer.Fit(train, test, options.Epochs, options.BatchSize, options.Seed);
if (options.Export is { } exportPath) Serving.Export(trainer, test, exportPath);

LossPlot.SaveAndReport(Path.Combine(options.OutputDir, "digits-loss.png"),
    $"8x8 digits, dense 64-{options.Hidden}-10, {options.Optimizer} ({Backend.CurrentName} backend)",
    history);
return 0;

/// <summary>Command-line options of the sample.</summary>
internal sealed record Options(string? Backend, int Epochs, int BatchSize, int Hidden, string Activation, string Optimizer, double? LearningRate, ulong Seed, string OutputDir, string Model = "dense", double Dropout = 0.2, string? Export = null)
{
    public static Options? Parse(string[] args)
    {
        var o = new Options(null, 20, 32, 64, "relu", "adam", null, 42, AppContext.BaseDirectory);
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                o = args[i] switch
                {
                    "--backend" => o with { Backend = Value() },
                    "--epochs" => o with { Epochs = Positive(Value()) },
                    "--batch-size" => o with { BatchSize = Positive(Value()) },
                    "--hidden" => o with { Hidden = Positive(Value()) },
                    "--activation" => o with { Activation = OneOf(Value(), "relu", "tanh") },
                    "--optimizer" => o with { Optimizer = OneOf(Value(), "adam", "sgd") },
                    "--lr" => o with { LearningRate = double.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--seed" => o with { Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--out" => o with { OutputDir = Value() },
                    "--dropout" => o with { Dropout = Rate(Value()) },
                    "--model" => o with { Model = OneOf(Value(), "dense", "cnn", "attention") },
                    "--export" => o with { Export = Value() },
                    "-h" or "--help" => throw new ArgumentException(""),
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                if (e.Message.Length > 0) Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine("usage: Digits [--backend cpu|numpy|onnx] [--epochs 20] [--batch-size 32] [--hidden 64] [--activation relu|tanh] [--optimizer adam|sgd] [--lr RATE] [--seed 42] [--dropout 0.2] [--out DIR] [--model dense|cnn|attention] [--export model.onnx]");
                return null;
            }
        }
        return o;
    }

    private static string OneOf(string s, params string[] allowed) =>
        allowed.Contains(s) ? s : throw new ArgumentException($"expected one of {string.Join(", ", allowed)}, got {s}");

    private static double Rate(string s) =>
        double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) is >= 0 and < 1 and var r ? r : throw new ArgumentException($"expected a dropout rate in [0, 1), got {s}");

    private static int Positive(string s) =>
        int.Parse(s, CultureInfo.InvariantCulture) is > 0 and var n ? n : throw new ArgumentException($"expected a positive integer, got {s}");
}
