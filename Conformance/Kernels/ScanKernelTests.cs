using static KerasBackend.Conformance.Ops.OpsTestKit;

namespace KerasBackend.Conformance.Kernels;

/// <summary>The cpu scan and variance kernels on inputs large enough for their threaded and blocked paths, against numpy.</summary>
public class ScanKernelTests
{
    private static Tensor Random(DType dtype, int[] shape, int seed)
    {
        var rnd = new Random(seed);
        var t = Tensor.Uninitialized(dtype, new Shape(shape));
        for (int i = 0; i < t.Size; i++) { if (dtype == DType.Int32) t.SetLong(i, rnd.Next(-50, 50)); else t.SetDouble(i, rnd.NextDouble() * 2 - 1); }
        return t;
    }

    [Theory]
    [InlineData(DType.Int32, 0)]
    [InlineData(DType.Int32, 1)]
    [InlineData(DType.Float64, 1)]
    [InlineData(DType.Float32, 1)]
    public void Cumsum_and_cumprod_on_many_rows(DType dtype, int axis)
    {
        // 403 rows: groups of four rows and a remainder in every part; 401·403 elements: above the threading threshold.
        var x = Random(dtype, [403, 401], 7);
        foreach (var (name, op) in new (string, Func<Tensor>)[] { ("cumsum", () => K.Cumsum(x, axis)), ("cumprod", () => K.Cumprod(x, axis)) })
        {
            var want = On("numpy", op);
            var got = On("cpu", op);
            if (dtype == DType.Int32 || dtype == DType.Float64 && name == "cumsum")
                AssertClose(want, got, 1e-12, 1e-9, $"{name} {dtype.Name()} axis={axis}");
            else AssertClose(want, got, 1e-4, 1e-5, $"{name} {dtype.Name()} axis={axis}");
        }
    }

    [Theory]
    [InlineData(DType.Float32, new[] { 2100, 1030 })]    // one block: row bands on the cores
    [InlineData(DType.Int32, new[] { 2100, 1030 })]
    [InlineData(DType.Float64, new[] { 300, 4100 })]     // rows wider than one running-row chunk: ragged last chunk
    [InlineData(DType.Float32, new[] { 3, 700, 90 })]    // a middle axis: several blocks
    public void Leading_and_middle_axes_equal_the_sequential_scan(DType dtype, int[] shape)
    {
        // Row bands fold the rows before them in the sequential order, so every result is the sequential one exactly.
        var x = Random(dtype, shape, shape[0]);
        if (dtype != DType.Int32) x = On("numpy", () => K.Add(K.Multiply(x, K.Constant(0.02, dtype: dtype)), K.Constant(1.0, dtype: dtype)));
        int axis = shape.Length == 3 ? 1 : 0;
        foreach (var (name, op) in new (string, Func<Tensor>)[] { ("cumsum", () => K.Cumsum(x, axis)), ("cumprod", () => K.Cumprod(x, axis)) })
        {
            var want = On("numpy", op);
            var got = On("cpu", op);
            AssertClose(want, got, 0, 0, $"{name} {dtype.Name()} ({string.Join(",", shape)}) axis={axis}");
        }
    }

    [Theory]
    [InlineData(new[] { 3, 5000 }, new[] { 1 })]         // runs longer than one block: merged block statistics
    [InlineData(new[] { 300_000 }, new[] { 0 })]         // one long run, split over the cores
    [InlineData(new[] { 2, 3, 70_000 }, new[] { 0, 1, 2 })]
    [InlineData(new[] { 600, 300 }, new[] { 1 })]        // many short runs, threaded by rows
    [InlineData(new[] { 600, 300 }, new[] { 0 })]        // not trailing: the two-pass path
    public void Var_matches_numpy(int[] shape, int[] axes)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = Random(dtype, shape, shape.Sum());
            // An offset far from zero: a naive E[x²] − E[x]² would lose every digit here.
            var shifted = On("numpy", () => K.Add(x, K.Constant(1000.0, dtype: dtype)));
            var want = On("numpy", () => K.Var(shifted, axes));
            var got = On("cpu", () => K.Var(shifted, axes));
            AssertClose(want, got, dtype == DType.Float32 ? 1e-4 : 1e-9, 1e-6, $"var {dtype.Name()} {string.Join(",", shape)} axes={string.Join(",", axes)}");
        }
    }
}
