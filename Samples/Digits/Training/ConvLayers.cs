namespace KerasBackend.Samples.Training;

/// <summary>Keras' <c>Reshape</c>: each sample to <paramref name="shape"/> (the batch axis is kept, whatever its size).</summary>
public sealed class Reshape(params int[] shape) : ILayer
{
    public IReadOnlyList<Variable> Weights => [];

    public Tensor Call(Tensor x) => K.Reshape(x, [-1, .. shape]);
}

/// <summary>Keras' <c>Flatten</c>: (batch, d1, d2, ...) → (batch, d1·d2·...), the sample shape known.</summary>
public sealed class Flatten : ILayer
{
    public IReadOnlyList<Variable> Weights => [];

    public Tensor Call(Tensor x) => K.Reshape(x, [-1, x.Shape.ToArray()[1..].Aggregate(1, (a, b) => a * b)]);
}

/// <summary>
/// Keras' <c>Conv2D</c> (channels_last): <c>activation(bias_add(conv2d(x, kernel, strides, padding), bias))</c>, kernel
/// (kh, kw, in, filters) Glorot-uniform over the receptive field (fan_in = kh·kw·in, fan_out = kh·kw·filters), zero bias.
/// </summary>
public sealed class Conv2D : ILayer
{
    private readonly Func<Tensor, Tensor> _activation;
    private readonly string _padding;

    public Conv2D(int inChannels, int filters, int kernelSize, Func<Tensor, Tensor>? activation, SeededRandom rng, string padding = "same", string name = "conv2d")
    {
        int fanIn = kernelSize * kernelSize * inChannels, fanOut = kernelSize * kernelSize * filters;
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        var w = new float[kernelSize * kernelSize * inChannels * filters];
        for (int i = 0; i < w.Length; i++) w[i] = (float)rng.Uniform(-limit, limit);
        Kernel = K.Variable(K.Constant(w, DType.Float32, [kernelSize, kernelSize, inChannels, filters]), name: name + "/kernel");
        Bias = K.Variable(new float[filters], name: name + "/bias");
        _activation = activation ?? Activations.Linear;
        _padding = padding;
    }

    public Variable Kernel { get; }
    public Variable Bias { get; }
    public IReadOnlyList<Variable> Weights => [Kernel, Bias];

    public Tensor Call(Tensor x) => _activation(K.BiasAdd(K.Conv2d(x, Kernel, padding: _padding, dataFormat: "channels_last"), Bias, "channels_last"));
}

/// <summary>Keras' <c>MaxPooling2D</c> / <c>AveragePooling2D</c> (channels_last): strides default to the pool size, as the layers do.</summary>
public sealed class Pooling2D(int poolSize, string mode = "max", string padding = "valid") : ILayer
{
    public IReadOnlyList<Variable> Weights => [];

    public Tensor Call(Tensor x) => K.Pool2d(x, [poolSize, poolSize], [poolSize, poolSize], padding, "channels_last", mode);
}
