namespace KerasBackend.Backends.Cpu;

// random_bernoulli, random_binomial and truncated_normal: the stream's elements filled on every core (see FillRandom).
public sealed partial class CpuBackend
{
    /// <summary>random_bernoulli: out[i] = u(seed, i) ≤ p ? 1 : 0.</summary>
    public void RandomBernoulli(double p, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        FillRandom(output, new BernoulliValue { K0 = k0, K1 = k1, P = p, DType = output.DType });
    }

    /// <summary>random_binomial: random_bernoulli, as in tf-keras.</summary>
    public void RandomBinomial(double p, int? seed, Tensor output) => RandomBernoulli(p, seed, output);

    /// <summary>truncated_normal: out[i] = mean + stddev · z(seed, i), z redrawn while |z| > 2.</summary>
    public void TruncatedNormal(double mean, double stddev, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        FillRandom(output, new TruncatedNormalValue { K0 = k0, K1 = k1, Mean = mean, StdDev = stddev });
    }

    private struct BernoulliValue : IRandomValue
    {
        public uint K0, K1;
        public double P;
        public DType DType;
        public readonly double At(long i) => RandomStream.Bernoulli(i, K0, K1, P, DType);
    }

    private struct TruncatedNormalValue : IRandomValue
    {
        public uint K0, K1;
        public double Mean, StdDev;
        public readonly double At(long i) => Mean + StdDev * RandomStream.TruncatedNormal(i, K0, K1);
    }
}
