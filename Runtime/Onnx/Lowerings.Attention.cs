namespace KerasBackend.Onnx;

// ONNX lowering of dot_product_attention.
internal static partial class Lowerings
{
    /// <summary>
    /// dot_product_attention as Keras' numpy backend writes it: heads to the front (kv heads repeated for grouped
    /// queries), MatMul(q, kᵀ) · scale + bias, Where(mask and the causal tril, ·, -0.7·max), Softmax, MatMul(·, v).
    /// </summary>
    public static void DotProductAttention(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        string q = c.InAs(0, t), k = c.InAs(1, t), v = c.InAs(2, t);
        Shape qs = c.InShape(0), ks = c.InShape(1);
        int n = qs[2], kv = ks[2], h = ks[3];
        if (n != kv)
        {
            // (B, S, K, H) → (B, S, K, G, H) → (B, S, N, H): head n reads kv head n / G.
            long g = n / kv;
            string Repeat(string z) => c.Node("Reshape", [c.Node("Expand", [c.Node("Unsqueeze", [z, c.Ints(3)]), c.Ints(1, 1, 1, g, 1)]), c.Ints(0, 0, -1, h)]);
            k = Repeat(k);
            v = Repeat(v);
        }
        double scale = c.Attr(0) is double s ? s : 1 / Math.Sqrt(h);
        var logits = c.Node("Mul", [c.Node("MatMul", [c.Node("Transpose", [q], ("perm", new long[] { 0, 2, 1, 3 })),
            c.Node("Transpose", [k], ("perm", new long[] { 0, 2, 3, 1 }))]), c.Scalar(scale, t)]);
        if (c.Input(3) is not null) logits = c.Node("Add", [logits, c.InAs(3, t)]);
        string masked = c.Scalar(-0.7 * (t == DType.Float64 ? double.MaxValue : float.MaxValue), t);
        if (c.Input(4) is not null) logits = c.Node("Where", [c.InAs(4, DType.Bool), logits, masked]);
        if (c.Attr(1) is true)
        {
            int tq = qs[1], sk = ks[1];
            var tril = Tensor.Uninitialized(DType.Bool, new Shape(tq, sk));
            for (int i = 0; i < tq; i++) for (int j = 0; j < sk; j++) tril.SetLong(i * sk + j, j <= i ? 1 : 0);
            logits = c.Node("Where", [c.Constant(tril), logits, masked]);
        }
        var probs = c.Node("Softmax", [logits], ("axis", -1L));
        var o = c.Node("MatMul", [probs, c.Node("Transpose", [v], ("perm", new long[] { 0, 2, 1, 3 }))]);
        c.Return(c.Node("Transpose", [o], ("perm", new long[] { 0, 2, 1, 3 })), t);
    }
}
