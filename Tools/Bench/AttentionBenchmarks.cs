using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace KerasBackend.Bench;

/// <summary>
/// Causal dot_product_attention, B=8, N=8 heads, T=S=256, H=64, float32: the fused cpu kernel against the ONNX Runtime
/// graph MatMul(q, kᵀ) → Add(causal mask) → Softmax → MatMul(·, v) on 2 threads. ORT gets the layouts that suit it —
/// q and v as (B, N, T, H), k pre-transposed to (B, N, H, T), q pre-scaled by 1/√H, the (T, T) additive mask as an
/// input — while the cpu op reads Keras' (B, T, N, H) and applies the scale itself.
/// </summary>
public class AttentionBench : OpBench
{
    private const int B = 8, N = 8, T = 256, H = 64;

    private Tensor _q = null!, _k = null!, _v = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var q = Random((long)B * T * N * H, 11);
        var k = Random((long)B * T * N * H, 12);
        var v = Random((long)B * T * N * H, 13);
        _q = Tensor(q, B, T, N, H);
        _k = Tensor(k, B, T, N, H);
        _v = Tensor(v, B, T, N, H);
        // The same values in ORT's layouts.
        float scale = 1 / MathF.Sqrt(H);
        var qo = new float[q.Length];
        var kt = new float[k.Length];
        var vo = new float[v.Length];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                for (int n = 0; n < N; n++)
                    for (int h = 0; h < H; h++)
                    {
                        long src = (((long)b * T + t) * N + n) * H + h;
                        qo[(((long)b * N + n) * T + t) * H + h] = q[src] * scale;
                        kt[(((long)b * N + n) * H + h) * T + t] = k[src];
                        vo[(((long)b * N + n) * T + t) * H + h] = v[src];
                    }
        var mask = new float[T * T];
        for (int i = 0; i < T; i++) for (int j = i + 1; j < T; j++) mask[i * T + j] = -0.7f * float.MaxValue;
        var session = OnnxModel.Graph(
            [
                new OnnxModel.Node("MatMul", ["q", "kt"], ["s"]),
                new OnnxModel.Node("Add", ["s", "mask"], ["sm"]),
                new OnnxModel.Node("Softmax", ["sm"], ["p"], ("axis", -1L)),
                new OnnxModel.Node("MatMul", ["p", "v"], ["y"]),
            ],
            [new("q", [B, N, T, H]), new("kt", [B, N, H, T]), new("v", [B, N, T, H]), new("mask", [T, T])],
            [new("y", [B, N, T, H])], 13, Environment.ProcessorCount);
        _ort = new OrtCall(session,
            [("q", Ort(qo, B, N, T, H)), ("kt", Ort(kt, B, N, H, T)), ("v", Ort(vo, B, N, T, H)), ("mask", Ort(mask, T, T))],
            new float[(long)B * N * T * H], [B, N, T, H]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => K.DotProductAttention(_q, _k, _v, isCausal: true).Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}
