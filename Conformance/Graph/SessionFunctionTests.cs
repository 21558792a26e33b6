using KerasBackend.Conformance.Cases;

namespace KerasBackend.Conformance.Graph;

/// <summary>
/// The session functions of Spec/ops/session.json where a case file cannot reach: print_tensor's output in eager and graph
/// use, control_dependencies in K.Function, name scopes on graph nodes, the typed symbolic/eager wrappers, and sessions
/// (global state: run alone).
/// </summary>
[Collection(GlobalStateCollection.Name)]
public class SessionFunctionTests
{
    [Fact]
    public void Print_tensor_prints_eagerly_and_on_every_run_of_a_function_and_returns_its_input()
    {
        var w = new StringWriter();
        using (Session.PrintTo(w))
        {
            var x = K.Constant(new float[,] { { 1, 2.5f, 3 }, { 4, 5, 6 } });
            var y = K.PrintTensor(x, "x:");
            Assert.Equal(x.ToDoubleArray(), y.ToDoubleArray());
            Assert.Equal("x: [[1 2.5 3]\n [4 5 6]]\n", w.ToString().Replace("\r\n", "\n"));

            w.GetStringBuilder().Clear();
            var p = K.Placeholder(shape: [null], dtype: DType.Int32);
            var q = K.PrintTensor(p * 2, "twice", summarize: 2);
            Assert.Equal("", w.ToString());   // recording prints nothing
            var f = K.Function([p], [q + 1]);
            var r = f.Call(new[] { 1, 2, 3, 4, 5 });
            f.Call(new[] { 7 });
            Assert.Equal(new double[] { 3, 5, 7, 9, 11 }, r[0].ToDoubleArray());
            Assert.Equal("twice [2 4 ... 8 10]\ntwice [14]\n", w.ToString().Replace("\r\n", "\n"));
        }
    }

