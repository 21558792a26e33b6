namespace KerasBackend.Samples.Training;

/// <summary>Token and position embeddings: <c>take(tokens, ids) + positions</c> (ids arrive as floats and are cast to int32).</summary>
public sealed class Embedding : ILayer
{
    public Embedding(int vocabulary, int length, int dim, SeededRandom rng, string name = "embedding")
    {
        Tokens = K.Variable(Uniform(vocabulary, dim, 0.05, rng), name: name + "/tokens");
        Positions = K.Variable(Uniform(length, dim, 0.05, rng), name: name + "/positions");
    }

    public Variable Tokens { get; }
    public Variable Positions { get; }
    public IReadOnlyList<Variable> Weights => [Tokens, Positions];

    // (batch, time) ids → (batch, time, dim), plus the (time, dim) positions broadcast over the batch.
    public Tensor Call(Tensor x) => K.Add(K.Take(Tokens, K.Cast(x, DType.Int32), axis: 0), Positions);

    /// <summary>Keras' Embedding initializer: U(−limit, limit).</summary>
    internal static float[,] Uniform(int rows, int cols, double limit, SeededRandom rng)
    {
        var w = new float[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) w[i, j] = (float)rng.Uniform(-limit, limit);
        return w;
    }
}

/// <summary>Keras' <c>LayerNormalization</c> over the last axis: <c>K.LayerNormalization(x, gamma, beta)</c>, gamma 1 and beta 0 at first.</summary>
public sealed class LayerNormalizationLayer : ILayer
{
    public LayerNormalizationLayer(int dim, string name = "layer_norm")
    {
        Gamma = K.Variable(Enumerable.Repeat(1f, dim).ToArray(), name: name + "/gamma");
        Beta = K.Variable(new float[dim], name: name + "/beta");
    }

    public Variable Gamma { get; }
    public Variable Beta { get; }
    public IReadOnlyList<Variable> Weights => [Gamma, Beta];
    public Tensor Call(Tensor x) => K.LayerNormalization(x, Gamma, Beta, epsilon: 1e-5);
}

/// <summary>
/// Multi-head self-attention: q, k, v = x·Wq, x·Wk, x·Wv split into heads (batch, time, heads, head_dim), then
/// <c>K.DotProductAttention</c> (softmax(q·kᵀ/√head_dim)·v per head), the heads joined and projected by Wo.
/// </summary>
public sealed class SelfAttention : ILayer
{
    private readonly int _length, _heads, _dim;

    public SelfAttention(int length, int dim, int heads, SeededRandom rng, string name = "attention")
    {
        (_length, _heads, _dim) = (length, heads, dim);
        Query = new Dense(dim, dim, null, rng, name + "/query");
        Key = new Dense(dim, dim, null, rng, name + "/key");
        Value = new Dense(dim, dim, null, rng, name + "/value");
        Output = new Dense(dim, dim, null, rng, name + "/output");
    }

    public Dense Query { get; }
    public Dense Key { get; }
    public Dense Value { get; }
    public Dense Output { get; }
    public IReadOnlyList<Variable> Weights => [.. Query.Weights, .. Key.Weights, .. Value.Weights, .. Output.Weights];

    public Tensor Call(Tensor x)
    {
        Tensor Heads(Tensor t) => K.Reshape(t, [-1, _length, _heads, _dim / _heads]);
        var attended = K.DotProductAttention(Heads(Query.Call(x)), Heads(Key.Call(x)), Heads(Value.Call(x)));
        return Output.Call(K.Reshape(attended, [-1, _length, _dim]));
    }
}

/// <summary>A pre-norm transformer block: <c>h = x + attention(norm(x))</c>, then <c>h + dense(gelu(dense(norm(h))))</c>.</summary>
public sealed class TransformerBlock : ILayer
{
    public TransformerBlock(int length, int dim, int heads, int hidden, SeededRandom rng, string name = "block")
    {
        Norm1 = new LayerNormalizationLayer(dim, name + "/norm_1");
        Attention = new SelfAttention(length, dim, heads, rng, name + "/attention");
        Norm2 = new LayerNormalizationLayer(dim, name + "/norm_2");
        Hidden = new Dense(dim, hidden, x => K.Gelu(x), rng, name + "/mlp_1");
        Back = new Dense(hidden, dim, null, rng, name + "/mlp_2");
    }

    public LayerNormalizationLayer Norm1 { get; }
    public SelfAttention Attention { get; }
    public LayerNormalizationLayer Norm2 { get; }
    public Dense Hidden { get; }
    public Dense Back { get; }
    public IReadOnlyList<Variable> Weights => [.. Norm1.Weights, .. Attention.Weights, .. Norm2.Weights, .. Hidden.Weights, .. Back.Weights];

    public Tensor Call(Tensor x)
    {
        var h = K.Add(x, Attention.Call(Norm1.Call(x)));
        return K.Add(h, Back.Call(Hidden.Call(Norm2.Call(h))));
    }
}

/// <summary>The first position of a sequence, (batch, time, dim) → (batch, dim): <c>K.Take(x, 0, axis: 1)</c>.</summary>
public sealed class FirstPosition : ILayer
{
    public IReadOnlyList<Variable> Weights => [];
    public Tensor Call(Tensor x) => K.Take(x, K.Constant(0, DType.Int32), axis: 1);
}
