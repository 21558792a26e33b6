namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>
    /// tf.reduce_logsumexp over the axes (see <see cref="Cpu.LogSumExp"/>), in float32 (float64 for float64 outputs). Adjacent
    /// reduced axes are one block; otherwise the reduced axes are first moved last by a transpose.
    /// </summary>
    public void LogSumExp(Tensor x, int[] axis, bool keepdims, Tensor output)
    {
        var ct = ComputeFloat(output.DType);
        var xc = As(x, ct);
        var oc = output.DType == ct ? output : Tensor.Uninitialized(ct, output.Shape);
        var src = xc;
        int outer, n, inner;
        bool adjacent = true;
        for (int k = 1; k < axis.Length; k++) adjacent &= axis[k] == axis[0] + k;
        if (axis.Length == 0) (outer, n, inner) = (x.Size, 1, 1);
        else if (adjacent) (outer, n, inner) = (x.Shape.Prod(0, axis[0]), x.Shape.Prod(axis[0], axis[^1] + 1), x.Shape.Prod(axis[^1] + 1, x.Rank));
        else
        {
            var pattern = Enumerable.Range(0, x.Rank).Where(d => Array.IndexOf(axis, d) < 0).Concat(axis).ToArray();
            src = Tensor.Uninitialized(ct, Shape.Wrap(pattern.Select(d => x.Shape[d]).ToArray()));
            Layout.Permute(xc, pattern, src);
            n = axis.Aggregate(1, (p, d) => p * x.Shape[d]);
            (outer, inner) = (n == 0 ? output.Size : x.Size / n, 1);
        }
        if (ct == DType.Float64) Cpu.LogSumExp.Run<double>(src, outer, n, inner, oc);
        else Cpu.LogSumExp.Run<float>(src, outer, n, inner, oc);
        if (!ReferenceEquals(src, xc)) src.Dispose();
        Finish(oc, output);
        Release(xc, x);
    }
}
