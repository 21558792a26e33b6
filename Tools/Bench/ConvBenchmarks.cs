using BenchmarkDotNet.Attributes;

namespace KerasBackend.Bench;

/// <summary>
/// The convolution family against ONNX Runtime in the same process (issue 14 item 5). Our tensors are channels_last
/// (NHWC, Keras' default); ONNX Runtime's Conv, ConvTranspose, MaxPool and AveragePool take NCHW, so the baseline
/// runs the same shapes and FLOPs in its own layout (2 intra-op threads, the machine's cores). "same" 3×3 stride 1
/// is the symmetric pad (1, 1, 1, 1) in ONNX.
/// </summary>
public class Conv2dBench : OpBench
{
    /// <summary>x (n, h, w, c) · kernel (3, 3, c, o), padding.</summary>
    [Params("32x28x28x32x64 same", "8x56x56x64x64 same", "64x8x8x1x16 valid")]
    public string Shape = "32x28x28x32x64 same";

    private Tensor _x = null!, _k = null!;
    private string _pad = "same";
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split(' ');
        var d = parts[0].Split('x').Select(int.Parse).ToArray();
        (int n, int h, int w, int c, int o) = (d[0], d[1], d[2], d[3], d[4]);
        _pad = parts[1];
        int p = _pad == "same" ? 1 : 0, oh = h + 2 * p - 2, ow = w + 2 * p - 2;
        var x = Random((long)n * h * w * c, 1);
        var k = Random(9L * c * o, 2);
        _x = Tensor(x, n, h, w, c);
        _k = Tensor(k, 3, 3, c, o);
        var s = OnnxModel.Session("Conv", [new("x", [n, c, h, w]), new("k", [o, c, 3, 3])], [n, o, oh, ow], 13, Environment.ProcessorCount,
            ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { p, p, p, p }));
        _ort = new OrtCall(s, [("x", Ort(x, n, c, h, w)), ("k", Ort(k, o, c, 3, 3))], new float[(long)n * o * oh * ow], [n, o, oh, ow]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => K.Conv2d(_x, _k, padding: _pad).Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>
/// The input gradient of conv2d (32,28,28,32)·(3,3,32,64) same against ONNX Runtime ConvTranspose (the same
/// computation: grad (32,64,28,28) through the (64,32,3,3) kernel back onto 28×28); the kernel gradient has no ONNX
/// operator and is reported as a share of the FMA peak by <c>kbackend bench --ops conv</c>.
/// </summary>
public class Conv2dGradBench : OpBench
{
    private Tensor _x = null!, _k = null!, _g = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var x = Random(32L * 28 * 28 * 32, 1);
        var k = Random(9L * 32 * 64, 2);
        var g = Random(32L * 28 * 28 * 64, 3);
        _x = Tensor(x, 32, 28, 28, 32);
        _k = Tensor(k, 3, 3, 32, 64);
        _g = Tensor(g, 32, 28, 28, 64);
        var s = OnnxModel.Session("ConvTranspose", [new("g", [32, 64, 28, 28]), new("k", [64, 32, 3, 3])], [32, 32, 28, 28], 13, Environment.ProcessorCount,
            ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
        _ort = new OrtCall(s, [("g", Ort(g, 32, 64, 28, 28)), ("k", Ort(k, 64, 32, 3, 3))], new float[32L * 32 * 28 * 28], [32, 32, 28, 28]);
    }

    /// <summary>conv2d_backprop_input (the baseline's name stays Cpu so that run_ort.sh tabulates the ratio).</summary>
    [Benchmark(Baseline = true)] public void Cpu() => K.Conv2dBackpropInput(_x, _k, _g, padding: "same").Dispose();
    /// <summary>ONNX Runtime ConvTranspose: the same computation.</summary>
    [Benchmark] public void OnnxRuntime() => _ort.Run();
    /// <summary>conv2d_backprop_filter, for its time next to the input gradient's (no ONNX operator computes it).</summary>
    [Benchmark] public void CpuKernelGradient() => K.Conv2dBackpropFilter(_x, _k, _g, padding: "same").Dispose();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>depthwise_conv2d (32,28,28,64) 3×3 same, multiplier 1, against ONNX Runtime Conv with group = 64.</summary>
public class DepthwiseConv2dBench : OpBench
{
    private Tensor _x = null!, _k = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var x = Random(32L * 28 * 28 * 64, 1);
        var k = Random(9L * 64, 2);
        _x = Tensor(x, 32, 28, 28, 64);
        _k = Tensor(k, 3, 3, 64, 1);
        var s = OnnxModel.Session("Conv", [new("x", [32, 64, 28, 28]), new("k", [64, 1, 3, 3])], [32, 64, 28, 28], 13, Environment.ProcessorCount,
            ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }), ("group", 64L));
        _ort = new OrtCall(s, [("x", Ort(x, 32, 64, 28, 28)), ("k", Ort(k, 64, 1, 3, 3))], new float[32L * 64 * 28 * 28], [32, 64, 28, 28]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => K.DepthwiseConv2d(_x, _k, padding: "same").Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>pool2d (32,28,28,64) 2×2 stride 2, max and avg, against ONNX Runtime MaxPool / AveragePool.</summary>
public class Pool2dBench : OpBench
{
    [Params("max", "avg")]
    public string Mode = "max";

    private Tensor _x = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var x = Random(32L * 28 * 28 * 64, 1);
        _x = Tensor(x, 32, 28, 28, 64);
        var s = OnnxModel.Session(Mode == "max" ? "MaxPool" : "AveragePool", [new("x", [32, 64, 28, 28])], [32, 64, 14, 14], 13, Environment.ProcessorCount,
            ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }));
        _ort = new OrtCall(s, [("x", Ort(x, 32, 64, 28, 28))], new float[32L * 64 * 14 * 14], [32, 64, 14, 14]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => K.Pool2d(_x, [2, 2], [2, 2], poolMode: Mode).Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}
