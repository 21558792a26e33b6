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

public sealed partial class CpuBackend
{
    /// <summary>eye: out[i, j] = (i == j); clear, then write the min(n, m) diagonal entries.</summary>
    public void Eye(int[] size, Tensor output)
    {
        output.Bytes().Clear();
        if (output.Size == 0) return;
        int n = output.Shape[0], m = output.Shape[1];
        for (int i = 0; i < Math.Min(n, m); i++) output.SetDouble(i * m + i, 1);
    }

    /// <summary>zeros_like: out = 0.</summary>
    public void ZerosLike(Tensor x, Tensor output) => output.Bytes().Clear();

    /// <summary>ones_like: out = 1.</summary>
    public void OnesLike(Tensor x, Tensor output) => Ones(output);

    /// <summary>identity: out = x (one block copy).</summary>
    public void Identity(Tensor x, Tensor output) => x.Bytes().CopyTo(output.Bytes());

    /// <summary>random_uniform: out[i] = minval + (maxval - minval) · u(seed, i); chunks run on both cores for large outputs.</summary>
    public void RandomUniform(double minval, double maxval, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        var dtype = output.DType;
        FillRandom(output, i => RandomStream.Uniform(i, k0, k1, minval, maxval, dtype));
    }

    /// <summary>random_normal: out[i] = mean + stddev · z(seed, i); chunks run on both cores for large outputs.</summary>
    public void RandomNormal(double mean, double stddev, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        FillRandom(output, i => mean + stddev * RandomStream.Normal(i, k0, k1));
    }

    // Element i depends only on (seed, i), so any split of the index range gives the same tensor.
    private static void FillRandom(Tensor output, Func<long, double> value)
    {
        int n = output.Size;
        if (n == 0) return;
        int parts = n >= Elementwise.ParallelThreshold / 4 ? Environment.ProcessorCount : 1;
        int chunk = (n + parts - 1) / parts;
        void Run(int p)
        {
            int start = p * chunk, end = Math.Min(n, start + chunk);
            switch (output.DType)
            {
                case DType.Float32: { var s = output.Span<float>(); for (int i = start; i < end; i++) s[i] = (float)value(i); break; }
                case DType.Float64: { var s = output.Span<double>(); for (int i = start; i < end; i++) s[i] = value(i); break; }
                default: { var s = output.Span<Half>(); for (int i = start; i < end; i++) s[i] = (Half)value(i); break; }
            }
        }
        if (parts == 1) Run(0);
        else Parallel.For(0, parts, Run);
    }
}
