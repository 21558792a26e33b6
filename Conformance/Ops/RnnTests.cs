namespace KerasBackend.Conformance.Ops;

/// <summary>rnn: Keras' literal backend tests, every option, the documented errors, and symbolic use.</summary>
public class RnnTests
{
    private static Tensor Seq(int samples, int time, int features, DType dtype = DType.Float32) =>
        K.Constant(Enumerable.Range(0, samples * time * features).Select(i => (double)i / 10).ToArray(), dtype, shape: [samples, time, features]);

    private static (Tensor, IReadOnlyList<Tensor>) IdentityCount(Tensor x, IReadOnlyList<Tensor> s) =>
        (K.Identity(x), s.Select(t => t + 1.0).ToList());

    /// <summary>A plain loop over time written with arrays: the oracle for the linear step h = x·W + h·U.</summary>
    private static double[,,] LinearOracle(double[] x, int n, int t, int d, double[] w, double[] u, int units, bool backwards, bool[,]? mask)
    {
        var outs = new double[n, t, units];
        for (int b = 0; b < n; b++)
        {
            var h = new double[units];
            var prev = new double[units];
            for (int i = 0; i < t; i++)
            {
                int step = backwards ? t - 1 - i : i;
                var o = new double[units];
                for (int j = 0; j < units; j++)
                {
                    for (int k = 0; k < d; k++) o[j] += x[(b * t + step) * d + k] * w[k * units + j];
                    for (int k = 0; k < units; k++) o[j] += h[k] * u[k * units + j];
                }
                if (mask is not null && !mask[b, step]) o = (double[])prev.Clone();
                else h = o;
                for (int j = 0; j < units; j++) outs[b, i, j] = o[j];
                prev = o;
            }
        }
        return outs;
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Keras_masked_identity_step_repeats_outputs_and_keeps_states(string backend)
    {
        using var _ = Backend.Use(backend);
        // Keras 2.3 backend_test: 4 steps; sample 1 has its last 2 steps masked.
        var x = Seq(2, 4, 3);
        var mask = K.Constant(new double[,] { { 1, 1, 1, 1 }, { 1, 1, 0, 0 } });
        foreach (bool unroll in new[] { false, true })
        {
            var (last, outputs, states) = K.Rnn(IdentityCount, x, [K.Zeros([2, 5])], mask: mask, unroll: unroll, inputLength: 4);
            Assert.Equal(new Shape(2, 4, 3), outputs.Shape);
            var o = outputs.ToArray<float>();
            var xs = x.ToArray<float>();
            for (int t = 0; t < 4; t++) for (int f = 0; f < 3; f++)
            {
                Assert.Equal(xs[t * 3 + f], o[t * 3 + f]);
                Assert.Equal(xs[(4 + Math.Min(t, 1)) * 3 + f], o[(4 + t) * 3 + f]);
            }
            Assert.Equal(new[] { 4f, 4, 4, 4, 4, 2, 2, 2, 2, 2 }, states[0].ToArray<float>());
            Assert.Equal(o.Skip(9).Take(3).Concat(o.Skip(21).Take(3)).ToArray(), last.ToArray<float>());
        }
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Linear_rnn_with_constants_matches_a_plain_loop(string backend)
    {
        using var _ = Backend.Use(backend);
        int n = 3, t = 5, d = 4, units = 2;
        var xv = Enumerable.Range(0, n * t * d).Select(i => Math.Sin(i) / 2).ToArray();
        var wv = Enumerable.Range(0, d * units).Select(i => Math.Cos(i) / 3).ToArray();
        var uv = Enumerable.Range(0, units * units).Select(i => (i - 1.5) / 5).ToArray();
        var x = K.Constant(xv, DType.Float64, shape: [n, t, d]);
        var w = K.Constant(wv, DType.Float64, shape: [d, units]);
        var u = K.Constant(uv, DType.Float64, shape: [units, units]);
        var maskv = new bool[,] { { true, true, true, true, true }, { true, false, true, false, true }, { false, false, true, true, false } };
        var mask = K.Constant(maskv, DType.Bool);
        foreach (bool backwards in new[] { false, true })
            foreach (bool useMask in new[] { false, true })
            {
                var r = K.Rnn(RnnSteps.ByName["linear_rnn"], x, [K.Zeros([n, units], DType.Float64)], goBackwards: backwards,
                    mask: useMask ? mask : null, constants: [w, u]);
                var want = LinearOracle(xv, n, t, d, wv, uv, units, backwards, useMask ? maskv : null);
                var got = r.Outputs.ToArray<double>();
                for (int b = 0; b < n; b++) for (int i = 0; i < t; i++) for (int j = 0; j < units; j++)
                    Assert.Equal(want[b, i, j], got[(b * t + i) * units + j], 12);
                var last = r.LastOutput.ToArray<double>();
                for (int b = 0; b < n; b++) for (int j = 0; j < units; j++) Assert.Equal(want[b, t - 1, j], last[b * units + j], 12);
            }
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Go_backwards_returns_outputs_in_iteration_order(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Seq(1, 3, 1);
        var (_, outputs, states) = K.Rnn(RnnSteps.ByName["accumulate"], x, [K.Zeros([1, 1])], goBackwards: true);
        Assert.Equal(new[] { 0.2f, 0.3f, 0.3f }, outputs.ToArray<float>());
        Assert.Equal(new[] { 0.3f }, states[0].ToArray<float>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Zero_output_for_mask_emits_zeros_at_masked_steps(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Seq(2, 3, 1) + 1.0;
        var mask = K.Constant(new[,] { { 1, 0, 1 }, { 1, 1, 0 } }, DType.Int32);
        var (last, outputs, states) = K.Rnn(RnnSteps.ByName["accumulate"], x, [K.Zeros([2, 1])], mask: mask, zeroOutputForMask: true);
        Assert.Equal(new[] { 1f, 0, 1 + 1.2f, 1.3f, 1.3f + 1.4f, 0 }, outputs.ToArray<float>());
        Assert.Equal(new[] { 1 + 1.2f, 0 }, last.ToArray<float>());
        Assert.Equal(new[] { 1 + 1.2f, 1.3f + 1.4f }, states[0].ToArray<float>());
        // Without the option the masked steps repeat the previous output.
        var plain = K.Rnn(RnnSteps.ByName["accumulate"], x, [K.Zeros([2, 1])], mask: mask);
        Assert.Equal(new[] { 1f, 1, 1 + 1.2f, 1.3f, 1.3f + 1.4f, 1.3f + 1.4f }, plain.Outputs.ToArray<float>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Time_major_gives_the_transposed_result(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = Seq(2, 3, 2);
        var mask = K.Constant(new[,] { { 1.0, 0, 1 }, { 1, 1, 1 } });
        var a = K.Rnn(RnnSteps.ByName["accumulate"], x, [K.Zeros([2, 2])], mask: mask);
        var b = K.Rnn(RnnSteps.ByName["accumulate"], K.PermuteDimensions(x, [1, 0, 2]), [K.Zeros([2, 2])], mask: K.Transpose(mask), timeMajor: true);
        Assert.Equal(new Shape(3, 2, 2), b.Outputs.Shape);
        Assert.Equal(a.Outputs.ToArray<float>(), K.PermuteDimensions(b.Outputs, [1, 0, 2]).ToArray<float>());
        Assert.Equal(a.States[0].ToArray<float>(), b.States[0].ToArray<float>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Four_d_outputs_and_states_of_other_shapes(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Ones([2, 3, 4, 5]);
        var (last, outputs, states) = K.Rnn((xt, s) => (xt * 2.0, [s[0] + 1.0, s[1] * 2.0]), x, [K.Zeros([2, 7]), K.Ones([2])]);
        Assert.Equal(new Shape(2, 3, 4, 5), outputs.Shape);
        Assert.Equal(new Shape(2, 4, 5), last.Shape);
        Assert.All(outputs.ToArray<float>(), v => Assert.Equal(2f, v));
        Assert.All(states[0].ToArray<float>(), v => Assert.Equal(3f, v));
        Assert.All(states[1].ToArray<float>(), v => Assert.Equal(8f, v));
        var none = K.Rnn((xt, s) => (xt + 1.0, s), x, []);
        Assert.Empty(none.States);
        Assert.All(none.Outputs.ToArray<float>(), v => Assert.Equal(2f, v));
    }

    [Fact]
    public void Documented_errors()
    {
        var e = Assert.Throws<KerasValueException>(() => K.Rnn(IdentityCount, K.Ones([2, 3]), [K.Zeros([2, 1])]));
        Assert.Equal(("rnn", "inputs"), (e.Op, e.ParamName));
        Assert.Contains("(2, 3)", e.Message);
        var sym = K.Placeholder([null, null, 3]);
        e = Assert.Throws<KerasValueException>(() => K.Rnn(IdentityCount, sym, [K.Zeros([2, 1])], unroll: true));
        Assert.Contains("timesteps", e.Message);
        e = Assert.Throws<KerasValueException>(() => K.Rnn(IdentityCount, K.Ones([2, 3, 1]), [], mask: K.Ones([2, 3])));
        Assert.Equal("initial_states", e.ParamName);
        e = Assert.Throws<KerasValueException>(() => K.Rnn(IdentityCount, K.Ones([2, 3, 1]), [K.Zeros([2, 1])], mask: K.Ones([2, 4])));
        Assert.Equal("mask", e.ParamName);
        e = Assert.Throws<KerasValueException>(() => K.Rnn(IdentityCount, K.Ones([2, 3, 1]), [K.Zeros([2, 1])], inputLength: 5));
        Assert.Equal("input_length", e.ParamName);
        e = Assert.Throws<KerasValueException>(() => K.Rnn((x, s) => (x, []), K.Ones([2, 3, 1]), [K.Zeros([2, 1])]));
        Assert.Equal("step_function", e.ParamName);
    }

    [Fact]
    public void Works_symbolically_with_an_unknown_batch()
    {
        var x = K.Placeholder([null, 3, 2]);
        var h0 = K.Placeholder([null, 2]);
        var (last, outputs, states) = K.Rnn(RnnSteps.ByName["accumulate"], x, [h0], goBackwards: true);
        Assert.True(outputs.IsSymbolic);
        Assert.Equal(new Shape(-1, 3, 2), outputs.Shape);
        var f = K.Function([x, h0], [last, outputs, states[0]]);
        var xv = Seq(2, 3, 2);
        var res = f.Call(xv, K.Ones([2, 2]));
        var eager = K.Rnn(RnnSteps.ByName["accumulate"], xv, [K.Ones([2, 2])], goBackwards: true);
        Assert.Equal(eager.LastOutput.ToArray<float>(), res[0].ToArray<float>());
        Assert.Equal(eager.Outputs.ToArray<float>(), res[1].ToArray<float>());
        Assert.Equal(eager.States[0].ToArray<float>(), res[2].ToArray<float>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Float16_inputs_keep_their_dtype(string backend)
    {
        using var _ = Backend.Use(backend);
        var r = K.Rnn(RnnSteps.ByName["accumulate"], K.Ones([2, 3, 2], DType.Float16), [K.Zeros([2, 2], DType.Float16)], mask: K.Ones([2, 3]));
        Assert.Equal(DType.Float16, r.Outputs.DType);
        Assert.Equal(new[] { (Half)3, (Half)3, (Half)3, (Half)3 }, r.States[0].ToArray<Half>());
    }
}
