namespace KerasBackend;

// Rules and checks of dot_product_attention (Spec/ops/attention.json).
public static partial class DTypeRules
{
    /// <summary>dot_product_attention: Keras 3's result_type(query, key, value).</summary>
    public static DType Attention(Tensor query, Tensor key, Tensor value) => PromoteAll([query, key, value]);
}

public static partial class Checks
{
    /// <summary>query, key and value are floating (the kernel is a softmax of scaled products).</summary>
    public static bool AttentionFloat(Tensor query, Tensor key, Tensor value) =>
        query.DType.IsFloat() && key.DType.IsFloat() && value.DType.IsFloat();

    /// <summary>query (B, T, N, H), key and value (B, S, K, H) of one shape, with N a multiple of K.</summary>
    public static bool AttentionShapes(Tensor query, Tensor key, Tensor value)
    {
        if (query.Rank != 4 || key.Rank != 4 || value.Rank != 4) return true;
        for (int d = 0; d < 4; d++)
            if (!Same(key.Shape[d], value.Shape[d])) return false;
        if (!Same(query.Shape[0], key.Shape[0]) || !Same(query.Shape[3], key.Shape[3])) return false;
        int n = query.Shape[2], k = key.Shape[2];
        return n < 0 || k < 0 || k > 0 && n % k == 0 || k == 0 && n == 0;
    }

    /// <summary>An optional bias or mask of rank at most 4 that broadcasts to (B, N, T, S).</summary>
    public static bool AttentionBroadcast(Tensor query, Tensor key, Tensor? t)
    {
        if (t is null || query.Rank != 4 || key.Rank != 4) return true;
        if (t.Rank > 4) return false;
        int[] target = [query.Shape[0], query.Shape[2], query.Shape[1], key.Shape[1]];
        for (int i = 1; i <= t.Rank; i++)
        {
            int a = t.Shape[^i], b = target[^i];
            if (a != b && a != 1 && a >= 0 && b >= 0) return false;
        }
        return true;
    }

    private static bool Same(int a, int b) => a == b || a < 0 || b < 0;
}
