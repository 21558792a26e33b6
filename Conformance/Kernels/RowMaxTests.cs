using System.Numerics.Tensors;
using KerasBackend.Backends.Cpu;

namespace KerasBackend.Conformance.Kernels;

/// <summary>The float32 row maximum of reductions and softmax against TensorPrimitives.Max (numpy's NaN-propagating max), bit for bit.</summary>
public class RowMaxTests
{
    [Fact]
    public void Matches_TensorPrimitives_max_on_every_length_with_special_values()
    {
        var rnd = new Random(17);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, -float.MaxValue];
        foreach (int n in Enumerable.Range(1, 200).Concat([255, 256, 257, 1000, 1024, 4096]))
        {
            var x = Enumerable.Range(0, n).Select(_ => (float)(rnd.NextDouble() * 200 - 100)).ToArray();
            Same(x, $"n={n} random");
            // One special value at the start, the middle, the last whole step and the tail.
            foreach (var s in specials)
                foreach (int at in new[] { 0, n / 2, Math.Max(0, n - 70), n - 1 })
                {
                    var y = (float[])x.Clone();
                    y[at] = s;
                    Same(y, $"n={n} x[{at}]={s:R}");
                }
            // Rows of zeros of both signs (the sign of the maximum is TensorPrimitives'), all −inf, all large.
            Same(Enumerable.Range(0, n).Select(i => i % 3 == 0 ? -0f : 0f).ToArray(), $"n={n} zeros");
            Same(Enumerable.Repeat(-0f, n).ToArray(), $"n={n} -0");
            Same(Enumerable.Repeat(float.NegativeInfinity, n).ToArray(), $"n={n} -inf");
            Same(Enumerable.Range(0, n).Select(i => 3e38f - i).ToArray(), $"n={n} near float.MaxValue (the sum overflows)");
            Same(Enumerable.Range(0, n).Select(i => -1f - i).ToArray(), $"n={n} all negative");
        }
    }

    [Fact]
    public void Matches_at_every_offset_from_a_cache_line()
    {
        // The main loop starts at the first 64-byte boundary: rows starting at each float offset, a special value at
        // each position of the unaligned head and of the tail.
        var rnd = new Random(23);
        var buffer = Enumerable.Range(0, 600).Select(_ => (float)(rnd.NextDouble() * 200 - 100)).ToArray();
        foreach (int n in new[] { 64, 65, 79, 80, 95, 127, 128, 129, 143, 200, 511 })
            for (int offset = 0; offset < 16; offset++)
            {
                Same(buffer.AsSpan(offset, n), $"n={n} offset={offset}");
                foreach (int at in new[] { 0, 1, 7, 15, 16, 17, n - 17, n - 16, n - 1 })
                    foreach (var s in new[] { float.NaN, 1000f, float.PositiveInfinity })
                    {
                        var y = buffer.AsSpan(offset, n);
                        float keep = y[at];
                        y[at] = s;
                        Same(y, $"n={n} offset={offset} x[{at}]={s}");
                        // Shift (softmax's) finds a maximum above every finite element; NaN it may lose.
                        float m = RowMax.Shift(y);
                        Assert.True(float.IsNaN(s) || m == TensorPrimitives.Max<float>(y), $"Shift n={n} offset={offset} x[{at}]={s}: {m}");
                        y[at] = keep;
                    }
            }
    }

    private static void Same(ReadOnlySpan<float> x, string what)
    {
        float want = TensorPrimitives.Max<float>(x), got = RowMax.Float32(x);
        Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got) || (float.IsNaN(want) && float.IsNaN(got)),
            $"{what}: got {got:R}, want {want:R}");
    }
}
