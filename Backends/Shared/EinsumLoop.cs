namespace KerasBackend.Backends;

/// <summary>
/// einsum by direct summation, shared by the numpy backend (its reference) and the cpu backend (forms that are not one
/// GEMM): every combination of the labels, output labels first, adds the product of the operands' elements to its
/// output element. Floats accumulate in double, integers in long (wrapping into the output as numpy's astype does).
/// </summary>
public static class EinsumLoop
{
    internal static void Run(EinsumSpec spec, Dictionary<int, int> sizes, IReadOnlyList<Tensor> operands, Tensor output)
    {
        var labels = spec.AllLabels();
        var extent = labels.Select(l => sizes[l]).ToArray();
        // Per operand and label: the element stride (0 for a label it lacks or an axis of size 1 it broadcasts);
        // a label repeated within an operand (a diagonal) adds its axes' strides.
        var strides = operands.Select((o, i) =>
        {
            var s = new long[labels.Length];
            var st = o.Shape.Strides();
            for (int ax = 0; ax < o.Rank; ax++)
                if (o.Shape[ax] != 1) s[Array.IndexOf(labels, spec.Inputs[i][ax])] += st[ax];
            return s;
        }).ToArray();
        bool useFloat = output.DType.IsFloat();
        var f = useFloat ? operands.Select(o => Enumerable.Range(0, o.Size).Select(o.GetDouble).ToArray()).ToArray() : null;
        var n = useFloat ? null : operands.Select(o => Enumerable.Range(0, o.Size).Select(o.GetLong).ToArray()).ToArray();
        var accF = new double[output.Size];
        var accI = new long[output.Size];
        long total = extent.Aggregate(1L, (p, d) => p * d);
        var at = new int[labels.Length];
        var off = new long[operands.Count];
        int outRank = spec.Output.Length;
        for (long step = 0; step < total; step++)
        {
            long o = 0;
            for (int d = 0; d < outRank; d++) o = o * extent[d] + at[d];
            if (useFloat)
            {
                double p = 1;
                for (int i = 0; i < f!.Length; i++) p *= f[i][off[i]];
                accF[o] += p;
            }
            else
            {
                long p = 1;
                for (int i = 0; i < n!.Length; i++) p *= n[i][off[i]];
                accI[o] += p;
            }
            for (int d = labels.Length - 1; d >= 0; d--)
            {
                for (int i = 0; i < off.Length; i++) off[i] += strides[i][d];
                if (++at[d] < extent[d]) break;
                for (int i = 0; i < off.Length; i++) off[i] -= strides[i][d] * extent[d];
                at[d] = 0;
            }
        }
        for (int i = 0; i < output.Size; i++)
        {
            if (useFloat) output.SetDouble(i, accF[i]);
            else output.SetLong(i, accI[i]);
        }
    }
}
