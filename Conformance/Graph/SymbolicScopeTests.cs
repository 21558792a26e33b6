namespace KerasBackend.Conformance.Graph;

/// <summary>Keras' <c>@symbolic</c>: inside <see cref="Session.Symbolic{T}"/> ops on concrete tensors record nodes too.</summary>
public class SymbolicScopeTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void An_update_of_a_variable_by_a_constant_runs_on_every_call(string backend)
    {
        using var _ = Backend.Use(backend);
        var iterations = K.Variable(0f, name: "iterations");
        var x = K.Placeholder(shape: [2]);
        var step = Session.Symbolic(() => K.UpdateAdd(iterations, K.Constant(1f)));
        Assert.True(step.IsSymbolic);
        Assert.Equal(0f, iterations.ToArray<float>()[0]); // recorded, not run at build time

        var f = K.Function([x], [K.Sum(x)], updates: [step]);
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(3f, f.Call(new[] { 1f, 2f })[0].ToArray<float>()[0]);
            Assert.Equal(i, iterations.ToArray<float>()[0]);
        }
    }

    [Fact]
    public void Ops_on_concrete_inputs_record_and_evaluate_inside_the_scope()
    {
        var a = K.Constant(new[] { 1f, 2f, 3f });
        var y = Session.Symbolic(() => K.Exp(a) * 2);
        Assert.True(y.IsSymbolic);
        Assert.Equal(new Shape(3), y.Shape);
        var v = Session.Symbolic(() => K.Eval(y)); // evaluating inside the scope computes, it does not record again
        Assert.False(v.IsSymbolic);
        Assert.Equal(2 * MathF.Exp(3), v.ToArray<float>()[2], 4);
        Assert.False((K.Exp(a) * 2).IsSymbolic); // outside the scope ops run at once again
    }
}

/// <summary>A term built only from variables (an L2 penalty) is differentiable when built in a symbolic scope.</summary>
public class SymbolicScopeGradientTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void A_variable_only_penalty_gets_its_gradient(string backend)
    {
        using var _ = Backend.Use(backend);
        var w = K.Variable(new[] { 1.0, -2.0, 3.0 }, DType.Float64);
        var x = K.Placeholder(shape: [3], dtype: DType.Float64);
        var (loss, grads) = Session.Symbolic(() =>
        {
            var l = K.Sum(x * w) + K.Sum(w * w) * 0.5;   // data term + L2 penalty on w alone
            return (l, K.Gradients(l, [w]));
        });
        var f = K.Function([x], [loss, grads[0]]);
        var r = f.Call(new[] { 10.0, 20.0, 30.0 });
        Assert.Equal(10 - 40 + 90 + 0.5 * (1 + 4 + 9), r[0].ToArray<double>()[0], 12);
        Assert.Equal(new[] { 11.0, 18.0, 33.0 }, r[1].ToArray<double>()); // d/dw = x + w
    }
}
