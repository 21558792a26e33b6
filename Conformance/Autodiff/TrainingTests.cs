namespace KerasBackend.Conformance.Autodiff;

/// <summary>Keras 2 training: K.Gradients + K.Function(inputs, outputs, updates), on every backend.</summary>
public class TrainingTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void The_gradient_graph_reads_variables_when_it_runs(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([null, 2], dtype: DType.Float64);
        var w1 = K.Variable(new double[,] { { 1, 0 }, { 0, 1 } }, DType.Float64);
        var w2 = K.Variable(new double[,] { { 1 }, { 2 } }, DType.Float64);
        var g1 = K.Gradients(K.Sum(K.Dot(K.Dot(x, w1), w2)), [w1])[0];
        var f = K.Function([x], [g1]);
        var xv = new double[,] { { 1, 2 }, { 3, 4 } };
        // d/dw1[i, j] = (Σ_b x[b, i]) · w2[j]
        Assert.Equal(new[] { 4.0, 8, 6, 12 }, f.Call(xv)[0].ToArray<double>());
        K.SetValue(w2, new double[,] { { -1 }, { 0.5 } });
        Assert.Equal(new[] { -4.0, 2, -6, 3 }, f.Call(xv)[0].ToArray<double>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Sgd_updates_fit_a_linear_model(string backend)
    {
        using var _ = Backend.Use(backend);
        // y = 2·x0 - 3·x1 + 1 on a small grid
        var xs = new float[16, 2];
        var ys = new float[16, 1];
        for (int i = 0; i < 16; i++)
        {
            xs[i, 0] = (i % 4) / 2f - 0.75f;
            xs[i, 1] = (i / 4) / 2f - 0.75f;
            ys[i, 0] = 2 * xs[i, 0] - 3 * xs[i, 1] + 1;
        }
        var x = K.Placeholder([null, 2]);
        var y = K.Placeholder([null, 1]);
        var w = K.Variable(new float[,] { { 0 }, { 0 } }, name: "w");
        var b = K.Variable(new float[] { 0 }, name: "b");
        var err = K.Subtract(K.Add(K.Dot(x, w), b), y);
        var loss = K.Sum(K.Multiply(err, err)) / 16.0;
        var grads = K.Gradients(loss, [w, b]);
        var train = K.Function([x, y], [loss], [K.UpdateSub(w, grads[0] * 0.5), K.UpdateSub(b, grads[1] * 0.5)]);
        double first = train.Call(xs, ys)[0].GetDouble(0), last = first;
        for (int step = 0; step < 200; step++) last = train.Call(xs, ys)[0].GetDouble(0);
        Assert.True(first > 1, $"initial loss {first}");
        Assert.True(last < 1e-8, $"loss after 200 SGD steps: {last}");
        var wv = K.GetValue(w).ToArray<float>();
        Assert.Equal(2f, wv[0], 3);
        Assert.Equal(-3f, wv[1], 3);
        Assert.Equal(1f, K.GetValue(b).ToArray<float>()[0], 3);
    }
}
