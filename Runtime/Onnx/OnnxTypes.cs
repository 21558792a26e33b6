using Google.Protobuf;

namespace KerasBackend.Onnx;

/// <summary>ONNX element types of the dtypes, and the dtype a lowering computes a dtype in on ONNX Runtime's CPU kernels.</summary>
internal static class OnnxTypes
{
    /// <summary>The ONNX <c>TensorProto.DataType</c> of a dtype.</summary>
    public static int ElemType(DType d) => d switch
    {
        DType.Float32 => 1,
        DType.UInt8 => 2,
        DType.Int8 => 3,
        DType.Int16 => 5,
        DType.Int32 => 6,
        DType.Int64 => 7,
        DType.Bool => 9,
        DType.Float16 => 10,
        DType.Float64 => 11,
        _ => throw new KerasTypeException("export_onnx", "dtype", $"export_onnx: no ONNX type for dtype {d}"),
    };

    /// <summary>The dtype of an ONNX element type (the inverse of <see cref="ElemType"/>), or null.</summary>
    public static DType? FromElemType(int t) => t switch
    {
        1 => DType.Float32, 2 => DType.UInt8, 3 => DType.Int8, 5 => DType.Int16, 6 => DType.Int32,
        7 => DType.Int64, 9 => DType.Bool, 10 => DType.Float16, 11 => DType.Float64, _ => null,
    };

    /// <summary>
    /// The dtype a lowering computes <paramref name="d"/> in: ONNX Runtime's CPU kernels of arithmetic and reductions
    /// cover float32, float64, int32 and int64, so float16 computes in float32 (as the cpu and numpy kernels do) and the
    /// small integers and bool in int32, the result cast back (wrapping as numpy does).
    /// </summary>
    public static DType Compute(DType d) => d switch
    {
        DType.Float16 => DType.Float32,
        DType.Int8 or DType.Int16 or DType.UInt8 or DType.Bool => DType.Int32,
        _ => d,
    };

    /// <summary>A tensor's values as an ONNX TensorProto (raw little-endian data).</summary>
    public static global::Onnx.TensorProto ToProto(Tensor t, string name)
    {
        var p = new global::Onnx.TensorProto { Name = name, DataType = ElemType(t.DType) };
        foreach (var d in t.Shape.Dims) p.Dims.Add(d);
        if (t.Size > 0) p.RawData = ByteString.CopyFrom(t.Bytes());
        return p;
    }
}
