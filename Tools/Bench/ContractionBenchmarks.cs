using BenchmarkDotNet.Attributes;

namespace KerasBackend.Bench;

/// <summary>
/// einsum on matmul-shaped subscripts against the op it should cost the same as, on the same float32 tensors:
/// "ij,jk->ik" against dot, "bij,bjk->bik" against batch_dot, and matmul on both. Target: einsum within 1.1× of dot.
/// </summary>
public class EinsumBench : OpBench
{
    [Params("512x512x512", "1024x1024x1024", "b64x128x64x128")]
    public string Shape = "512x512x512";

    private Tensor _a = null!, _b = null!;
    private bool _batched;

    [GlobalSetup]
    public void Setup()
    {
        _batched = Shape.StartsWith('b');
        var d = Shape.TrimStart('b').Split('x').Select(int.Parse).ToArray();
        if (_batched)
        {
            (int bt, int m, int k, int n) = (d[0], d[1], d[2], d[3]);
            _a = Tensor(Random((long)bt * m * k, 21), bt, m, k);
            _b = Tensor(Random((long)bt * k * n, 22), bt, k, n);
        }
        else
        {
            (int m, int k, int n) = (d[0], d[1], d[2]);
            _a = Tensor(Random((long)m * k, 21), m, k);
            _b = Tensor(Random((long)k * n, 22), k, n);
        }
    }

    /// <summary>The cpu backend's dot (batch_dot for the batched shape): the time einsum and matmul are held to.</summary>
    [Benchmark(Baseline = true)]
    public void Cpu()
    {
        if (_batched) K.BatchDot(_a, _b, [2, 1]).Dispose();
        else K.Dot(_a, _b).Dispose();
    }

    [Benchmark] public void Einsum() => K.Einsum(_batched ? "bij,bjk->bik" : "ij,jk->ik", [_a, _b]).Dispose();

    [Benchmark] public void Matmul() => K.Matmul(_a, _b).Dispose();
}
