namespace KerasBackend.Autodiff;

// Gradient of dot_product_attention.
internal static partial class Gradients
{
    /// <summary>
    /// The gradient of the reference composite (<see cref="AttentionReference"/>), recomputed from the inputs as flash
    /// attention's backward pass does: K.Gradients of Σ reference(query, key, value, bias) ⊙ upstream, for the wanted
    /// inputs among query, key, value and bias (the mask is boolean).
    /// </summary>
    public static Tensor?[] DotProductAttention(GradContext g)
    {
        var ins = g.Inputs;
        var wanted = Enumerable.Range(0, 4).Where(i => ins[i] is not null && g.Wants(i)).ToArray();
        var result = new Tensor?[ins.Count];
        if (wanted.Length == 0) return result;
        var output = AttentionReference(ins[0]!, ins[1]!, ins[2]!, ins[3], ins[4], g.Attr<double?>(0, null), g.Attr(1, false));
        var grads = K.Gradients(K.Sum(K.Multiply(output, g.Upstream)), wanted.Select(i => ins[i]!).ToArray());
        for (int j = 0; j < wanted.Length; j++) result[wanted[j]] = grads[j];
        return result;
    }

    /// <summary>
    /// dot_product_attention from K ops (Keras' numpy backend, step by step): logits by broadcasting and a sum over H,
    /// bias, masks through switch with -0.7·finfo(float32 or float64).max, softmax, the weighted sum of the values.
    /// Grouped heads repeat the key and value heads (head n reads kv head n / G).
    /// </summary>
    internal static Tensor AttentionReference(Tensor query, Tensor key, Tensor value, Tensor? bias, Tensor? mask, double? scale, bool isCausal)
    {
        const string op = "dot_product_attention";
        int n = query.Shape[2], kv = key.Shape[2], h = key.Shape[3];
        if (n != kv)
        {
            if (n < 0 || kv < 0)
                throw new KerasValueException(op, "key", $"{op}: the gradient of grouped-query attention needs the head counts known. Received: query.shape={query.Shape}, key.shape={key.Shape}");
            key = K.RepeatElements(key, n / kv, 2);
            value = K.RepeatElements(value, n / kv, 2);
        }
        if (scale is null && h < 0)
            throw new KerasValueException(op, "scale", $"{op}: the gradient needs the head size (or a scale) known. Received: key.shape={key.Shape}");
        double sc = scale ?? 1 / Math.Sqrt(h);
        var q5 = K.ExpandDims(K.PermuteDimensions(query, [0, 2, 1, 3]), 3);   // (B, N, T, 1, H)
        var k5 = K.ExpandDims(K.PermuteDimensions(key, [0, 2, 1, 3]), 2);     // (B, N, 1, S, H)
        var logits = K.Sum(K.Multiply(q5, k5), [4]) * sc;                        // (B, N, T, S)
        if (bias is not null) logits = K.Add(logits, bias);
        var dtype = logits.DType == DType.Float64 ? DType.Float64 : DType.Float32;
        var masked = K.Constant(-0.7 * (dtype == DType.Float64 ? double.MaxValue : float.MaxValue), logits.DType);
        if (mask is not null)
        {
            var m = mask;
            while (m.Rank < 4) m = K.ExpandDims(m, 0);
            logits = K.Switch(m, logits, masked);
        }
        if (isCausal)
        {
            int t = query.Shape[1], s = key.Shape[1];
            if (t < 0 || s < 0)
                throw new KerasValueException(op, "is_causal", $"{op}: the gradient of causal attention needs T and S known. Received: query.shape={query.Shape}, key.shape={key.Shape}");
            var tril = new bool[t * s];
            for (int i = 0; i < t; i++) for (int j = 0; j <= i && j < s; j++) tril[i * s + j] = true;
            logits = K.Switch(K.Constant(tril, DType.Bool, [1, 1, t, s]), logits, masked);
        }
        var probs = K.Softmax(logits, -1);
        var v5 = K.ExpandDims(K.PermuteDimensions(value, [0, 2, 1, 3]), 2);   // (B, N, 1, S, H)
        var o = K.Sum(K.Multiply(K.ExpandDims(probs, 4), v5), [3]);            // (B, N, T, H)
        return K.PermuteDimensions(o, [0, 2, 1, 3]);
    }
}
