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

public sealed partial class NumpyBackend
{
    /// <summary>
    /// batch_dot: out[b, i..., j...] = Σ_t x[b, i... with t at a0] · y[b, j... with t at a1], i.e.
    /// numpy.tensordot(x[b], y[b], (a0 - 1, a1 - 1)) per sample; the (batch, 1) form has the same elements.
    /// </summary>
    public void BatchDot(Tensor x, Tensor y, int[] axes, Tensor output)
    {
        int a0 = axes[0], a1 = axes[1];
        int batch = x.Shape[0], k = x.Shape[a0];
        var xFree = Enumerable.Range(1, x.Rank - 1).Where(i => i != a0).ToArray();
        var yFree = Enumerable.Range(1, y.Rank - 1).Where(i => i != a1).ToArray();
        int m = xFree.Aggregate(1, (p, i) => p * x.Shape[i]);
        int n = yFree.Aggregate(1, (p, i) => p * y.Shape[i]);
        var xs = x.Shape.Strides();
        var ys = y.Shape.Strides();
        bool useFloat = output.DType.IsFloat();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    int xo = b * xs[0] + Offset(i, xFree, x.Shape, xs);
                    int yo = b * ys[0] + Offset(j, yFree, y.Shape, ys);
                    int o = (b * m + i) * n + j;
                    if (useFloat)
                    {
                        double s = 0;
                        for (int t = 0; t < k; t++) s += x.GetDouble(xo + t * xs[a0]) * y.GetDouble(yo + t * ys[a1]);
                        output.SetDouble(o, s);
                    }
                    else
                    {
                        long s = 0;
                        for (int t = 0; t < k; t++) s = unchecked(s + x.GetLong(xo + t * xs[a0]) * y.GetLong(yo + t * ys[a1]));
                        output.SetLong(o, s);
                    }
                }
    }

    /// <summary>Flat offset of the <paramref name="flat"/>-th row-major combination of the axes <paramref name="free"/>.</summary>
    private static int Offset(int flat, int[] free, Shape shape, int[] strides)
    {
        int off = 0;
        for (int d = free.Length - 1; d >= 0; d--)
        {
            int dim = shape[free[d]];
            off += flat % dim * strides[free[d]];
            flat /= dim;
        }
        return off;
    }
}
