namespace KerasBackend.Samples.Training;

/// <summary>A layer: a function of a (symbolic) tensor with trainable variables, written only against <c>K</c>.</summary>
public interface ILayer
{
    Tensor Call(Tensor x);
    IReadOnlyList<Variable> Weights { get; }
}

/// <summary>Activation functions as Keras names them.</summary>
public static class Activations
{
    public static Tensor Linear(Tensor x) => x;
    public static Tensor Relu(Tensor x) => K.Relu(x);
    public static Tensor Tanh(Tensor x) => K.Tanh(x);
    public static Tensor Softmax(Tensor x) => K.Softmax(x);
}

/// <summary>Keras' default initializers, drawn from a seeded generator so every backend starts from the same weights.</summary>
public static class Initializers
{
    /// <summary>Glorot uniform: U(−l, l) with l = sqrt(6 / (fan_in + fan_out)).</summary>
    public static float[,] GlorotUniform(int fanIn, int fanOut, SeededRandom rng)
    {
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        var w = new float[fanIn, fanOut];
        for (int i = 0; i < fanIn; i++)
            for (int j = 0; j < fanOut; j++)
                w[i, j] = (float)rng.Uniform(-limit, limit);
        return w;
    }

    /// <summary>Orthogonal (Keras' default for recurrent kernels): Gram–Schmidt on a Gaussian matrix.</summary>
    public static float[,] Orthogonal(int n, SeededRandom rng)
    {
        var a = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i, j] = rng.Normal();
        // Orthonormalise the columns one at a time against the ones already done.
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += a[i, j] * a[i, k];
                for (int i = 0; i < n; i++) a[i, j] -= dot * a[i, k];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += a[i, j] * a[i, j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) a[i, j] /= norm;
        }
        var w = new float[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) w[i, j] = (float)a[i, j];
        return w;
    }
}

/// <summary>Keras' <c>Dense</c>: <c>activation(x · kernel + bias)</c>, Glorot-uniform kernel, zero bias.</summary>
public sealed class Dense : ILayer
{
    private readonly Func<Tensor, Tensor> _activation;

    public Dense(int inputDim, int units, Func<Tensor, Tensor>? activation, SeededRandom rng, string name = "dense")
    {
        Kernel = K.Variable(Initializers.GlorotUniform(inputDim, units, rng), name: name + "/kernel");
        Bias = K.Variable(new float[units], name: name + "/bias");
        _activation = activation ?? Activations.Linear;
    }

    public Variable Kernel { get; }
    public Variable Bias { get; }
    public IReadOnlyList<Variable> Weights => [Kernel, Bias];

    public Tensor Call(Tensor x) => _activation(K.Dot(x, Kernel) + Bias);
}

/// <summary>
/// Keras' <c>SimpleRNN</c> (returning the last output): <c>h_t = tanh(x_t · kernel + h_{t−1} · recurrent + bias)</c>,
/// run over time by <c>K.Rnn</c>. Input (batch, time, features), output (batch, units).
/// </summary>
public sealed class SimpleRnn : ILayer
{
    private readonly int _inputDim;

    public SimpleRnn(int inputDim, int units, SeededRandom rng, string name = "simple_rnn")
    {
        _inputDim = inputDim;
        Kernel = K.Variable(Initializers.GlorotUniform(inputDim, units, rng), name: name + "/kernel");
        Recurrent = K.Variable(Initializers.Orthogonal(units, rng), name: name + "/recurrent_kernel");
        Bias = K.Variable(new float[units], name: name + "/bias");
        ZeroState = K.Zeros([inputDim, units]);
    }

    public Variable Kernel { get; }
    public Variable Recurrent { get; }
    public Variable Bias { get; }
    private Tensor ZeroState { get; }
    public IReadOnlyList<Variable> Weights => [Kernel, Recurrent, Bias];

    public Tensor Call(Tensor x)
    {
        // The batch size is unknown while the graph is built, so the zero initial state is derived from the
        // input, as Keras' RNN layer does (it sums zeros_like(inputs) and tiles): (batch, features) · 0 → (batch, units).
        var h0 = K.Dot(K.Sum(x, axis: 1), ZeroState);
        var result = K.Rnn(
            (xt, states) =>
            {
                var h = K.Tanh(K.Dot(xt, Kernel) + K.Dot(states[0], Recurrent) + Bias);
                return (h, new[] { h });
            },
            x, [h0]);
        return result.LastOutput;
    }
}

/// <summary>
/// Keras' <c>Dropout</c> layer: <c>K.Dropout</c> in the train phase, the identity otherwise, chosen by
/// <c>K.InTrainPhase</c> (so a K.Function picks by the phase it is called with). Seeded: every run of the graph
/// draws the next mask of the seed's sequence, the same on every backend.
/// </summary>
public sealed class Dropout(double rate, int seed) : ILayer
{
    public double Rate { get; } = rate;
    public IReadOnlyList<Variable> Weights => [];

    public Tensor Call(Tensor x) => K.InTrainPhase(() => K.Dropout(x, Rate, seed: seed), x);
}

/// <summary>Layers applied in order.</summary>
public sealed class Sequential(params ILayer[] layers) : ILayer
{
    public IReadOnlyList<ILayer> Layers { get; } = layers;

    public IReadOnlyList<Variable> Weights => Layers.SelectMany(l => l.Weights).ToArray();

    public Tensor Call(Tensor x)
    {
        foreach (var layer in Layers) x = layer.Call(x);
        return x;
    }
}
