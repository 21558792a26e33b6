namespace KerasBackend.Backends.Numpy;

// random_bernoulli, random_binomial and truncated_normal from the shared counter-based stream, element by element.
public sealed partial class NumpyBackend
{
    /// <summary>out[i] = 1 if u(seed, i) (rounded to the output dtype) ≤ p else 0.</summary>
    public void RandomBernoulli(double p, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        for (int i = 0; i < output.Size; i++) output.SetDouble(i, RandomStream.Bernoulli(i, k0, k1, p, output.DType));
    }

    /// <summary>random_bernoulli (tf-keras's random_binomial returns it).</summary>
    public void RandomBinomial(double p, int? seed, Tensor output) => RandomBernoulli(p, seed, output);

    /// <summary>out[i] = mean + stddev · z with z the first draw of element i's attempts within [-2, 2].</summary>
    public void TruncatedNormal(double mean, double stddev, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        for (int i = 0; i < output.Size; i++) output.SetDouble(i, mean + stddev * RandomStream.TruncatedNormal(i, k0, k1));
    }
}
