namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    public void Zeros(Tensor output) { for (int i = 0; i < output.Size; i++) output.SetDouble(i, 0); }
    public void Ones(Tensor output) { for (int i = 0; i < output.Size; i++) output.SetDouble(i, 1); }

    /// <summary>numpy astype: float → int truncates (NaN/inf → min value); int → narrower int wraps; → bool is "nonzero".</summary>
    public void Cast(Tensor x, Tensor output)
    {
        for (int i = 0; i < output.Size; i++)
        {
            if (output.DType == DType.Bool) output.SetLong(i, x.GetDouble(i) != 0 ? 1 : 0);
            else if (output.DType.IsFloat()) output.SetDouble(i, x.GetDouble(i));
            else output.SetLong(i, x.GetLong(i));
        }
    }
}

public sealed partial class NumpyBackend
{
    /// <summary>numpy.eye(n, m): out[i, j] = 1 if i == j else 0.</summary>
    public void Eye(int[] size, Tensor output)
    {
        int n = output.Shape[0], m = output.Shape[1];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                output.SetDouble(i * m + j, i == j ? 1 : 0);
    }

    public void ZerosLike(Tensor x, Tensor output) { for (int i = 0; i < output.Size; i++) output.SetDouble(i, 0); }

    public void OnesLike(Tensor x, Tensor output) { for (int i = 0; i < output.Size; i++) output.SetDouble(i, 1); }

    /// <summary>numpy.copy(x).</summary>
    public void Identity(Tensor x, Tensor output) { for (int i = 0; i < output.Size; i++) CopyElement(x, i, output, i); }

    /// <summary>out[i] = minval + (maxval - minval) · u(seed, i), u from the shared counter-based stream.</summary>
    public void RandomUniform(double minval, double maxval, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        for (int i = 0; i < output.Size; i++) output.SetDouble(i, RandomStream.Uniform(i, k0, k1, minval, maxval, output.DType));
    }

    /// <summary>out[i] = mean + stddev · z(seed, i), z standard normal from the shared counter-based stream.</summary>
    public void RandomNormal(double mean, double stddev, int? seed, Tensor output)
    {
        var (k0, k1) = RandomStream.Key(RandomStream.Resolve(seed));
        for (int i = 0; i < output.Size; i++) output.SetDouble(i, mean + stddev * RandomStream.Normal(i, k0, k1));
    }
}
