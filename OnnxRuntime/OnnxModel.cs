using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace KerasBackend.OnnxRuntime;

/// <summary>
/// An ONNX model loaded into an ONNX Runtime session that takes and returns KerasBackend tensors: what serving an exported
/// <c>K.Function</c> looks like (<c>kbackend run</c>, the export round-trip tests).
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    private OnnxModel(InferenceSession session)
    {
        _session = session;
        InputNames = session.InputMetadata.Keys.ToArray();
        OutputNames = session.OutputMetadata.Keys.ToArray();
    }

    /// <summary>The graph's input names, in order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The graph's output names, in order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Loads a model file.</summary>
    public static OnnxModel Load(string path, int threads = 0) => new(new InferenceSession(path, Options(threads)));

    /// <summary>Loads a model from its bytes.</summary>
    public static OnnxModel Load(byte[] model, int threads = 0) => new(new InferenceSession(model, Options(threads)));

    private static SessionOptions Options(int threads)
    {
        var o = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (threads > 0) o.IntraOpNumThreads = threads;
        return o;
    }

    /// <summary>The dtype and shape (-1: symbolic) of input <paramref name="i"/>.</summary>
    public (DType DType, int[] Shape) InputSpec(int i)
    {
        var m = _session.InputMetadata[InputNames[i]];
        return (FromElementType(m.ElementDataType), m.Dimensions.ToArray());
    }

    /// <summary>Runs the model on one tensor per input (in <see cref="InputNames"/> order) and returns every output as a new tensor.</summary>
    public Tensor[] Run(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != InputNames.Count)
            throw new ArgumentException($"the model has {InputNames.Count} input(s) ({string.Join(", ", InputNames)}), received {inputs.Length}.", nameof(inputs));
        var values = new OrtValue[inputs.Length];
        try
        {
            for (int i = 0; i < inputs.Length; i++) values[i] = ToOrt(inputs[i]);
            using var outputs = _session.Run(_run, InputNames.ToArray(), values, OutputNames.ToArray());
            return outputs.Select(FromOrt).ToArray();
        }
        finally
        {
            foreach (var v in values) v?.Dispose();
        }
    }

    /// <summary>A copy of <paramref name="t"/> as an ONNX Runtime tensor.</summary>
    public static OrtValue ToOrt(Tensor t)
    {
        var shape = t.Shape.Dims.ToArray().Select(d => (long)d).ToArray();
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, ToElementType(t.DType), shape);
        if (t.Size > 0) Bytes(t).CopyTo(value.GetTensorMutableRawData());
        return value;
    }

    /// <summary>A copy of an ONNX Runtime tensor as a tensor.</summary>
    public static Tensor FromOrt(OrtValue v)
    {
        var info = v.GetTensorTypeAndShape();
        var dtype = FromElementType(info.ElementDataType);
        var t = new Tensor(dtype, new Shape(info.Shape.Select(d => checked((int)d)).ToArray()));
        if (t.Size > 0) v.GetTensorMutableRawData()[..(t.Size * dtype.ItemSize())].CopyTo(Bytes(t));
        return t;
    }

    private static Span<byte> Bytes(Tensor t) => t.DType switch
    {
        DType.Float16 => MemoryMarshal.AsBytes(t.Span<Half>()),
        DType.Float32 => MemoryMarshal.AsBytes(t.Span<float>()),
        DType.Float64 => MemoryMarshal.AsBytes(t.Span<double>()),
        DType.Int8 => MemoryMarshal.AsBytes(t.Span<sbyte>()),
        DType.Int16 => MemoryMarshal.AsBytes(t.Span<short>()),
        DType.Int32 => MemoryMarshal.AsBytes(t.Span<int>()),
        DType.Int64 => MemoryMarshal.AsBytes(t.Span<long>()),
        DType.UInt8 => t.Span<byte>(),
        DType.Bool => MemoryMarshal.AsBytes(t.Span<bool>()),
        _ => throw new KerasTypeException("onnx", "dtype", $"no ONNX Runtime type for {t.DType}"),
    };

    /// <summary>Each dtype and its ONNX Runtime element type.</summary>
    private static readonly (DType DType, TensorElementType Type)[] Types =
    [
        (DType.Float16, TensorElementType.Float16), (DType.Float32, TensorElementType.Float), (DType.Float64, TensorElementType.Double),
        (DType.Int8, TensorElementType.Int8), (DType.Int16, TensorElementType.Int16), (DType.Int32, TensorElementType.Int32),
        (DType.Int64, TensorElementType.Int64), (DType.UInt8, TensorElementType.UInt8), (DType.Bool, TensorElementType.Bool),
    ];

    /// <summary>The ONNX Runtime element type of a dtype.</summary>
    public static TensorElementType ToElementType(DType d) =>
        Array.FindIndex(Types, p => p.DType == d) is var i and >= 0
            ? Types[i].Type
            : throw new KerasTypeException("onnx", "dtype", $"no ONNX Runtime type for {d}");

    /// <summary>The dtype of an ONNX Runtime element type.</summary>
    public static DType FromElementType(TensorElementType e) =>
        Array.FindIndex(Types, p => p.Type == e) is var i and >= 0
            ? Types[i].DType
            : throw new KerasTypeException("onnx", "dtype", $"the model uses the ONNX element type {e}, which KerasBackend has no dtype for");

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }
}
