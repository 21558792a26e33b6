namespace KerasBackend.Autodiff;

// Gradient of dot_product_attention.
internal static partial class Gradients
{
    /// <summary>
    /// The backward pass of attention written out as K ops (recomputing the probabilities from the inputs, as flash
    /// attention's backward pass does), so that it is itself differentiable and gradients of gradients see every path,
    /// the upstream gradient's included. With P = softmax(Z), Z = scale · Q·Kᵀ + bias (masked), O = P·V and dO the
    /// upstream gradient: dV = Pᵀ·dO, dP = dO·Vᵀ, dZ = P ⊙ (dP − Σ_s dP ⊙ P) (zero where masked), dQ = scale · dZ·K,
    /// dK = scale · dZᵀ·Q, d bias = dZ summed to bias's shape; grouped heads sum dK and dV over their G query heads.
    /// </summary>
    public static Tensor?[] DotProductAttention(GradContext g)
    {
        var ins = g.Inputs;
        var result = new Tensor?[ins.Count];
        var wanted = Enumerable.Range(0, 4).Where(i => ins[i] is not null && g.Wants(i)).ToArray();
        if (wanted.Length == 0) return result;
        var (dq, dk, dv, dz) = AttentionBackward(ins[0]!, ins[1]!, ins[2]!, ins[3], ins[4], g.Attr<double?>(0, null), g.Attr(1, false), g.Upstream);
        Tensor?[] all = [dq, dk, dv, dz];
        foreach (int i in wanted) result[i] = GradOps.Fit(all[i]!, ins[i]!);
        return result;
    }

    /// <summary>dQ (B, T, N, H), dK and dV (B, S, K, H), and dZ (B, N, T, S), the gradient of the logits (of the bias before it is summed to bias's shape).</summary>
    internal static (Tensor Dq, Tensor Dk, Tensor Dv, Tensor Dz) AttentionBackward(Tensor query, Tensor key, Tensor value, Tensor? bias, Tensor? mask,
        double? scale, bool isCausal, Tensor upstream)
    {
        const string op = "dot_product_attention";
        int n = query.Shape[2], kv = key.Shape[2], h = key.Shape[3];
        int groups = 1;
        if (n != kv)
        {
            if (n < 0 || kv < 0)
                throw new KerasValueException(op, "key", $"{op}: the gradient of grouped-query attention needs the head counts known. Received: query.shape={query.Shape}, key.shape={key.Shape}");
            groups = n / kv;
            key = K.RepeatElements(key, groups, 2);
            value = K.RepeatElements(value, groups, 2);
        }
        if (scale is null && h < 0)
            throw new KerasValueException(op, "scale", $"{op}: the gradient needs the head size (or a scale) known. Received: key.shape={key.Shape}");
        double sc = scale ?? 1 / Math.Sqrt(h);
        var q = K.PermuteDimensions(query, [0, 2, 1, 3]);                     // (B, N, T, H)
        var k = K.PermuteDimensions(key, [0, 2, 1, 3]);                       // (B, N, S, H)
        var v = K.PermuteDimensions(value, [0, 2, 1, 3]);                     // (B, N, S, H)
        var logits = K.Matmul(q, K.PermuteDimensions(key, [0, 2, 3, 1])) * sc; // (B, N, T, S)
        if (bias is not null) logits = K.Add(logits, bias);
        var keep = AttentionKeep(mask, isCausal, query.Shape[1], key.Shape[1]);
        if (keep is not null)
        {
            var dtype = logits.DType == DType.Float64 ? DType.Float64 : DType.Float32;
            logits = K.Where(keep, logits, K.Constant(-0.7 * (dtype == DType.Float64 ? double.MaxValue : float.MaxValue), logits.DType));
        }
        var p = K.Softmax(logits, -1);
        var dout = K.PermuteDimensions(upstream, [0, 2, 1, 3]);                // (B, N, T, H)
        var dv = K.Matmul(K.PermuteDimensions(p, [0, 1, 3, 2]), dout);         // (B, N, S, H)
        var dp = K.Matmul(dout, K.PermuteDimensions(v, [0, 1, 3, 2]));         // (B, N, T, S)
        var dz = K.Multiply(p, K.Subtract(dp, K.Sum(K.Multiply(dp, p), [3], keepdims: true)));
        if (keep is not null) dz = K.Where(keep, dz, K.ZerosLike(dz));
        var dq = K.PermuteDimensions(K.Matmul(dz, k) * sc, [0, 2, 1, 3]);                                    // (B, T, N, H)
        var dk = K.PermuteDimensions(K.Matmul(K.PermuteDimensions(dz, [0, 1, 3, 2]), q) * sc, [0, 2, 1, 3]); // (B, S, N, H)
        var dvs = K.PermuteDimensions(dv, [0, 2, 1, 3]);                                                      // (B, S, N, H)
        if (groups > 1)
        {
            dk = SumGroups(dk, kv, groups);
            dvs = SumGroups(dvs, kv, groups);
        }
        return (dq, dk, dvs, dz);
    }

    /// <summary>(B, S, K·G, H) → (B, S, K, H): the sum over the G query heads that read each kv head (head n reads n / G).</summary>
    private static Tensor SumGroups(Tensor x, int kv, int groups)
    {
        var dims = x.Shape.ToArray();
        int[] shape = [dims[0] < 0 ? -1 : dims[0], dims[1] < 0 ? -1 : dims[1], kv, groups, dims[3] < 0 ? -1 : dims[3]];
        if (shape.Count(d => d < 0) > 1)
            throw new KerasValueException("dot_product_attention", "key",
                $"dot_product_attention: the gradient of grouped-query attention needs at most one unknown dimension. Received: shape={x.Shape}");
        return K.Sum(K.Reshape(x, shape), [3]);
    }

    /// <summary>Where a logit takes part: the boolean mask (nonzero is true) and, with is_causal, s ≤ t; null when every logit does.</summary>
    private static Tensor? AttentionKeep(Tensor? mask, bool isCausal, int t, int s)
    {
        Tensor? keep = null;
        if (mask is not null) keep = mask.DType == DType.Bool ? mask : K.NotEqual(mask, K.ZerosLike(mask));
        if (isCausal)
        {
            if (t < 0 || s < 0)
                throw new KerasValueException("dot_product_attention", "is_causal",
                    $"dot_product_attention: the gradient of causal attention needs T and S known. Received: T={Format.Py(t < 0 ? null : t)}, S={Format.Py(s < 0 ? null : s)}");
            var tril = new bool[t * s];
            for (int i = 0; i < t; i++) for (int j = 0; j <= i && j < s; j++) tril[i * s + j] = true;
            var causal = K.Constant(tril, DType.Bool, [t, s]);
            keep = keep is null ? causal : K.LogicalAnd(keep, causal);
        }
        return keep;
    }
}
