using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace KerasBackend.Bench;

/// <summary>
/// Serving: inference of a 1024-row batch of 8×8 digits through the digits sample's models (the MLP 64-64-10 and the CNN
/// conv3x3·16 → maxpool 2 → conv3x3·32 → dense 10, random weights), as a <c>K.Function</c> on the cpu backend (baseline)
/// and as the same function exported with <c>ExportOnnx</c> and run by ONNX Runtime (2 intra-op threads, outputs preallocated).
/// <c>dotnet run -c Release --project Tools/Bench -- --filter '*ServingBench*'</c>
/// </summary>
public class ServingBench : OpBench
{
    [Params("mlp", "cnn")]
    public string Model = "mlp";

    private KFunction _f = null!;
    private Tensor _x = null!;
    private OrtCall _ort = null!;

    private static Variable Weight(int seed, params int[] shape) =>
        K.Variable(K.Constant(Random(shape.Aggregate(1L, (a, b) => a * b), seed), shape: shape) * 0.2f, name: $"w{seed}");

    [GlobalSetup]
    public void Setup()
    {
        const int batch = 1024;
        var x = K.Placeholder([null, 64], name: "x");
        Tensor y;
        if (Model == "mlp")
        {
            var h = K.Relu(K.Dot(x, Weight(1, 64, 64)) + Weight(2, 64));
            y = K.Softmax(K.Dot(h, Weight(3, 64, 10)) + Weight(4, 10));
        }
        else
        {
            var img = K.Reshape(x, [-1, 8, 8, 1]);
            var c1 = K.Relu(K.BiasAdd(K.Conv2d(img, Weight(1, 3, 3, 1, 16), padding: "same", dataFormat: "channels_last"), Weight(2, 16), "channels_last"));
            var p = K.Pool2d(c1, [2, 2], [2, 2], "valid", "channels_last", "max");
            var c2 = K.Relu(K.BiasAdd(K.Conv2d(p, Weight(3, 3, 3, 16, 32), padding: "same", dataFormat: "channels_last"), Weight(4, 32), "channels_last"));
            y = K.Softmax(K.Dot(K.BatchFlatten(c2), Weight(5, 4 * 4 * 32, 10)) + Weight(6, 10));
        }
        _f = K.Function([x], [y]);
        var data = Random(batch * 64, 7);
        _x = Tensor(data, batch, 64);
        var options = new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        var session = new InferenceSession(_f.ToOnnx(), options);
        var got = new float[batch * 10];
        _ort = new OrtCall(session, [("x", Ort(data, batch, 64))], [("output", OrtValue.CreateTensorValueFromMemory(got, [batch, 10L]))]);
        // The two agree before anything is timed.
        _ort.Run();
        var want = _f.Call(_x)[0];
        for (int i = 0; i < want.Size; i++)
            if (Math.Abs(want.GetDouble(i) - got[i]) > 1e-4) throw new InvalidOperationException($"ONNX Runtime and cpu differ at {i}: {got[i]} vs {want.GetDouble(i)}");
    }

    [Benchmark(Baseline = true)] public void Cpu() => _f.Call(_x)[0].Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}
