namespace KerasBackend.Backends.Cpu;

/// <summary>einsum on the cpu: the GEMM plan of a two-operand contraction, and the direct summation for every other form.</summary>
internal static class Contraction
{
    /// <summary>
    /// How a two-operand einsum runs as one batched GEMM: x permuted to (batch, left free, contracted), y to (batch,
    /// contracted, right free) (null: already so), the (batch, m, n) result permuted to the output (null: already so).
    /// </summary>
    internal sealed record Plan(int[] XPerm, int[] YPerm, int[]? OutPerm, int[] ResultDims, int Batch, int M, int K, int N);

    /// <summary>The plan, or null when the form needs the direct summation (a diagonal, an axis summed in one operand only, size-1 broadcasting).</summary>
    public static Plan? GemmPlan(EinsumSpec spec, Shape x, Shape y, Dictionary<int, int> sizes)
    {
        int[] xl = spec.Inputs[0], yl = spec.Inputs[1], ol = spec.Output;
        if (xl.Distinct().Count() != xl.Length || yl.Distinct().Count() != yl.Length) return null;
        for (int i = 0; i < xl.Length; i++) if (x[i] != sizes[xl[i]] || !yl.Contains(xl[i]) && !ol.Contains(xl[i])) return null;
        for (int i = 0; i < yl.Length; i++) if (y[i] != sizes[yl[i]] || !xl.Contains(yl[i]) && !ol.Contains(yl[i])) return null;
        var batch = ol.Where(l => xl.Contains(l) && yl.Contains(l)).ToArray();
        var left = ol.Where(l => xl.Contains(l) && !yl.Contains(l)).ToArray();
        var right = ol.Where(l => yl.Contains(l) && !xl.Contains(l)).ToArray();
        var contracted = xl.Where(l => yl.Contains(l) && !ol.Contains(l)).ToArray();
        int Prod(int[] ls) => ls.Aggregate(1, (p, l) => p * sizes[l]);
        var xPerm = batch.Concat(left).Concat(contracted).Select(l => Array.IndexOf(xl, l)).ToArray();
        var yPerm = batch.Concat(contracted).Concat(right).Select(l => Array.IndexOf(yl, l)).ToArray();
        var result = batch.Concat(left).Concat(right).ToArray();
        var outPerm = ol.Select(l => Array.IndexOf(result, l)).ToArray();
        bool identity = outPerm.Select((p, i) => p == i).All(z => z);
        return new Plan(xPerm, yPerm, identity ? null : outPerm, result.Select(l => sizes[l]).ToArray(), Prod(batch), Prod(left), Prod(contracted), Prod(right));
    }

    /// <summary>Any other form: the direct summation shared with the numpy backend.</summary>
    public static void Sum(EinsumSpec spec, Dictionary<int, int> sizes, IReadOnlyList<Tensor> operands, Tensor output) =>
        EinsumLoop.Run(spec, sizes, operands, output);
}
