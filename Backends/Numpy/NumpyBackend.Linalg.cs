namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>numpy.dot: out[i..., j..., n] = Σ_k x[i..., k] · y[j..., k, n].</summary>
    public void Dot(Tensor x, Tensor y, Tensor output)
    {
        int k = x.Shape[-1];
        int m = x.Size / Math.Max(k, 1);
        if (k == 0) m = x.Shape.Prod(0, x.Rank - 1);
        int n = y.Rank >= 2 ? y.Shape[-1] : 1;
        int batches = y.Rank >= 2 ? y.Shape.Prod(0, y.Rank - 2) : 1;
        bool useFloat = output.DType.IsFloat();
        for (int i = 0; i < m; i++)
            for (int b = 0; b < batches; b++)
                for (int j = 0; j < n; j++)
                {
                    int o = (i * batches + b) * n + j;
                    if (useFloat)
                    {
                        double s = 0;
                        for (int t = 0; t < k; t++) s += x.GetDouble(i * k + t) * y.GetDouble((b * k + t) * n + j);
                        output.SetDouble(o, s);
                    }
                    else
                    {
                        long s = 0;
                        for (int t = 0; t < k; t++) s = unchecked(s + x.GetLong(i * k + t) * y.GetLong((b * k + t) * n + j));
                        output.SetLong(o, s);
                    }
                }
    }
}
