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

    /// <summary>log Σ exp(row) the TensorPrimitives way (max, shift, exp, sum; <paramref name="scratch"/> holds the
    /// shifted row), returned as (max, log of the shifted sum): the baseline of logsumexp and of softmax crossentropy.</summary>
    protected static (float Max, float LogSum) TensorPrimitivesLogSumExp(ReadOnlySpan<float> row, Span<float> scratch)
    {
        float m = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, m, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        return (m, MathF.Log(TensorPrimitives.Sum(scratch)));
    }

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

/// <summary>float64 dot (dgemm) on kbackend's f64 shapes; ONNX Runtime MatMul on double, 2 threads.</summary>
public class DoubleDotBench : OpBench
{
    [Params(256, 1024)]
    public int N = 256;

    private Tensor _a = null!, _b = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var a = Random((long)N * N, 1).Select(v => (double)v).ToArray();
        var b = Random((long)N * N, 2).Select(v => (double)v).ToArray();
        _a = K.Constant(a, DType.Float64, [N, N]);
        _b = K.Constant(b, DType.Float64, [N, N]);
        var s = OnnxModel.Session("MatMul", [new("a", [N, N], OnnxModel.Double), new("b", [N, N], OnnxModel.Double)], [N, N], 13, Environment.ProcessorCount);
        _ort = new OrtCall(s, [("a", OrtValue.CreateTensorValueFromMemory(a, [N, N])), ("b", OrtValue.CreateTensorValueFromMemory(b, [N, N]))],
            new double[(long)N * N], [N, N]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => K.Dot(_a, _b).Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>batch_dot (64,128,64)·(64,64,128); ONNX Runtime batched MatMul on 2 threads.</summary>
public class BatchDotBench : OpBench
{
    private Tensor _x = null!, _y = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var x = Random(64 * 128 * 64, 3);
        var y = Random(64 * 64 * 128, 4);
        _x = Tensor(x, 64, 128, 64);
        _y = Tensor(y, 64, 64, 128);
        var s = OnnxModel.Session("MatMul", [new("a", [64, 128, 64]), new("b", [64, 64, 128])], [64, 128, 128], 13, Environment.ProcessorCount);
        _ort = new OrtCall(s, [("a", Ort(x, 64, 128, 64)), ("b", Ort(y, 64, 64, 128))], new float[64 * 128 * 128], [64, 128, 128]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => Invoke("batch_dot", new() { ["x"] = _x, ["y"] = _y, ["axes"] = new[] { 2, 1 } });
    [Benchmark] public void OnnxRuntime() => _ort.Run();

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

/// <summary>
/// sum, max, mean over all axes, axis 0 and axis -1 of (4096,4096); ONNX Runtime Reduce* (opset 11, 2 threads) and
/// TensorPrimitives (1 thread: whole-array Sum/Max, one call per row for axis -1, row-wise Add/Max into an
/// accumulator row for axis 0).
/// </summary>
public class ReductionBench : OpBench
{
    private const int N = 4096;

    [Params("sum", "max", "mean")]
    public string Op = "sum";

    [Params("all", "0", "-1")]
    public string Axis = "all";

    private Tensor _x = null!;
    private float[] _xa = null!, _acc = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _xa = Random((long)N * N, 1);
        _acc = new float[N];
        _x = Tensor(_xa, N, N);
        string onnx = Op switch { "sum" => "ReduceSum", "max" => "ReduceMax", _ => "ReduceMean" };
        long[] axes = Axis == "all" ? [0, 1] : Axis == "0" ? [0] : [1];
        long[] outShape = Axis == "all" ? [] : [N];
        var s = OnnxModel.Session(onnx, [new("a", [N, N])], outShape, 11, Environment.ProcessorCount, ("axes", axes), ("keepdims", 0L));
        _ort = new OrtCall(s, [("a", Ort(_xa, N, N))], new float[Axis == "all" ? 1 : N], outShape);
    }

    [Benchmark(Baseline = true)]
    public void Cpu() => Invoke(Op, new() { ["x"] = _x, ["axis"] = Axis == "all" ? null : int.Parse(Axis), ["keepdims"] = false });

    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [Benchmark]
    public float TensorPrimitivesBaseline()
    {
        bool max = Op == "max";
        if (Axis == "all")
            return max ? TensorPrimitives.Max(_xa) : Op == "sum" ? TensorPrimitives.Sum(_xa) : TensorPrimitives.Sum(_xa) / _xa.Length;
        if (Axis == "-1")
        {
            for (int r = 0; r < N; r++)
            {
                var row = _xa.AsSpan(r * N, N);
                _acc[r] = max ? TensorPrimitives.Max(row) : Op == "sum" ? TensorPrimitives.Sum(row) : TensorPrimitives.Sum(row) / N;
            }
            return _acc[0];
        }
        // Axis 0: whole rows combined into one accumulator row, so every access is contiguous.
        _xa.AsSpan(0, N).CopyTo(_acc);
        for (int r = 1; r < N; r++)
        {
            if (max) TensorPrimitives.Max(_acc, _xa.AsSpan(r * N, N), _acc);
            else TensorPrimitives.Add(_acc, _xa.AsSpan(r * N, N), _acc);
        }
        if (Op == "mean") TensorPrimitives.Multiply(_acc, 1f / N, _acc);
        return _acc[0];
    }

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>
/// var over all axes, axis 0 and axis -1 of (4096,4096). ONNX Runtime has no variance op, so the baseline is
/// TensorPrimitives composed two-pass (mean, then the mean of squared deviations), 1 thread.
/// </summary>
public class VarBench : OpBench
{
    private const int N = 4096;

    [Params("all", "0", "-1")]
    public string Axis = "all";

    private Tensor _x = null!;
    private float[] _xa = null!, _mean = null!, _acc = null!, _tmp = null!;

    [GlobalSetup]
    public void Setup()
    {
        _xa = Random((long)N * N, 1);
        (_mean, _acc, _tmp) = (new float[N], new float[N], new float[N]);
        _x = Tensor(_xa, N, N);
    }

    [Benchmark(Baseline = true)]
    public void Cpu() => Invoke("var", new() { ["x"] = _x, ["axis"] = Axis == "all" ? null : int.Parse(Axis), ["keepdims"] = false });

    [Benchmark]
    public float TensorPrimitivesBaseline()
    {
        if (Axis == "0")
        {
            // Rows accumulated into a mean row, then (row - mean)² accumulated with a fused multiply-add.
            _xa.AsSpan(0, N).CopyTo(_mean);
            for (int r = 1; r < N; r++) TensorPrimitives.Add(_mean, _xa.AsSpan(r * N, N), _mean);
            TensorPrimitives.Multiply(_mean, 1f / N, _mean);
            Array.Clear(_acc);
            for (int r = 0; r < N; r++)
            {
                TensorPrimitives.Subtract(_xa.AsSpan(r * N, N), _mean, _tmp);
                TensorPrimitives.FusedMultiplyAdd(_tmp, _tmp, _acc, _acc);
            }
            TensorPrimitives.Multiply(_acc, 1f / N, _acc);
            return _acc[0];
        }
        if (Axis == "-1")
        {
            for (int r = 0; r < N; r++)
            {
                var row = _xa.AsSpan(r * N, N);
                float m = TensorPrimitives.Sum(row) / N;
                TensorPrimitives.Subtract(row, m, _tmp);
                _acc[r] = TensorPrimitives.SumOfSquares(_tmp) / N;
            }
            return _acc[0];
        }
        // All: the deviations are formed one row at a time so the temporary stays in L1.
        float mean = TensorPrimitives.Sum(_xa) / _xa.Length;
        double ss = 0;
        for (int r = 0; r < N; r++)
        {
            TensorPrimitives.Subtract(_xa.AsSpan(r * N, N), mean, _tmp);
            ss += TensorPrimitives.SumOfSquares(_tmp);
        }
        return (float)(ss / _xa.Length);
    }
}

/// <summary>transpose and permute_dimensions (1,0) of (4096,4096); ONNX Runtime Transpose on 2 threads.</summary>
public class TransposeBench : OpBench
{
    [Params("transpose", "permute_dimensions")]
    public string Op = "transpose";

    private Tensor _x = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var x = Random(4096L * 4096, 1);
        _x = Tensor(x, 4096, 4096);
        _ort = new OrtCall(OnnxModel.Session("Transpose", [new("a", [4096, 4096])], [4096, 4096], 13, Environment.ProcessorCount, ("perm", new long[] { 1, 0 })),
            [("a", Ort(x, 4096, 4096))], new float[4096 * 4096], [4096, 4096]);
    }

    [Benchmark(Baseline = true)]
    public void Cpu()
    {
        if (Op == "transpose") K.Transpose(_x).Dispose();
        else Invoke("permute_dimensions", new() { ["x"] = _x, ["pattern"] = new[] { 1, 0 } });
    }

    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>cumsum of (4096,1024) over one axis; ONNX Runtime CumSum (opset 14) on 2 threads.</summary>
public abstract class CumsumBench : OpBench
{
    protected abstract int Axis { get; }

    protected float[] X = null!, Out = null!;
    private Tensor _x = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        X = Random(4096L * 1024, 2);
        Out = new float[X.Length];
        _x = Tensor(X, 4096, 1024);
        _ort = new OrtCall(OnnxModel.Session("CumSum", [new("a", [4096, 1024]), new("axis", [], OnnxModel.Int64)], [4096, 1024], 14, Environment.ProcessorCount),
            [("a", Ort(X, 4096, 1024)), ("axis", OrtValue.CreateTensorValueFromMemory(new long[] { Axis }, []))], new float[4096 * 1024], [4096, 1024]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => Invoke("cumsum", new() { ["x"] = _x, ["axis"] = Axis });
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>cumsum axis 0; TensorPrimitives (1 thread) as a row-wise Add of the previous output row.</summary>
public class CumsumAxis0Bench : CumsumBench
{
    protected override int Axis => 0;

    [Benchmark]
    public void TensorPrimitivesBaseline()
    {
        // Row r of the output is row r-1 of the output plus row r of the input: contiguous adds of 1024 floats.
        X.AsSpan(0, 1024).CopyTo(Out);
        for (int r = 1; r < 4096; r++)
            TensorPrimitives.Add(Out.AsSpan((r - 1) * 1024, 1024), X.AsSpan(r * 1024, 1024), Out.AsSpan(r * 1024, 1024));
    }
}

/// <summary>cumsum axis 1 (along rows): TensorPrimitives has no scan, so ONNX Runtime is the only baseline.</summary>
public class CumsumAxis1Bench : CumsumBench
{
    protected override int Axis => 1;
}

/// <summary>softmax over the last axis of (1024,1024); ONNX Runtime Softmax on 2 threads, TensorPrimitives.SoftMax per row.</summary>
public class SoftmaxBench : OpBench
{
    private Tensor _x = null!;
    private float[] _xa = null!, _o = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _xa = Random(1024L * 1024, 3);
        _o = new float[_xa.Length];
        _x = Tensor(_xa, 1024, 1024);
        _ort = new OrtCall(OnnxModel.Session("Softmax", [new("a", [1024, 1024])], [1024, 1024], 13, Environment.ProcessorCount, ("axis", -1L)),
            [("a", Ort(_xa, 1024, 1024))], new float[1024 * 1024], [1024, 1024]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => Invoke("softmax", new() { ["x"] = _x, ["axis"] = -1 });
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [Benchmark]
    public void TensorPrimitivesBaseline()
    {
        for (int r = 0; r < 1024; r++) TensorPrimitives.SoftMax(_xa.AsSpan(r * 1024, 1024), _o.AsSpan(r * 1024, 1024));
    }

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>logsumexp over the last axis of (1024,1000) logits; ONNX Runtime ReduceLogSumExp on 2 threads, TensorPrimitives as max, then exp-sum per row.</summary>
public class LogSumExpBench : OpBench
{
    private Tensor _x = null!;
    private float[] _xa = null!, _e = null!, _o = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _xa = Random(1024L * 1000, 6);
        _e = new float[1000];
        _o = new float[1024];
        _x = Tensor(_xa, 1024, 1000);
        _ort = new OrtCall(OnnxModel.Session("ReduceLogSumExp", [new("a", [1024, 1000])], [1024], 13, Environment.ProcessorCount, ("axes", new long[] { -1 }), ("keepdims", 0L)),
            [("a", Ort(_xa, 1024, 1000))], new float[1024], [1024]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => Invoke("logsumexp", new() { ["x"] = _x, ["axis"] = new[] { -1 } });
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [Benchmark]
    public void TensorPrimitivesBaseline()
    {
        for (int r = 0; r < 1024; r++)
        {
            var (m, logSum) = TensorPrimitivesLogSumExp(_xa.AsSpan(r * 1000, 1000), _e);
            _o[r] = m + logSum;
        }
    }

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>gather of 100k random rows of (100000,128); ONNX Runtime Gather on 2 threads (TensorPrimitives has no gather).</summary>
public class GatherBench : OpBench
{
    private Tensor _table = null!, _idx = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var table = Random(100_000L * 128, 4);
        var rnd = new Random(5);
        var idx = new long[100_000];
        for (int i = 0; i < idx.Length; i++) idx[i] = rnd.Next(100_000);
        _table = Tensor(table, 100_000, 128);
        _idx = K.Constant(idx.Select(v => (int)v).ToArray(), DType.Int32);
        _ort = new OrtCall(OnnxModel.Session("Gather", [new("a", [100_000, 128]), new("i", [100_000], OnnxModel.Int64)], [100_000, 128], 13, Environment.ProcessorCount, ("axis", 0L)),
            [("a", Ort(table, 100_000, 128)), ("i", OrtValue.CreateTensorValueFromMemory(idx, [100_000]))], new float[100_000 * 128], [100_000, 128]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => Invoke("gather", new() { ["reference"] = _table, ["indices"] = _idx });
    [Benchmark] public void OnnxRuntime() => _ort.Run();

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}

/// <summary>Per-call cost: add of two 4-element tensors; ONNX Runtime on 1 thread (its cheapest Run), TensorPrimitives.Add.</summary>
public class TinyAddBench : OpBench
{
    private Tensor _a = null!, _b = null!;
    private readonly float[] _a4 = [1, 2, 3, 4], _b4 = [5, 6, 7, 8], _o4 = new float[4];
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _a = Tensor(_a4, 4);
        _b = Tensor(_b4, 4);
        _ort = new OrtCall(OnnxModel.Session("Add", [new("a", [4]), new("b", [4])], [4], 13, 1),
            [("a", Ort(_a4, 4)), ("b", Ort(_b4, 4))], new float[4], [4]);
    }

    [Benchmark(Baseline = true)] public void Cpu() => K.Add(_a, _b).Dispose();
    [Benchmark] public void OnnxRuntime() => _ort.Run();
    [Benchmark] public void TensorPrimitivesBaseline() => TensorPrimitives.Add(_a4, _b4, _o4);

    [GlobalCleanup] public void Cleanup() => _ort.Dispose();
}
