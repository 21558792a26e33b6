using BenchmarkDotNet.Attributes;

namespace KerasBackend.Bench;

/// <summary>
/// Per-op eager call overhead of the <c>onnx</c> backend: one small op (a 4×4 float32 tensor) called through the facade on
/// the <c>cpu</c> backend (the baseline) and on <c>onnx</c>, where the call runs a cached ONNX Runtime session (built on the
/// first call; the key is op, dtypes, shapes and arguments). On tensors this small the time is the per-call cost: the
/// facade's checks and inference, then for onnx the cache lookup, the copies in and out of ONNX Runtime and its Run.
/// <c>dotnet run -c Release --project Tools/Bench -- --filter '*OnnxBackend*'</c>.
/// </summary>
public class OnnxBackendBench : OpBench
{
    private IBackend _cpu = null!, _onnx = null!;
    private Tensor _x = null!, _y = null!;

    /// <summary>add (one ONNX node), relu (a small subgraph), sum (a reduction), dot (MatMul).</summary>
    [Params("add", "relu", "sum", "dot")]
    public string Op { get; set; } = "add";

    [GlobalSetup]
    public void Setup()
    {
        _cpu = Backend.Create("cpu");
        _onnx = Backend.Create("onnx");
        _x = Tensor(Random(16, 1), 4, 4);
        _y = Tensor(Random(16, 2), 4, 4);
        using (Backend.Use(_onnx)) Call();
    }

    private void Call()
    {
        using var r = Op switch
        {
            "add" => K.Add(_x, _y),
            "relu" => K.Relu(_x),
            "sum" => K.Sum(_x, axis: 1),
            _ => K.Dot(_x, _y),
        };
    }

    [Benchmark(Baseline = true)]
    public void Cpu()
    {
        using (Backend.Use(_cpu)) Call();
    }

    [Benchmark]
    public void Onnx()
    {
        using (Backend.Use(_onnx)) Call();
    }
}
