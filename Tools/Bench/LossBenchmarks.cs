using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace KerasBackend.Bench;

/// <summary>
/// Softmax crossentropy of (1024,1000) logits against integer labels, one loss per row (reduction "none"): the cpu
/// sparse and categorical (one-hot target) kernels, each one fused pass over a row, against ONNX Runtime
/// SoftmaxCrossEntropyLoss (opset 13) on 2 threads and a TensorPrimitives log-softmax per row.
/// </summary>
public class CrossentropyBench : OpBench
{
    private Tensor _x = null!, _labels = null!, _onehot = null!;
    private float[] _xa = null!, _e = null!, _o = null!;
    private long[] _la = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _xa = Random(1024L * 1000, 8);
        _e = new float[1000];
        _o = new float[1024];
        var r = new Random(9);
        _la = Enumerable.Range(0, 1024).Select(_ => (long)r.Next(1000)).ToArray();
        _x = Tensor(_xa, 1024, 1000);
        _labels = KerasBackend.Tensor.FromArray(_la.Select(v => (int)v).ToArray());
        var oh = new float[1024 * 1000];
        for (int i = 0; i < 1024; i++) oh[i * 1000 + _la[i]] = 1;
        _onehot = Tensor(oh, 1024, 1000);
        _ort = new OrtCall(OnnxModel.Session("SoftmaxCrossEntropyLoss", [new("a", [1024, 1000]), new("labels", [1024], OnnxModel.Int64)], [1024], 13,
                Environment.ProcessorCount, ("reduction", "none")),
            [("a", Ort(_xa, 1024, 1000)), ("labels", OrtValue.CreateTensorValueFromMemory(_la, [1024L]))], new float[1024], [1024]);
    }

    [Benchmark(Baseline = true)]
    public void CpuSparse() => Invoke("sparse_categorical_crossentropy", new() { ["target"] = _labels, ["output"] = _x, ["from_logits"] = true });

    [Benchmark]
    public void CpuCategorical() => Invoke("categorical_crossentropy", new() { ["target"] = _onehot, ["output"] = _x, ["from_logits"] = true });

    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [Benchmark]
    public void TensorPrimitivesBaseline()
    {
        for (int r = 0; r < 1024; r++)
        {
            var row = _xa.AsSpan(r * 1000, 1000);
            var (m, logSum) = TensorPrimitivesLogSumExp(row, _e);
            _o[r] = logSum - (row[(int)_la[r]] - m);
        }
    }

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}
