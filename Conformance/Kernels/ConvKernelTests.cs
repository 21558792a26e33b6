using static KerasBackend.Conformance.Ops.OpsTestKit;

namespace KerasBackend.Conformance.Kernels;

/// <summary>
/// The cpu convolution's direct path (patch depth KD·KH·KW·C up to 32: a zero-padded image copy, four output cells
/// along the width at a time, one vector of outputs at a time, then scalars) against the numpy backend, on the
/// geometries that exercise each branch; and the im2col path beside it on the same data. Pooling's register folds too.
/// </summary>
public class ConvKernelTests
{
    [Theory]
    [InlineData(3, 8, 8, 1, 16, 3, 1, 1, "same", DType.Float32)]     // the digits CNN's first layer: O one Vector512 of float
    [InlineData(2, 9, 11, 3, 5, 3, 1, 1, "same", DType.Float32)]     // RGB, depth 27; O below a vector: scalar outputs
    [InlineData(2, 10, 13, 2, 37, 3, 2, 1, "valid", DType.Float32)]  // stride 2; O = 2 vectors + a tail; width not a multiple of 4
    [InlineData(1, 12, 12, 1, 20, 3, 1, 2, "same", DType.Float32)]   // dilation 2 with padding on both sides
    [InlineData(2, 7, 9, 2, 8, 4, 3, 1, "same", DType.Float32)]      // even kernel (asymmetric same padding), stride 3
    [InlineData(2, 6, 7, 1, 9, 5, 1, 1, "valid", DType.Float64)]     // float64, depth 25
    [InlineData(1, 5, 5, 4, 33, 3, 1, 1, "same", DType.Float32)]     // depth 36: the im2col path, on the same checker
    public void Conv2d_matches_numpy(int n, int h, int w, int c, int o, int k, int stride, int dilation, string padding, DType dtype)
    {
        var rnd = new Random(n * 1000 + h * 100 + w + c + o + k);
        var x = Uniform(rnd, dtype, n, h, w, c);
        var kernel = Uniform(rnd, dtype, k, k, c, o);
        int[] strides = [stride, stride], rate = [dilation, dilation];
        var want = On("numpy", () => K.Conv2d(x, kernel, strides, padding, "channels_last", rate));
        var got = On("cpu", () => K.Conv2d(x, kernel, strides, padding, "channels_last", rate));
        AssertClose(want, got, Tol(dtype), Tol(dtype));
        // channels_first goes through the same kernel after a permute.
        var xf = K.PermuteDimensions(x, [0, 3, 1, 2]);
        var wantF = On("numpy", () => K.Conv2d(xf, kernel, strides, padding, "channels_first", rate));
        var gotF = On("cpu", () => K.Conv2d(xf, kernel, strides, padding, "channels_first", rate));
        AssertClose(wantF, gotF, Tol(dtype), Tol(dtype));
    }

    [Fact]
    public void Conv1d_and_conv3d_take_the_direct_path_too()
    {
        var rnd = new Random(7);
        var x1 = Uniform(rnd, DType.Float32, 3, 19, 2);
        var k1 = Uniform(rnd, DType.Float32, 5, 2, 24);
        AssertClose(On("numpy", () => K.Conv1d(x1, k1, 2, "same", "channels_last")), On("cpu", () => K.Conv1d(x1, k1, 2, "same", "channels_last")), 2e-5, 2e-5);
        var x3 = Uniform(rnd, DType.Float32, 2, 5, 6, 7, 1);
        var k3 = Uniform(rnd, DType.Float32, 3, 3, 3, 1, 17);
        AssertClose(On("numpy", () => K.Conv3d(x3, k3, null, "same", "channels_last")), On("cpu", () => K.Conv3d(x3, k3, null, "same", "channels_last")), 2e-5, 2e-5);
    }

    [Fact]
    public void An_infinite_weight_meets_the_zero_padding_as_on_the_im2col_path()
    {
        // Both cpu paths multiply the border's zeros by the weights (0 · inf = NaN), as an im2col convolution does.
        var x = K.Ones([1, 4, 4, 1]);
        var k = K.Ones([3, 3, 1, 2]).At[0, 0, 0, 0].Set(K.Constant(double.PositiveInfinity));
        var y = On("cpu", () => K.Conv2d(x, k, null, "same", "channels_last"));
        Assert.True(double.IsNaN(y.GetDouble(0)), $"corner output {y.GetDouble(0)}: its window's top-left cell is padding");
        Assert.Equal(double.PositiveInfinity, y.GetDouble((1 * 4 + 1) * 2));
    }

    [Theory]
    [InlineData(2, 9, 7, 16, 2, 2, "valid", "max", DType.Float32)]    // the digits CNN's pool: one Vector512 of channels
    [InlineData(1, 8, 9, 70, 3, 2, "same", "max", DType.Float32)]     // 4 vectors + 1 vector + scalars; clipped border windows
    [InlineData(1, 8, 9, 70, 3, 2, "same", "avg", DType.Float32)]
    [InlineData(2, 6, 6, 5, 2, 1, "valid", "avg", DType.Float64)]     // fewer channels than a vector
    public void Pool2d_matches_numpy_with_nan(int n, int h, int w, int c, int size, int stride, string padding, string mode, DType dtype)
    {
        var rnd = new Random(n + h + w + c);
        var x = Uniform(rnd, dtype, n, h, w, c);
        x.SetDouble(5, double.NaN);                // NaN propagates through its windows (numpy.max, numpy.mean)
        x.SetDouble(c * w + 40 % c, double.NaN);
        var want = On("numpy", () => K.Pool2d(x, [size, size], [stride, stride], padding, "channels_last", mode));
        var got = On("cpu", () => K.Pool2d(x, [size, size], [stride, stride], padding, "channels_last", mode));
        AssertClose(want, got, 1e-6, 1e-6);
    }

    private static double Tol(DType dtype) => dtype == DType.Float64 ? 1e-12 : 2e-5;
}
