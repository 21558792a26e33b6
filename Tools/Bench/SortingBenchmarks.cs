using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace KerasBackend.Bench;

/// <summary>top_k (values and indices) of (1024, 50000) float32 with k=5: the cpu op against ONNX Runtime TopK (largest, sorted) on 2 threads.</summary>
public class TopKBench : OpBench
{
    private const int Rows = 1024, Cols = 50_000, Kk = 5;

    private Tensor _x = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var x = Random((long)Rows * Cols, 31);
        _x = Tensor(x, Rows, Cols);
        var session = OnnxModel.Graph(
            [new OnnxModel.Node("TopK", ["x", "k"], ["values", "indices"], ("axis", -1L), ("largest", 1L), ("sorted", 1L))],
            [new("x", [Rows, Cols]), new("k", [1], OnnxModel.Int64)],
            [new("values", [Rows, Kk]), new("indices", [Rows, Kk], OnnxModel.Int64)], 11, Environment.ProcessorCount);
        _ort = new OrtCall(session,
            [("x", Ort(x, Rows, Cols)), ("k", OrtValue.CreateTensorValueFromMemory(new long[] { Kk }, [1]))],
            [("values", OrtValue.CreateTensorValueFromMemory(new float[Rows * Kk], [Rows, Kk])),
             ("indices", OrtValue.CreateTensorValueFromMemory(new long[Rows * Kk], [Rows, Kk]))]);
    }

    [Benchmark(Baseline = true)]
    public void Cpu()
    {
        var r = K.TopK(_x, Kk);
        r[0].Dispose();
        r[1].Dispose();
    }

    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}
