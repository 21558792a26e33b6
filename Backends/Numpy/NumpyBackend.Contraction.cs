namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>numpy.matmul: per broadcast batch index, the (m, k) · (k, n) product; floats in double, integers in long (wrapping).</summary>
    public void Matmul(Tensor x1, Tensor x2, Tensor output)
    {
        var (a, b) = ShapeRules.MatmulOperands(x1.Shape, x2.Shape);
        int m = a[-2], k = a[-1], n = b[-1];
        var leadA = a.Slice(0, a.Rank - 2);
        var leadB = b.Slice(0, b.Rank - 2);
        var lead = ShapeRules.BroadcastShapes(leadA, leadB);
        var mapA = Indexing.BroadcastMap(leadA, lead);
        var mapB = Indexing.BroadcastMap(leadB, lead);
        bool useFloat = output.DType.IsFloat();
        for (int bt = 0; bt < lead.ElementCount; bt++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sf = 0;
                    long si = 0;
                    for (int t = 0; t < k; t++)
                    {
                        int ia = (mapA[bt] * m + i) * k + t, ib = (mapB[bt] * k + t) * n + j;
                        if (useFloat) sf += x1.GetDouble(ia) * x2.GetDouble(ib);
                        else si += x1.GetLong(ia) * x2.GetLong(ib);
                    }
                    int o = (bt * m + i) * n + j;
                    if (useFloat) output.SetDouble(o, sf);
                    else output.SetLong(o, si);
                }
    }

    /// <summary>numpy.einsum: every combination of the labels, the product of the operands' elements summed into the output (see <see cref="EinsumLoop"/>).</summary>
    public void Einsum(string subscripts, IReadOnlyList<Tensor> operands, Tensor output)
    {
        var spec = EinsumSpec.TryParse(subscripts, operands.Select(o => o.Rank).ToArray(), out _)!;
        spec.TrySizes(operands.Select(o => o.Shape).ToArray(), out var sizes, out _);
        EinsumLoop.Run(spec, sizes, operands, output);
    }
}
