using static KerasBackend.Conformance.Ops.OpsTestKit;

namespace KerasBackend.Conformance.Kernels;

/// <summary>The cpu gather kernel's threaded and prefetching paths against the numpy backend.</summary>
public class GatherKernelTests
{
    private static (Tensor table, Tensor idx) Data(int rows, int cols, int count, DType indexDType, int seed)
    {
        var rnd = new Random(seed);
        var table = Tensor.Uninitialized(DType.Float32, new Shape(rows, cols));
        var t = table.Span<float>();
        for (int i = 0; i < t.Length; i++) t[i] = i;
        var idx = Tensor.Uninitialized(indexDType, new Shape(count));
        // Negative indices count from the end, as in numpy.
        for (int i = 0; i < count; i++) idx.SetLong(i, rnd.Next(-rows, rows));
        return (table, idx);
    }

    [Theory]
    [InlineData(1000, 128, 40_000, DType.Int32)]  // 20 MB out of 512-byte rows: threads and prefetch
    [InlineData(1000, 128, 40_000, DType.Int64)]
    [InlineData(1000, 16, 270_000, DType.Int32)]  // 64-byte rows, 17 MB out
    [InlineData(3000, 37, 20_000, DType.Int32)]   // rows not a multiple of 64 bytes: threads, plain copies
    [InlineData(500, 3, 1_000, DType.Int16)]      // small, generic index dtype
    public void Matches_numpy(int rows, int cols, int count, DType indexDType)
    {
        var (table, idx) = Data(rows, cols, count, indexDType, rows + cols);
        var want = On("numpy", () => K.Gather(table, idx));
        var got = On("cpu", () => K.Gather(table, idx));
        Assert.True(want.ReadOnlySpan<float>().SequenceEqual(got.ReadOnlySpan<float>()), $"gather ({rows},{cols}) x {count} {indexDType.Name()}");
    }

    [Fact]
    public void The_first_bad_index_is_reported_from_the_threaded_path()
    {
        var (table, idx) = Data(1000, 128, 40_000, DType.Int32, 5);
        idx.SetLong(30_000, 5000);
        idx.SetLong(25_000, -1001);
        // The facade checks indices first; call the kernel directly so its own check is what runs.
        using var output = Tensor.Uninitialized(DType.Float32, new Shape(40_000, 128));
        var e = Assert.Throws<KerasIndexException>(() => new KerasBackend.Backends.Cpu.CpuBackend().Gather(table, idx, output));
        Assert.Contains("indices[25000]", e.Message);
        Assert.Contains("-1001", e.Message);
    }
}
