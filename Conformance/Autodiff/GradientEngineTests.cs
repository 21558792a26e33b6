using KerasBackend.Autodiff;
using KerasBackend.Graph;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>The backward pass itself: targets, errors, stop_gradient, unconnected variables, dtypes, second derivatives.</summary>
public class GradientEngineTests
{
    private static Tensor Placeholder(int[] shape, DType dtype = DType.Float64, string name = "x") =>
        GraphBuilder.Placeholder(Shape.Wrap(shape), dtype, name);

    private static Tensor[] Eval(IEnumerable<Tensor> outputs, params (Tensor P, Tensor V)[] feed)
    {
        var outs = outputs.ToArray();
        var values = new Plan(outs.Where(o => o.IsSymbolic)).Run(feed.ToDictionary(f => f.P, f => f.V, (IEqualityComparer<Tensor>)ReferenceEqualityComparer.Instance));
        return outs.Select(o => o.IsSymbolic ? values[o] : o).ToArray();
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Gradient_of_a_dense_layer_wrt_its_variables_with_an_unknown_batch(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Placeholder([Shape.Unknown, 3], DType.Float32);
        var w = K.Variable(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, name: "w");
        var b = K.Variable(new float[] { 0.5f, -0.5f }, name: "b");
        var loss = K.Sum(K.Multiply(K.Add(K.Dot(x, w), b), K.Constant(new float[] { 1, 2 })));
        var grads = K.Gradients(loss, [w, b]);
        Assert.Equal(new Shape(3, 2), grads[0].Shape);
        Assert.Equal(new Shape(2), grads[1].Shape);
        var xv = K.Constant(new float[,] { { 1, 0, 2 }, { 3, 1, 1 } });
        var r = Eval(grads, (x, xv));
        // d/dw[i, j] = Σ_batch x[b, i] · c[j] with c = (1, 2); d/db[j] = batch · c[j]
        Assert.Equal(new[] { 4f, 8, 1, 2, 3, 6 }, r[0].ToArray<float>());
        Assert.Equal(new[] { 2f, 4 }, r[1].ToArray<float>());
        Assert.Equal(DType.Float32, r[0].DType);
    }

    [Fact]
    public void A_concrete_loss_is_an_error_that_says_to_use_placeholders()
    {
        var w = K.Variable(new float[] { 1, 2 });
        var e = Assert.Throws<KerasValueException>(() => K.Gradients(K.Sum(w), [w]));
        Assert.Equal("gradients", e.Op);
        Assert.Equal("loss", e.ParamName);
        Assert.Contains("K.Placeholder", e.Message);
        Assert.Contains("K.Function", e.Message);
    }

    [Fact]
    public void An_integer_loss_is_a_type_error()
    {
        var x = Placeholder([2], DType.Int32);
        var e = Assert.Throws<KerasTypeException>(() => K.Gradients(K.Sum(x), [x]));
        Assert.Contains("int32", e.Message);
    }

    [Fact]
    public void A_null_variable_is_named()
    {
        var x = Placeholder([2]);
        var e = Assert.Throws<KerasTypeException>(() => K.Gradients(K.Sum(x), [x, null!]));
        Assert.Equal("variables[1]", e.ParamName);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void An_unconnected_variable_gets_zeros_of_its_shape(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Placeholder([2]);
        var v = K.Variable(new double[,] { { 1, 2, 3 } }, DType.Float64);
        var g = K.Gradients(K.Sum(K.Multiply(x, x)), [v, x]);
        var r = Eval(g, (x, K.Constant(new[] { 3.0, -1 }, DType.Float64)));
        Assert.Equal(new Shape(1, 3), r[0].Shape);
        Assert.Equal(new[] { 0.0, 0, 0 }, r[0].ToArray<double>());
        Assert.Equal(new[] { 6.0, -2 }, r[1].ToArray<double>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Stop_gradient_blocks_the_flow_and_keeps_the_value(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Placeholder([3]);
        var loss = K.Sum(K.Multiply(x, K.StopGradient(x)));
        var xv = K.Constant(new[] { 1.0, -2, 4 }, DType.Float64);
        var r = Eval([loss, .. K.Gradients(loss, [x])], (x, xv));
        Assert.Equal(21.0, r[0].ToArray<double>()[0]);
        Assert.Equal(new[] { 1.0, -2, 4 }, r[1].ToArray<double>()); // d(x·c)/dx = c, not 2x
        var eager = K.StopGradient(xv);
        Assert.NotSame(xv, eager);
        Assert.Equal(xv.ToArray<double>(), eager.ToArray<double>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Second_derivatives_differentiate_the_gradient_graph(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Placeholder([Shape.Unknown]);
        var g = K.Gradients(K.Sum(K.Multiply(K.Multiply(x, x), x)), [x])[0];   // 3x²
        var gg = K.Gradients(K.Sum(g), [x])[0];                                // 6x
        var r = Eval([g, gg], (x, K.Constant(new[] { 1.0, -2, 0.5 }, DType.Float64)));
        Assert.Equal(new[] { 3.0, 12, 0.75 }, r[0].ToArray<double>());
        Assert.Equal(new[] { 6.0, -12, 3 }, r[1].ToArray<double>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Gradients_come_in_the_variables_dtype_after_promotion(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Placeholder([2], DType.Float64);
        var w = K.Variable(new float[] { 2, 3 });
        var g = K.Gradients(K.Sum(K.Multiply(x, w)), [w])[0];
        Assert.Equal(DType.Float32, g.DType);
        var r = Eval([g], (x, K.Constant(new[] { 0.25, -1 }, DType.Float64)));
        Assert.Equal(new[] { 0.25f, -1 }, r[0].ToArray<float>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Nothing_flows_through_a_cast_to_integers(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Placeholder([2], DType.Float32);
        var loss = K.Sum(K.Add(K.Cast(K.Cast(x, DType.Int32), DType.Float32), x));
        var r = Eval(K.Gradients(loss, [x]), (x, K.Constant(new[] { 1.5f, -2.5f })));
        Assert.Equal(new[] { 1f, 1 }, r[0].ToArray<float>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void The_gradient_of_a_non_scalar_loss_sums_it_and_of_the_loss_itself_is_ones(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Placeholder([Shape.Unknown, 2]);
        var y = K.Multiply(x, x);
        var g = K.Gradients(y, [x, y]);
        var r = Eval(g, (x, K.Constant(new double[,] { { 1, 2 }, { 3, 4 } }, DType.Float64)));
        Assert.Equal(new[] { 2.0, 4, 6, 8 }, r[0].ToArray<double>());
        Assert.Equal(new[] { 1.0, 1, 1, 1 }, r[1].ToArray<double>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Gradients_with_respect_to_an_intermediate_tensor(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Placeholder([2]);
        var h = K.Exp(x);
        var loss = K.Sum(K.Multiply(h, h));
        var r = Eval(K.Gradients(loss, [h, x]), (x, K.Constant(new[] { 0.0, 1 }, DType.Float64)));
        var dh = r[0].ToArray<double>();
        var dx = r[1].ToArray<double>();
        Assert.Equal(2.0, dh[0], 12);
        Assert.Equal(2 * Math.E, dh[1], 12);
        Assert.Equal(2.0, dx[0], 12);
        Assert.Equal(2 * Math.E * Math.E, dx[1], 12);
    }
}
