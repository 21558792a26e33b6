namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>dot_product_attention: the fused blocked kernel of <see cref="Attention"/> in float32 (float16 through it) or float64.</summary>
    public unsafe void DotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? bias, Tensor? mask, double? scale, bool isCausal, Tensor output)
    {
        var ct = ComputeFloat(output.DType);
        var q = As(query, ct);
        var k = As(key, ct);
        var v = As(value, ct);
        var bc = bias is null ? null : As(bias, ct);
        var mc = mask is null ? null : As(mask, DType.Bool);
        var oc = output.DType == ct ? output : Tensor.Uninitialized(ct, output.Shape);
        try
        {
            var p = new Attention.Problem
            {
                B = query.Shape[0], T = query.Shape[1], N = query.Shape[2], H = query.Shape[3], S = key.Shape[1], Kv = key.Shape[2],
                Scale = scale ?? 1 / Math.Sqrt(key.Shape[3]), Causal = isCausal,
            };
            (p.BiasB, p.BiasN, p.BiasT, p.BiasS) = Strides4(bc);
            (p.MaskB, p.MaskN, p.MaskT, p.MaskS) = Strides4(mc);
            fixed (byte* qp = q.Bytes(), kp = k.Bytes(), vp = v.Bytes(), op = oc.Bytes())
            fixed (byte* bp = bc is null ? default : bc.Bytes(), mp = mc is null ? default : mc.Bytes())
            {
                (p.Q, p.K, p.V, p.O, p.Bias, p.Mask) = ((nint)qp, (nint)kp, (nint)vp, (nint)op, (nint)bp, (nint)mp);
                if (oc.Size == 0) return;
                if (p.S == 0) { oc.Bytes().Clear(); return; }
                if (ct == DType.Float64) Attention.Run<double>(ref p);
                else Attention.Run<float>(ref p);
            }
        }
        finally
        {
            Release(q, query);
            Release(k, key);
            Release(v, value);
            if (bc is not null) Release(bc, bias!);
            if (mc is not null) Release(mc, mask!);
        }
        if (!ReferenceEquals(oc, output)) Finish(oc, output);
    }

    /// <summary>Element strides of a tensor broadcast to (B, N, T, S) (left-padded to rank 4; 0 on size-1 axes); zeros for none.</summary>
    private static (long, long, long, long) Strides4(Tensor? t)
    {
        if (t is null) return default;
        Span<long> s = stackalloc long[4];
        long stride = 1;
        for (int d = 3, src = t.Rank - 1; d >= 0; d--, src--)
        {
            int dim = src >= 0 ? t.Shape[src] : 1;
            s[d] = dim == 1 ? 0 : stride;
            stride *= dim;
        }
        return (s[0], s[1], s[2], s[3]);
    }
}
