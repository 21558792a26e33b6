// --export PATH: the trained model's inference function (images → class probabilities, learning phase 0 so dropout is
// off) written as an ONNX model, and the test set beside it as .npy files, so that any ONNX runtime can reproduce the
// test accuracy: `kbackend run PATH --input x=PATH-test-x.npy --labels PATH-test-y.npy`.
using KerasBackend;
using KerasBackend.Interop;
using KerasBackend.Onnx;
using KerasBackend.Samples.Training;

internal static class Serving
{
    public static void Export(Trainer trainer, Dataset test, string path)
    {
        var predict = K.Function([trainer.X], [trainer.Probabilities], name: "digits");
        predict.ExportOnnx(path, opset: 17, new OnnxExportOptions { LearningPhase = 0, OutputNames = ["probabilities"] });
        var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path));
        using var x = test.FeatureBatch(0, test.Count);
        using var y = test.LabelBatch(0, test.Count);
        Npy.Save(stem + "-test-x.npy", x);
        Npy.Save(stem + "-test-y.npy", y);
        Console.WriteLine($"ONNX model: {path} (input x: {trainer.X.DType.Name()} (batch, {string.Join(", ", trainer.X.Shape.Dims[1..].ToArray())}), output probabilities)");
        Console.WriteLine($"reproduce the test accuracy: kbackend run {path} --input x={stem}-test-x.npy --labels {stem}-test-y.npy");
    }
}
