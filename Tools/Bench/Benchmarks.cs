using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace KerasBackend.Bench;

/// <summary>Shared inputs: random float32 tensors for the cpu backend and the same values as arrays for the baselines.</summary>
public abstract class OpBench
{
    protected static float[] Random(long count, int seed)
    {
        var r = new Random(seed);
        var a = new float[count];
        for (long i = 0; i < count; i++) a[i] = (float)(r.NextDouble() * 2 - 1);
        return a;
    }

    protected static Tensor Tensor(float[] data, params int[] shape) => K.Constant(data, shape: shape);

    protected static OrtValue Ort(float[] data, params long[] shape) => OrtValue.CreateTensorValueFromMemory(data, shape);

    /// <summary>Calls an op by Keras name (so ops added later need no change here) and returns its result to the pool.</summary>
    protected static void Invoke(string op, Dictionary<string, object?> args)
    {
        if (OpRegistry.Invoke(op, args) is IDisposable d) d.Dispose();
    }
}

/// <summary>float32 dot: square n and (4096,1024)·(1024,1024); ONNX Runtime MatMul on 2 threads.</summary>
public class DotBench : OpBench
{
    [Params("64", "256", "512", "1024", "2048", "4096x1024x1024")]
    public string Size = "64";

    private Tensor _a = null!, _b = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        (int m, int k, int n) = Size == "4096x1024x1024" ? (4096, 1024, 1024) : (int.Parse(Size), int.Parse(Size), int.Parse(Size));
        var a = Random((long)m * k, 1);
        var b = Random((long)k * n, 2);
        _a = Tensor(a, m, k);
        _b = Tensor(b, k, n);
        var s = OnnxModel.Session("MatMul", [new("a", [m, k]), new("b", [k, n])], [m, n], 13, Environment.ProcessorCount);
        _ort = new OrtCall(s, [("a", Ort(a, m, k)), ("b", Ort(b, k, n))], new float[(long)m * n], [m, n]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => K.Dot(_a, _b).Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>float64 dot (dgemm) and batch_dot (64,128,64)·(64,64,128).</summary>
public class BatchAndDoubleDotBench : OpBench
{
    private Tensor _a64 = null!, _b64 = null!, _x = null!, _y = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _a64 = K.Cast(Tensor(Random(1024 * 1024, 1), 1024, 1024), DType.Float64);
        _b64 = K.Cast(Tensor(Random(1024 * 1024, 2), 1024, 1024), DType.Float64);
        var x = Random(64 * 128 * 64, 3);
        var y = Random(64 * 64 * 128, 4);
        _x = Tensor(x, 64, 128, 64);
        _y = Tensor(y, 64, 64, 128);
        var s = OnnxModel.Session("MatMul", [new("a", [64, 128, 64]), new("b", [64, 64, 128])], [64, 128, 128], 13, Environment.ProcessorCount);
        _ort = new OrtCall(s, [("a", Ort(x, 64, 128, 64)), ("b", Ort(y, 64, 64, 128))], new float[64 * 128 * 128], [64, 128, 128]);
    }

    [Benchmark] public void CpuDgemm1024() => K.Dot(_a64, _b64).Dispose();
    [Benchmark] public void CpuBatchDot() => Invoke("batch_dot", new() { ["x"] = _x, ["y"] = _y, ["axes"] = new[] { 2, 1 } });
    [Benchmark] public void OnnxRuntimeBatchMatMul() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>Element-wise ops on 1e3, 1e6 and 1.6e7 elements.</summary>
public class ElementwiseBench : OpBench
{
    [Params("add", "multiply", "exp", "tanh", "sigmoid", "relu")]
    public string Op = "add";

    [Params(1000, 1_000_000, 16_000_000)]
    public int N;

    private Tensor _x = null!, _y = null!;
    private float[] _xa = null!, _ya = null!, _o = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _xa = Random(N, 1);
        _ya = Random(N, 2);
        _o = new float[N];
        _x = Tensor(_xa, N);
        _y = Tensor(_ya, N);
        bool binary = Op is "add" or "multiply";
        string onnx = Op switch { "add" => "Add", "multiply" => "Mul", "exp" => "Exp", "tanh" => "Tanh", "sigmoid" => "Sigmoid", _ => "Relu" };
        var inputs = binary ? new OnnxModel.Input[] { new("a", [N]), new("b", [N]) } : [new("a", [N])];
        var s = OnnxModel.Session(onnx, inputs, [N], 13, Environment.ProcessorCount);
        _ort = new OrtCall(s, binary ? [("a", Ort(_xa, N)), ("b", Ort(_ya, N))] : [("a", Ort(_xa, N))], new float[N], [N]);
    }

    [Benchmark(Baseline = true)]
    public void Cpu()
    {
        var r = Op switch
        {
            "add" => K.Add(_x, _y), "multiply" => K.Multiply(_x, _y), "exp" => K.Exp(_x),
            "tanh" => K.Tanh(_x), "sigmoid" => K.Sigmoid(_x), _ => K.Relu(_x),
        };
        r.Dispose();
    }

    [Benchmark]
    public void TensorPrimitivesBaseline()
    {
        switch (Op)
        {
            case "add": TensorPrimitives.Add(_xa, _ya, _o); break;
            case "multiply": TensorPrimitives.Multiply(_xa, _ya, _o); break;
            case "exp": TensorPrimitives.Exp(_xa, _o); break;
            case "tanh": TensorPrimitives.Tanh(_xa, _o); break;
            case "sigmoid": TensorPrimitives.Sigmoid(_xa, _o); break;
            default: TensorPrimitives.Max(_xa, 0f, _o); break;
        }
    }

    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>sum, max, mean, var over all axes, axis 0 and axis -1 of (4096,4096); ONNX Runtime Reduce* (opset 11).</summary>
public class ReductionBench : OpBench
{
    private const int N = 4096;

    [Params("sum", "max", "mean", "var")]
    public string Op = "sum";

    [Params("all", "0", "-1")]
    public string Axis = "all";

    private Tensor _x = null!;
    private OrtCall? _ort;

    [GlobalSetup]
    public void Setup()
    {
        var xa = Random((long)N * N, 1);
        _x = Tensor(xa, N, N);
        string? onnx = Op switch { "sum" => "ReduceSum", "max" => "ReduceMax", "mean" => "ReduceMean", _ => null };
        if (onnx is null) return;
        long[] axes = Axis == "all" ? [0, 1] : Axis == "0" ? [0] : [1];
        long[] outShape = Axis == "all" ? [] : [N];
        var s = OnnxModel.Session(onnx, [new("a", [N, N])], outShape, 11, Environment.ProcessorCount, ("axes", axes), ("keepdims", 0L));
        _ort = new OrtCall(s, [("a", Ort(xa, N, N))], new float[Axis == "all" ? 1 : N], outShape);
    }

    [Benchmark(Baseline = true)]
    public void Cpu() => Invoke(Op, new() { ["x"] = _x, ["axis"] = Axis == "all" ? null : int.Parse(Axis), ["keepdims"] = false });

    /// <summary>ONNX Runtime has no variance op: for var this runs nothing and reports the call cost only.</summary>
    [Benchmark] public void OnnxRuntime() => _ort?.Run();

    [GlobalCleanup] public void Cleanup() => _ort?.Dispose();
}

/// <summary>transpose / permute_dimensions of (4096,4096), cumsum of (4096,1024), softmax of (1024,1024), gather of 100k rows, per-call cost.</summary>
public class LayoutAndMiscBench : OpBench
{
    private Tensor _t = null!, _c = null!, _s = null!, _table = null!, _idx = null!, _a4 = null!, _b4 = null!;
    private OrtCall _ortT = null!, _ortSoftmax = null!, _ortGather = null!, _ortTiny = null!, _ortCumsum = null!;

    [GlobalSetup]
    public void Setup()
    {
        int P = Environment.ProcessorCount;
        var t = Random(4096L * 4096, 1);
        _t = Tensor(t, 4096, 4096);
        _ortT = new OrtCall(OnnxModel.Session("Transpose", [new("a", [4096, 4096])], [4096, 4096], 13, P, ("perm", new long[] { 1, 0 })),
            [("a", Ort(t, 4096, 4096))], new float[4096 * 4096], [4096, 4096]);
        var c = Random(4096L * 1024, 2);
        _c = Tensor(c, 4096, 1024);
        _ortCumsum = new OrtCall(OnnxModel.Session("CumSum", [new("a", [4096, 1024]), new("axis", [], OnnxModel.Int64)], [4096, 1024], 14, P),
            [("a", Ort(c, 4096, 1024)), ("axis", OrtValue.CreateTensorValueFromMemory(new long[] { 0 }, []))], new float[4096 * 1024], [4096, 1024]);
        var s = Random(1024L * 1024, 3);
        _s = Tensor(s, 1024, 1024);
        _ortSoftmax = new OrtCall(OnnxModel.Session("Softmax", [new("a", [1024, 1024])], [1024, 1024], 13, P, ("axis", -1L)),
            [("a", Ort(s, 1024, 1024))], new float[1024 * 1024], [1024, 1024]);
        var table = Random(100_000L * 128, 4);
        var rnd = new Random(5);
        var idx = new long[100_000];
        for (int i = 0; i < idx.Length; i++) idx[i] = rnd.Next(100_000);
        _table = Tensor(table, 100_000, 128);
        _idx = K.Constant(idx.Select(v => (int)v).ToArray(), DType.Int32);
        _ortGather = new OrtCall(OnnxModel.Session("Gather", [new("a", [100_000, 128]), new("i", [100_000], OnnxModel.Int64)], [100_000, 128], 13, P, ("axis", 0L)),
            [("a", Ort(table, 100_000, 128)), ("i", OrtValue.CreateTensorValueFromMemory(idx, [100_000]))], new float[100_000 * 128], [100_000, 128]);
        float[] a4 = [1, 2, 3, 4], b4 = [5, 6, 7, 8];
        _a4 = Tensor(a4, 4);
        _b4 = Tensor(b4, 4);
        _ortTiny = new OrtCall(OnnxModel.Session("Add", [new("a", [4]), new("b", [4])], [4], 13, 1),
            [("a", Ort(a4, 4)), ("b", Ort(b4, 4))], new float[4], [4]);
    }

    [Benchmark] public void CpuTranspose() => K.Transpose(_t).Dispose();
    [Benchmark] public void CpuPermuteDimensions() => Invoke("permute_dimensions", new() { ["x"] = _t, ["pattern"] = new[] { 1, 0 } });
    [Benchmark] public void OrtTranspose() => _ortT.Run();
    [Benchmark] public void CpuCumsumAxis0() => Invoke("cumsum", new() { ["x"] = _c, ["axis"] = 0 });
    [Benchmark] public void CpuCumsumAxis1() => Invoke("cumsum", new() { ["x"] = _c, ["axis"] = 1 });
    [Benchmark] public void OrtCumsumAxis0() => _ortCumsum.Run();
    [Benchmark] public void CpuSoftmax() => Invoke("softmax", new() { ["x"] = _s, ["axis"] = -1 });
    [Benchmark] public void OrtSoftmax() => _ortSoftmax.Run();
    [Benchmark] public void CpuGather() => Invoke("gather", new() { ["reference"] = _table, ["indices"] = _idx });
    [Benchmark] public void OrtGather() => _ortGather.Run();
    [Benchmark] public void CpuTinyAdd() => K.Add(_a4, _b4).Dispose();
    [Benchmark] public void OrtTinyAdd1Thread() => _ortTiny.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var o in new[] { _ortT, _ortSoftmax, _ortGather, _ortTiny, _ortCumsum }) o.Dispose();
    }
}
