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

    /// <summary>random_uniform: out[i] = minval + (maxval - minval) · u(seed, i); chunks run on every core for large outputs.</summary>
    public void RandomUniform(double minval, double maxval, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        FillRandom(output, new UniformValue { K0 = k0, K1 = k1, Min = minval, Max = maxval, DType = output.DType });
    }

    /// <summary>random_normal: out[i] = mean + stddev · z(seed, i); chunks run on every core for large outputs.</summary>
    public void RandomNormal(double mean, double stddev, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        FillRandom(output, new NormalValue { K0 = k0, K1 = k1, Mean = mean, StdDev = stddev });
    }

    private interface IRandomValue
    {
        double At(long i);
    }

    private struct UniformValue : IRandomValue
    {
        public uint K0, K1;
        public double Min, Max;
        public DType DType;
        public readonly double At(long i) => RandomStream.Uniform(i, K0, K1, Min, Max, DType);
    }

    private struct NormalValue : IRandomValue
    {
        public uint K0, K1;
        public double Mean, StdDev;
        public readonly double At(long i) => Mean + StdDev * RandomStream.Normal(i, K0, K1);
    }

    // Element i depends only on (seed, i), so any split of the index range gives the same tensor.
    private static void FillRandom<TV>(Tensor output, TV value) where TV : struct, IRandomValue
    {
        int n = output.Size;
        if (n == 0) return;
        var job = new RandomJob<TV> { Output = output, Value = value, N = n };
        // Each element costs a few dozen ns, so a quarter of the usual threshold already pays for the threads.
        int parts = n >= Elementwise.ParallelThreshold / 4 ? Workers.Threads * 4 : 1;
        job.Chunk = (n + parts - 1) / parts;
        Workers.Run(ref job, parts);
    }

    private struct RandomJob<TV> : IWorkItem where TV : struct, IRandomValue
    {
        public Tensor Output;
        public TV Value;
        public int N, Chunk;

        public readonly void Run(int part)
        {
            int start = part * Chunk, end = Math.Min(N, start + Chunk);
            switch (Output.DType)
            {
                case DType.Float32: { var s = Output.Span<float>(); for (int i = start; i < end; i++) s[i] = (float)Value.At(i); break; }
                case DType.Float64: { var s = Output.Span<double>(); for (int i = start; i < end; i++) s[i] = Value.At(i); break; }
                default: { var s = Output.Span<Half>(); for (int i = start; i < end; i++) s[i] = (Half)Value.At(i); break; }
            }
        }
    }
}
