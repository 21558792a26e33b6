using KerasBackend.Graph;

namespace KerasBackend.Conformance.Graph;

/// <summary>Placeholders, symbolic graphs and K.Function, on every built-in backend.</summary>
public class FunctionTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Function_computes_outputs_then_applies_updates(string backend)
    {
        // tf-keras backend_test: function([x1, x2], [x1 + cast(x2) + v, x1 * cast(x2)], updates=[update(v, x1)]).
        using var _ = Backend.Use(backend);
        var x1 = K.Placeholder([], dtype: DType.Float32);
        var x2 = K.Placeholder([], dtype: DType.Int32);
        var v = K.Variable(10.0);
        var y1 = x1 + K.Cast(x2, DType.Float32) + v;
        var y2 = x1 * K.Cast(x2, DType.Float32);
        var f = K.Function([x1, x2], [y1, y2], [K.Update(v, x1)]);
        var r = f.Call(2.0f, 3);
        Assert.Equal(15f, r[0].ToArray<float>()[0]);
        Assert.Equal(6f, r[1].ToArray<float>()[0]);
        Assert.Equal(2f, K.GetValue(v).ToArray<float>()[0]);
        // The variable is read at each call: now v = 2.
        r = f.Call(1.0f, 1);
        Assert.Equal(4f, r[0].ToArray<float>()[0]);
        Assert.Equal(1f, K.GetValue(v).ToArray<float>()[0]);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Updates_as_pairs_and_increments_apply_in_order(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([2]);
        var v = K.Variable(new float[] { 1, 2 });
        var w = K.Variable(new float[] { 0, 0 });
        var f = K.Function([x], [K.Sum(v)], [(v, v + x), K.UpdateAdd(w, x), K.UpdateSub(w, x * 0.5)]);
        var r = f.Call(new float[] { 10, 20 });
        Assert.Equal(3f, r[0].ToArray<float>()[0]);              // outputs see the values before the updates
        Assert.Equal(new[] { 11f, 22 }, v.ToArray<float>());
        Assert.Equal(new[] { 5f, 10 }, w.ToArray<float>());       // w + x, then w - x/2
        f.Call(new float[] { 1, 1 });
        Assert.Equal(new[] { 12f, 23 }, v.ToArray<float>());
        Assert.Equal(new[] { 5.5f, 10.5f }, w.ToArray<float>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Update_values_are_computed_before_any_assignment(string backend)
    {
        // Two updates that read each other's variable: both new values come from the start-of-call values (a swap).
        using var _ = Backend.Use(backend);
        var dummy = K.Placeholder([]);
        var a = K.Variable(1.0);
        var b = K.Variable(2.0);
        var f = K.Function([dummy], [dummy], [(a, b + dummy), (b, a + dummy)]);
        f.Call(0.0f);
        Assert.Equal(2f, a.ToArray<float>()[0]);
        Assert.Equal(1f, b.ToArray<float>()[0]);
    }

    [Fact]
    public void Placeholder_shapes_follow_keras()
    {
        var p = K.Placeholder([null, 4]);
        Assert.Equal(new int?[] { null, 4 }, K.IntShape(p));
        Assert.Equal("float32", K.DType(p));
        Assert.Equal(2, K.Ndim(p));
        Assert.True(K.IsPlaceholder(p));
        Assert.False(K.IsKerasTensor(p));
        var q = K.Placeholder(ndim: 3, dtype: DType.Int64, name: "q");
        Assert.Equal(new int?[] { null, null, null }, K.IntShape(q));
        Assert.Equal("q", q.Name);
        Assert.Equal("int64", K.DType(q));
        // shape wins over ndim
        Assert.Equal(new int?[] { 5 }, K.IntShape(K.Placeholder([5], ndim: 3)));
        Assert.Throws<KerasValueException>(() => K.Placeholder());
        var e = Assert.Throws<KerasValueException>(() => K.Placeholder([2, -3]));
        Assert.Contains("(2, -3)", e.Message);
        Assert.Equal("placeholder", e.Op);
    }

    [Fact]
    public void Ops_on_placeholders_record_static_shapes_with_unknown_dims()
    {
        var x = K.Placeholder([null, 3]);
        var w = K.Variable(new float[3, 5]);
        var y = K.Dot(x, w);
        Assert.True(y.IsSymbolic);
        Assert.Equal(new int?[] { null, 5 }, K.IntShape(y));
        var s = K.Sum(y, 1, keepdims: true);
        Assert.Equal(new int?[] { null, 1 }, K.IntShape(s));
        Assert.Equal("float32", K.DType(s));
        Assert.Equal("sum", GraphBuilder.NodeOf(s)!.Op);
        Assert.Same(y, GraphBuilder.NodeOf(s)!.Inputs[0]);
        Assert.Null(GraphBuilder.NodeOf(w));
    }

    [Fact]
    public void A_certain_shape_error_is_raised_while_building_the_graph()
    {
        var x = K.Placeholder([null, 3]);
        var e = Assert.ThrowsAny<KerasValueException>(() => K.Dot(x, K.Placeholder([4, 2])));
        Assert.Equal("dot", e.Op);
        Assert.Contains("(None, 3)", e.Message);
        Assert.Contains("(4, 2)", e.Message);
        var e2 = Assert.ThrowsAny<KerasValueException>(() => K.Add(x, K.Placeholder([null, 4])));
        Assert.Contains("(None, 4)", e2.Message);
        // an unknown dimension is not an error at build time
        Assert.Equal(new int?[] { null, 3 }, K.IntShape(K.Add(x, K.Placeholder([null, null]))));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Unknown_dimensions_take_the_fed_size_and_checks_run_again(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([null, null]);
        var y = K.Placeholder([null, 2]);
        var f = K.Function([x, y], [K.Dot(x, y)]);
        var r = f.Call(new float[,] { { 1, 2, 3 } }, new float[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });
        Assert.Equal(new Shape(1, 2), r[0].Shape);
        Assert.Equal(new[] { 4f, 5 }, r[0].ToArray<float>());
        var e = Assert.ThrowsAny<KerasValueException>(() => f.Call(new float[,] { { 1, 2 } }, new float[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } }));
        Assert.Equal("dot", e.Op);
    }

    [Fact]
    public void Fed_values_are_checked_against_the_placeholder()
    {
        var x = K.Placeholder([null, 2], name: "feats");
        var f = K.Function([x], [x * 2]);
        var e = Assert.Throws<KerasValueException>(() => f.Call(new float[,] { { 1, 2, 3 } }));
        Assert.Contains("(1, 3)", e.Message);
        Assert.Contains("feats", e.Message);
        Assert.Contains("(None, 2)", e.Message);
        Assert.Throws<KerasValueException>(() => f.Call(new float[] { 1, 2 }));                       // rank
        Assert.Throws<KerasValueException>(() => f.Call());                                           // count
        Assert.Throws<KerasValueException>(() => f.Call(new float[,] { { 1, 2 } }, 3.0));
        var t = Assert.Throws<KerasTypeException>(() => f.Call(K.Constant(new double[,] { { 1, 2 } }, DType.Float64)));
        Assert.Contains("float64", t.Message);
        // a lossless dtype and C# arrays of another type convert
        Assert.Equal(new[] { 2f, 4 }, f.Call(K.Constant(new int[,] { { 1, 2 } }, DType.Int32))[0].ToArray<float>());
        Assert.Equal(new[] { 2f, 4 }, f.Call(new double[,] { { 1, 2 } })[0].ToArray<float>());
        Assert.Equal(new[] { 2f, 4 }, f.Call(new List<List<double>> { new() { 1, 2 } })[0].ToArray<float>());
    }

    [Fact]
    public void Function_arguments_are_checked_when_it_is_made()
    {
        var x = K.Placeholder([2]);
        var z = K.Placeholder([2], name: "zz");
        Assert.Throws<KerasValueException>(() => K.Function([x], [x + z]));                // a needed placeholder is not an input
        Assert.Throws<KerasTypeException>(() => K.Function([x * 2], [x]));                 // not a placeholder
        Assert.Throws<KerasTypeException>(() => K.Function([K.Constant(1.0)], [x]));
        Assert.Throws<KerasValueException>(() => K.Function([x, x], [x]));
        var v = K.Variable(new float[2]);
        Assert.Throws<KerasTypeException>(() => K.Function([x], [x], [x * 2]));            // not an update
        Assert.Throws<KerasValueException>(() => K.Function([x], [x], [K.Update(v, K.Constant(new float[2]))])); // applied eagerly
        Assert.Throws<KerasValueException>(() => K.Function([x], [x], [(v, K.Placeholder([3]))]));
        Assert.Throws<KerasTypeException>(() => K.Function([x], [x], [(K.Constant(1.0), x)]));
        Assert.Throws<KerasValueException>(() => K.Update(v, K.Placeholder([3])));
        Assert.Throws<KerasTypeException>(() => K.Update(K.Constant(new float[2]), x));
    }

    [Fact]
    public void Outputs_belong_to_the_caller()
    {
        var x = K.Placeholder([2]);
        var v = K.Variable(new float[] { 1, 2 });
        var f = K.Function([x], [x, v, x * 1.0, x]);
        var fed = K.Constant(new float[] { 3, 4 });
        var r = f.Call(fed);
        Assert.NotSame(fed, r[0]);
        Assert.NotSame(v, r[1]);
        Assert.NotSame(r[0], r[3]);
        foreach (var t in r) t.Dispose();
        Assert.Equal(new[] { 3f, 4 }, fed.ToArray<float>());
        Assert.Equal(new[] { 1f, 2 }, v.ToArray<float>());
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Concurrent_calls_equal_serial_calls(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([null, 8]);
        var wm = K.Variable(K.Constant(Enumerable.Range(0, 32).Select(i => (float)Math.Cos(i)).ToArray(), shape: [8, 4]));
        var f = K.Function([x], [K.Sum(K.Dot(x, wm) * 2.0 - 1.0, 1)]);
        var inputs = Enumerable.Range(0, 40).Select(n =>
        {
            var a = new float[n % 5 + 1, 8];
            for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < 8; j++) a[i, j] = (n * 31 + i * 7 + j) % 11 - 5;
            return a;
        }).ToArray();
        var serial = inputs.Select(a => f.Call(a)[0].ToArray<float>()).ToArray();
        var parallel = new float[inputs.Length][];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var __ = Backend.Use(backend);
            parallel[i] = f.Call(inputs[i])[0].ToArray<float>();
        });
        for (int i = 0; i < inputs.Length; i++) Assert.Equal(serial[i], parallel[i]);

        // With updates, concurrent calls serialize: 40 increments of 1 give +40 exactly.
        var counter = K.Variable(0.0, DType.Float64);
        var one = K.Placeholder([], dtype: DType.Float64);
        var g = K.Function([one], [counter], [K.UpdateAdd(counter, one)]);
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => g.Call(1.0));
        Assert.Equal(40.0, counter.ToArray<double>()[0]);
    }

    [Fact]
    public void Learning_phase_can_be_fed()
    {
        var x = K.Placeholder([]);
        var phase = LearningPhaseScope.Placeholder;
        Assert.Equal("keras_learning_phase", phase.Name);
        // train: x * 1 + 0, test: x * 0 + ... computed from the phase value as a tensor
        var y = x * K.Cast(phase, DType.Float32);
        var f = K.Function([x, phase], [y]);
        Assert.Equal(5f, f.Call(5f, 1)[0].ToArray<float>()[0]);
        Assert.Equal(0f, f.Call(5f, 0)[0].ToArray<float>()[0]);
        // not among the inputs: it takes the phase of the call
        var g = K.Function([x], [y]);
        Assert.Equal(0f, g.Call(5f)[0].ToArray<float>()[0]);
        Assert.Equal(5f, g.CallWithLearningPhase(1, 5f)[0].ToArray<float>()[0]);
        Assert.Null(LearningPhaseScope.Override);
        Assert.Throws<KerasValueException>(() => g.CallWithLearningPhase(2, 5f));
    }

    [Fact]
    public void Input_makes_keras_tensors()
    {
        var i = K.Input([4]);
        Assert.Equal(new int?[] { null, 4 }, K.IntShape(i));
        Assert.True(K.IsKerasTensor(i));
        Assert.True(K.IsKerasTensor(K.Dot(i, K.Variable(new float[4, 2]))));
        Assert.Equal(new int?[] { 8, 4 }, K.IntShape(K.Input([4], batchSize: 8)));
        // tf-keras: not a tensor → ValueError; a variable or a plain placeholder → false
        Assert.Throws<KerasValueException>(() => K.IsKerasTensor(new[] { 1, 2 }));
        Assert.Throws<KerasValueException>(() => K.IsKerasTensor(0));
        Assert.False(K.IsKerasTensor(K.Variable(1.0)));
        Assert.False(K.IsKerasTensor(K.Placeholder([1])));
    }

    [Fact]
    public void Eval_of_symbolic_tensors()
    {
        var v = K.Variable(new float[] { 1, 2, 3 });
        var c = K.Constant(2.0);
        var s = K.Shape(K.Placeholder([null, 3]));
        Assert.True(s.IsSymbolic);
        Assert.Equal(new int?[] { 2 }, K.IntShape(s));
        var e = Assert.Throws<KerasValueException>(() => K.Eval(s));
        Assert.Contains("placeholder", e.Message);
        Assert.Equal(new[] { 1f, 2, 3 }, K.Eval(v).ToArray<float>());
        Assert.Equal(4.0f, K.Eval(c * c).ToArray<float>()[0]);
        var p = K.Placeholder([null, 3]);
        var f = K.Function([p], [K.Shape(p), K.Size(p)]);
        var r = f.Call(new float[2, 3]);
        Assert.Equal(new[] { 2, 3 }, r[0].ToArray<int>());
        Assert.Equal(6, r[1].ToArray<int>()[0]);
    }
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Shared_and_concrete_values_survive_the_disposal_of_intermediates(string backend)
    {
        // identity returns its input: the constant must not be disposed as an intermediate, on any call.
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([2]);
        var c = K.Constant(new float[] { 1, 2 });
        var v = K.Variable(new float[] { 10, 20 });
        var y = K.Identity(c) * 2.0 + K.Identity(x) + K.Identity(v);
        var f = K.Function([x], [y, K.Identity(y)]);
        for (int call = 0; call < 3; call++)
        {
            var fed = K.Constant(new float[] { 100, 200 });
            var r = f.Call(fed);
            Assert.Equal(new[] { 112f, 224 }, r[0].ToArray<float>());
            Assert.Equal(new[] { 112f, 224 }, r[1].ToArray<float>());
            Assert.NotSame(r[0], r[1]);
            Assert.Equal(new[] { 100f, 200 }, fed.ToArray<float>());
        }
        Assert.Equal(new[] { 1f, 2 }, c.ToArray<float>());
        Assert.Equal(new[] { 10f, 20 }, v.ToArray<float>());
    }
}
