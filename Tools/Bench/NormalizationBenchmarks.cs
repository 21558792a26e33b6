using BenchmarkDotNet.Attributes;

namespace KerasBackend.Bench;

/// <summary>
/// layer_normalization over the last axis of a (4096, 1024) float32 tensor with gamma and beta (1024,), epsilon 1e-5:
/// the cpu kernel against ONNX Runtime's LayerNormalization (opset 17, axis -1) on 2 threads.
/// </summary>
public class LayerNormBench : OpBench
{
    private const int Rows = 4096, Cols = 1024;
    private const float Epsilon = 1e-5f;

    private Tensor _x = null!, _gamma = null!, _beta = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var x = Random((long)Rows * Cols, 21);
        var gamma = Random(Cols, 22);
        var beta = Random(Cols, 23);
        _x = Tensor(x, Rows, Cols);
        _gamma = Tensor(gamma, Cols);
        _beta = Tensor(beta, Cols);
        var session = OnnxModel.Session("LayerNormalization", [new("x", [Rows, Cols]), new("gamma", [Cols]), new("beta", [Cols])], [Rows, Cols], 17,
            Environment.ProcessorCount, ("axis", -1L), ("epsilon", Epsilon));
        _ort = new OrtCall(session, [("x", Ort(x, Rows, Cols)), ("gamma", Ort(gamma, Cols)), ("beta", Ort(beta, Cols))], new float[(long)Rows * Cols], [Rows, Cols]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => K.LayerNormalization(_x, _gamma, _beta, epsilon: Epsilon).Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}
