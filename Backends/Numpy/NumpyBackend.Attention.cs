namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>
    /// dot_product_attention as Keras' numpy backend writes it, in double: the logits of one (batch, head, query) row,
    /// bias added, masked logits set to -0.7·finfo.max, a softmax, the weighted sum of value rows.
    /// </summary>
    public void DotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? bias, Tensor? mask, double? scale, bool isCausal, Tensor output)
    {
        int B = query.Shape[0], T = query.Shape[1], N = query.Shape[2], H = query.Shape[3], S = key.Shape[1], Kv = key.Shape[2];
        if (output.Size == 0) return;
        int G = N / Kv;
        double sc = scale ?? 1 / Math.Sqrt(H);
        // Keras: the logits are float32 for float16/float32 inputs, so the masked value is -0.7 · float32 max.
        double masked = -0.7 * (output.DType == DType.Float64 ? double.MaxValue : float.MaxValue);
        var full = new Shape(B, N, T, S);
        var biasMap = bias is null ? null : Indexing.BroadcastMap(bias.Shape, full);
        var maskMap = mask is null ? null : Indexing.BroadcastMap(mask.Shape, full);
        var logits = new double[S];
        for (int b = 0; b < B; b++)
            for (int n = 0; n < N; n++)
                for (int t = 0; t < T; t++)
                {
                    int kv = n / G;
                    double max = double.NegativeInfinity;
                    for (int s = 0; s < S; s++)
                    {
                        double dot = 0;
                        for (int h = 0; h < H; h++)
                            dot += query.GetDouble(((b * T + t) * N + n) * H + h) * key.GetDouble(((b * S + s) * Kv + kv) * H + h);
                        double l = dot * sc;
                        int at = ((b * N + n) * T + t) * S + s;
                        if (biasMap is not null) l += bias!.GetDouble(biasMap[at]);
                        if (maskMap is not null && mask!.GetDouble(maskMap[at]) == 0 || isCausal && s > t) l = masked;
                        logits[s] = l;
                        max = Math.Max(max, l);
                    }
                    double sum = 0;
                    for (int s = 0; s < S; s++) sum += logits[s] = Math.Exp(logits[s] - max);
                    for (int h = 0; h < H; h++)
                    {
                        double o = 0;
                        for (int s = 0; s < S; s++) o += logits[s] / sum * value.GetDouble(((b * S + s) * Kv + kv) * H + h);
                        output.SetDouble(((b * T + t) * N + n) * H + h, o);
                    }
                }
    }
}
