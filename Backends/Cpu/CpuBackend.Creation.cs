namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void Zeros(Tensor output) => output.Bytes().Clear();

    public void Ones(Tensor output)
    {
        switch (output.DType)
        {
            case DType.Float32: output.Span<float>().Fill(1f); break;
            case DType.Float64: output.Span<double>().Fill(1d); break;
            case DType.Float16: output.Span<Half>().Fill(Half.One); break;
            case DType.Int32: output.Span<int>().Fill(1); break;
            case DType.Int64: output.Span<long>().Fill(1L); break;
            case DType.Int16: output.Span<short>().Fill(1); break;
            case DType.Int8: output.Span<sbyte>().Fill(1); break;
            case DType.UInt8: output.Span<byte>().Fill(1); break;
            default: output.Span<bool>().Fill(true); break;
        }
    }

    public void Cast(Tensor x, Tensor output) => Casting.Cast(x, output);
}
