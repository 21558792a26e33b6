using KerasBackend.Backends.Cpu;

namespace KerasBackend.Conformance.Kernels;

/// <summary>The float32 relu vector paths against the scalar definition, bit for bit (NaN, ±0, ±inf, ragged tails).</summary>
public class ReluKernelTests
{
    [Theory]
    [InlineData(0.0, null, 0.0)]
    [InlineData(0.0, null, 0.5)]
    [InlineData(0.1, null, 0.0)]
    [InlineData(0.0, 6.0, 0.0)]
    [InlineData(0.2, 1.5, -0.5)]
    public void Vector_paths_match_the_scalar_definition(double alpha, double? maxValue, double threshold)
    {
        var rnd = new Random(5);
        float[] special = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, 0.5f, 6f, 1.5f, -0.5f];
        // 300_000 elements: the threaded path, then short arrays for the ragged tails.
        foreach (int n in new[] { 300_000, 47, 16, 5 })
        {
            var x = Tensor.Uninitialized(DType.Float32, new Shape(n));
            var xs = x.Span<float>();
            for (int i = 0; i < n; i++) xs[i] = i % 7 == 0 ? special[i / 7 % special.Length] : (float)(rnd.NextDouble() * 16 - 8);
            using var y = Tensor.Uninitialized(DType.Float32, new Shape(n));
            new CpuBackend().Relu(x, alpha, maxValue, threshold, y);
            var ys = y.ReadOnlySpan<float>();
            for (int i = 0; i < n; i++)
            {
                float want = (float)CpuBackend.ReluScalar(xs[i], (float)alpha, maxValue is double m ? (float)m : null, (float)threshold);
                Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(ys[i]),
                    $"relu(alpha={alpha}, max_value={maxValue}, threshold={threshold}) at {i} of {n}: x={xs[i]}, want {want}, got {ys[i]}");
            }
        }
    }
}
