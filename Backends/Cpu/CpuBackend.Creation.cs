using System.Numerics;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void Zeros(Tensor output) => output.Bytes().Clear();

    public void Ones(Tensor output) => Dispatch.On(output.DType, new OnesKernel(output));

    private readonly struct OnesKernel(Tensor output) : IDTypeKernel
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T> => output.Span<T>().Fill(T.One);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => output.Span<T>().Fill(T.One);
        public void Bool() => output.Span<bool>().Fill(true);
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
        Dispatch.OnNumeric(output.DType, new FillRandomKernel<TV>(output, value));
    }

    private readonly struct FillRandomKernel<TV>(Tensor output, TV value) : INumericKernel where TV : struct, IRandomValue
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            int n = output.Size;
            var job = new RandomJob<TV, T> { Output = output, Value = value, N = n };
            // Each element costs a few dozen ns, so a quarter of the usual threshold already pays for the threads.
            int parts = n >= Elementwise.ParallelThreshold / 4 ? Workers.Threads * 4 : 1;
            job.Chunk = (n + parts - 1) / parts;
            Workers.Run(ref job, parts);
        }
    }

    private struct RandomJob<TV, T> : IWorkItem where TV : struct, IRandomValue where T : unmanaged, INumber<T>
    {
        public Tensor Output;
        public TV Value;
        public int N, Chunk;

        public readonly void Run(int part)
        {
            int start = part * Chunk, end = Math.Min(N, start + Chunk);
            var s = Output.Span<T>();
            for (int i = start; i < end; i++) s[i] = T.CreateTruncating(Value.At(i));
        }
    }
}