    [Fact]
    public void Print_tensor_layout_follows_tf_print()
    {
        Assert.Equal("[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]", TensorPrint.Format(K.Reshape(K.Arange(8), [2, 2, 2]), 3));
        Assert.Equal("[nan inf -inf 0.333333]", TensorPrint.Format(K.Constant(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.0 / 3 }, DType.Float64), -1));
        Assert.Equal("[1 0]", TensorPrint.Format(Tensor.FromArray(new[] { true, false }), 3));
        Assert.Equal("7", TensorPrint.Format(K.Reshape(Tensor.FromArray(new[] { 7 }), []), 3));
        Assert.Equal("[0 ... 9]", TensorPrint.Format(K.Arange(10), 1));
        Assert.Equal("[]", TensorPrint.Format(K.Zeros([0]), 3));
    }

    [Fact]
    public void Print_tensor_writes_to_the_process_writer_outside_a_print_scope()
    {
        var w = new StringWriter();
        var old = Session.PrintOutput;
        Session.PrintOutput = w;
        try { K.PrintTensor(K.Constant(new[] { 1f })); }
        finally { Session.PrintOutput = old; }
        Assert.Equal(" [1]\n", w.ToString().Replace("\r\n", "\n"));   // tf.print("", x): an empty message and a space
    }

    [Fact]
    public void Control_dependencies_apply_an_update_before_the_dependent_read_in_every_call()
    {
        var it = K.Variable(K.Zeros([], DType.Int64), name: "iterations");
        var inc = Session.Symbolic(() => K.UpdateAdd(it, K.Constant(1L, DType.Int64)));
        Tensor t;
        using (K.ControlDependencies([inc])) t = K.Cast(it, DType.Float32);
        var f = K.Function([], [t]);
        Assert.Equal(1, f.Call()[0].ToDoubleArray()[0]);
        Assert.Equal(2, f.Call()[0].ToDoubleArray()[0]);
        Assert.Equal(2, it.GetLong(0));
        Assert.Equal(3, K.Eval(t).GetDouble(0));   // K.Eval runs the plan too
        // Outside the scope nothing depends on the update.
        var plain = K.Function([], [Session.Symbolic(() => K.Cast(it, DType.Float32))]);
        Assert.Equal(3, plain.Call()[0].ToDoubleArray()[0]);
        Assert.Equal(3, it.GetLong(0));
    }

    [Fact]
    public void Control_dependencies_refuse_a_null_entry()
    {
        var ex = Assert.Throws<KerasTypeException>(() => K.ControlDependencies([K.Ones([1]), null!]));
        Assert.Contains("control_dependencies", ex.Message);
    }

    [Fact]
    public void Name_scope_names_recorded_nodes_and_restores_on_exception()
    {
        var p = K.Placeholder(shape: [2]);
        Assert.Null((p * 2).Name);
        try
        {
            using (K.NameScope("block1"))
            {
                Assert.Equal("block1/multiply", (p * 2).Name);
                throw new InvalidOperationException();
            }
        }
        catch (InvalidOperationException) { }
        Assert.Null((p * 2).Name);
        Assert.Throws<KerasValueException>(() => K.NameScope("bad name"));
    }

    [Fact]
    public void Learning_phase_scope_restores_the_phase_when_the_body_throws()
    {
        int before = K.LearningPhase();
        Assert.Throws<InvalidOperationException>(void () =>
        {
            using (K.LearningPhaseScope(1 - before)) { Assert.Equal(1 - before, K.LearningPhase()); throw new InvalidOperationException(); }
        });
        Assert.Equal(before, K.LearningPhase());
        Assert.Throws<KerasValueException>(() => K.LearningPhaseScope(2));
    }

    [Fact]
    public void Symbolic_and_eager_keep_the_delegate_type()
    {
        Func<int, int, int> add = (a, b) => Session.ExecutingEagerly ? a + b : -1;
        Assert.Equal(-1, K.Symbolic(add)(1, 2));
        Assert.Equal(3, Session.Symbolic(() => K.Eager(add)(1, 2)));
        var untyped = K.Symbolic((Delegate)add);
        Assert.IsType<Func<int, int, int>>(untyped);
    }

    [Fact]
    public void Clear_session_starts_a_new_session_and_set_session_brings_the_old_one_back()
    {
        var s0 = K.GetSession();
        int next = K.GetUid("session_test");
        K.ClearSession(freeMemory: false);
        var s1 = K.GetSession();
        Assert.NotSame(s0, s1);
        Assert.Equal(1, K.GetUid("session_test"));
        K.SetSession(s0);
        Assert.Equal(next + 1, K.GetUid("session_test"));
        Assert.True(s0.IsCurrent);
        var ex = Assert.Throws<KerasTypeException>(() => K.SetSession(null));
        Assert.Contains("no TensorFlow session", ex.Message);
    }

    [Fact]
    public void Pattern_broadcast_fixes_the_static_dimension_and_checks_it_when_run()
    {
        var p = K.Placeholder(shape: [null, null]);
        var y = K.PatternBroadcast(p, [true, false]);
        Assert.Equal(new int?[] { 1, null }, K.IntShape(y));
        var f = K.Function([p], [y]);
        Assert.Equal(new double[] { 1, 2 }, f.Call(new float[,] { { 1, 2 } })[0].ToDoubleArray());
        var ex = Assert.Throws<KerasValueException>(() => f.Call(new float[,] { { 1 }, { 2 } }));
        Assert.Contains("pattern_broadcast", ex.Message);
    }

    [Fact]
    public void Ctc_loss_of_a_batch_split_over_the_cores_equals_the_numpy_reference()
    {
        var rnd = new Random(5);
        int batch = 16, time = 40, classes = 10;
        var logits = Tensor.FromSpan<double>(Enumerable.Range(0, batch * time * classes).Select(_ => rnd.NextDouble() * 4).ToArray(), batch, time, classes);
        var lp = logits - K.LogSumExp(logits, axis: -1, keepdims: true);
        var labels = Tensor.FromSpan<int>(Enumerable.Range(0, batch * 12).Select(_ => rnd.Next(classes - 1)).ToArray(), batch, 12);
        var il = Tensor.FromSpan<int>(Enumerable.Range(0, batch).Select(_ => 30 + rnd.Next(11)).ToArray(), batch);
        var ll = Tensor.FromSpan<int>(Enumerable.Range(0, batch).Select(_ => rnd.Next(13)).ToArray(), batch);
        Tensor Run(string backend, bool grad)
        {
            using var _ = Backend.Use(backend);
            return grad ? K.CtcLossGrad(lp, labels, il, ll) : K.CtcLoss(lp, labels, il, ll);
        }
        Assert.Equal(Run("numpy", false).ToDoubleArray(), Run("cpu", false).ToDoubleArray());
        Assert.Equal(Run("numpy", true).ToDoubleArray(), Run("cpu", true).ToDoubleArray());
    }
}
