using static KerasBackend.Conformance.Ops.OpsTestKit;

namespace KerasBackend.Conformance.Kernels;

/// <summary>The fused cpu dot_product_attention (blocks, online softmax, causal skipping, grouped heads) against the numpy backend.</summary>
public class AttentionKernelTests
{
    [Theory]
    [InlineData(2, 130, 150, 2, 2, 16, false, "", false, DType.Float32)]   // three query blocks, three key blocks, GQA
    [InlineData(1, 200, 200, 1, 4, 8, true, "", false, DType.Float32)]     // causal: blocks above the diagonal skipped
    [InlineData(2, 65, 64, 2, 1, 72, true, "bnts", true, DType.Float32)]   // H > 64, full bias, mask and causal
    [InlineData(1, 70, 90, 3, 1, 5, false, "ts", true, DType.Float64)]     // float64, broadcast bias
    [InlineData(1, 40, 70, 1, 2, 4, true, "s", true, DType.Float16)]       // float16 through float32
    [InlineData(1, 100, 30, 1, 1, 3, true, "", false, DType.Float32)]      // T > S with causal
    public void Matches_numpy(int b, int t, int s, int kv, int g, int h, bool causal, string biasAxes, bool withMask, DType dtype)
    {
        var rnd = new Random(b * 1000 + t + s + h);
        int n = kv * g;
        var q = Uniform(rnd, dtype, b, t, n, h);
        var k = Uniform(rnd, dtype, b, s, kv, h);
        var v = Uniform(rnd, dtype, b, s, kv, h);
        Tensor? bias = biasAxes == "" ? null
            : Uniform(rnd, dtype, biasAxes.Select(c => c switch { 'b' => b, 'n' => n, 't' => t, _ => s }).ToArray());
        Tensor? mask = null;
        if (withMask)
        {
            mask = Tensor.Uninitialized(DType.Bool, new Shape(t, s));
            for (int i = 0; i < mask.Size; i++) mask.SetLong(i, rnd.Next(4) > 0 ? 1 : 0);
            // Row 3 masked everywhere: Keras' equal logits make it the mean of every value row (also past the causal limit).
            for (int j = 0; j < s; j++) mask.SetLong(3 * s + j, 0);
        }
        var want = On("numpy", () => K.DotProductAttention(q, k, v, bias, mask, isCausal: causal));
        var got = On("cpu", () => K.DotProductAttention(q, k, v, bias, mask, isCausal: causal));
        double tol = dtype == DType.Float16 ? 2e-3 : dtype == DType.Float32 ? 2e-5 : 1e-12;
        for (int i = 0; i < want.Size; i++)
        {
            double w = want.GetDouble(i), o = got.GetDouble(i);
            Assert.True(Math.Abs(w - o) <= tol * (1 + Math.Abs(w)), $"element {i}: numpy {w}, cpu {o}");
        }
    }
}
