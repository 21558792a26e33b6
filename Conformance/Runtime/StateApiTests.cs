namespace KerasBackend.Conformance.Runtime;

/// <summary>The state functions of K (Keras names) and their validation.</summary>
[Collection(ConfigCollection.Name)]
public sealed class StateApiTests : IDisposable
{
    private readonly ConfigSandbox _box = new();

    public StateApiTests()
    {
        _box.KerasHome();
        _box.Activate();
    }

    public void Dispose() => _box.Dispose();

    [Fact]
    public void Defaults_are_Keras_defaults()
    {
        Assert.Equal("cpu", K.Backend());
        Assert.Equal("float32", K.Floatx());
        Assert.Equal(1e-7, K.Epsilon());
        Assert.Equal("channels_last", K.ImageDataFormat());
        Assert.Equal(0, K.LearningPhase());
        Assert.False(Session.IsLearningPhaseSet);
    }

    [Theory]
    [InlineData("float16", DType.Float16)]
    [InlineData("float32", DType.Float32)]
    [InlineData("float64", DType.Float64)]
    public void Set_floatx_changes_the_dtype_of_later_tensors(string name, DType dtype)
    {
        K.SetFloatx(name);
        Assert.Equal(name, K.Floatx());
        Assert.Equal(dtype, Config.Floatx);
        Assert.Equal("code", Config.Current.SourceOf("floatx"));
        Assert.Equal(dtype, K.Variable(new[] { 10 }).DType);
        Assert.Equal(dtype, K.Ones([2]).DType);
        Assert.Equal(dtype, K.CastToFloatx(2).DType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("beerfloat")]
    [InlineData("float8")]
    [InlineData("int32")]
    [InlineData("bfloat16")]
    public void Set_floatx_rejects_other_values_and_leaves_floatx_unchanged(string bad)
    {
        K.SetFloatx("float64");
        var e = Assert.Throws<KerasValueException>(() => K.SetFloatx(bad));
        Assert.Equal($"Unknown `floatx` value: '{bad}'. Expected one of {{'float16', 'float32', 'float64'}}", e.Reason);
        Assert.Equal("set_floatx", e.Op);
        Assert.Equal("value", e.ParamName);
        Assert.Equal("ValueError", e.KerasKind);
        Assert.Equal("float64", K.Floatx());
    }

    [Fact]
    public void Set_floatx_null_is_a_type_error()
    {
        var e = Assert.Throws<KerasTypeException>(() => K.SetFloatx(null!));
        Assert.Equal("set_floatx", e.Op);
    }

    [Fact]
    public void Epsilon_round_trips_and_rejects_non_finite_or_negative_values()
    {
        K.SetEpsilon(1e-4);
        Assert.Equal(1e-4, K.Epsilon());
        Assert.Equal("code", Config.Current.SourceOf("epsilon"));
        K.SetEpsilon(0);
        Assert.Equal(0, K.Epsilon());
        foreach (var (bad, shown) in new[] { (double.NaN, "nan"), (double.PositiveInfinity, "inf"), (-1e-7, "-1e-07") })
        {
            var e = Assert.Throws<KerasValueException>(() => K.SetEpsilon(bad));
            Assert.Equal($"`epsilon` must be a finite, non-negative number. Received: value={shown}", e.Reason);
            Assert.Equal(0, K.Epsilon());
        }
    }

    [Fact]
    public void Image_data_format_is_lower_cased_and_validated()
    {
        K.SetImageDataFormat("Channels_First");
        Assert.Equal("channels_first", K.ImageDataFormat());
        var e = Assert.Throws<KerasValueException>(() => K.SetImageDataFormat("channels_middle"));
        Assert.Equal("The `data_format` argument must be one of {'channels_first', 'channels_last'}. Received: data_format='channels_middle'", e.Reason);
        Assert.Equal("set_image_data_format", e.Op);
        Assert.Equal("data_format", e.ParamName);
        Assert.Equal("channels_first", K.ImageDataFormat());
    }

    [Fact]
    public void Learning_phase_is_0_or_1_and_clear_session_forgets_it()
    {
        K.SetLearningPhase(1);
        Assert.Equal(1, K.LearningPhase());
        Assert.True(Session.IsLearningPhaseSet);
        var e = Assert.Throws<KerasValueException>(() => K.SetLearningPhase(2));
        Assert.Equal("Expected learning phase to be 0 or 1. Received: value=2", e.Reason);
        Assert.Equal("set_learning_phase", e.Op);
        Assert.Equal(1, K.LearningPhase());
        K.ClearSession();
        Assert.Equal(0, K.LearningPhase());
        Assert.False(Session.IsLearningPhaseSet);
    }

    [Fact]
    public void Learning_phase_scope_and_the_function_override_nest_and_stay_in_their_async_flow()
    {
        K.SetLearningPhase(0);
        using (Session.LearningPhaseScope(1))
        {
            Assert.Equal(1, K.LearningPhase());
            // Work started from here inherits the scope (like Python's contextvars); an unrelated flow does not see it.
            Assert.Equal(1, Task.Run(K.LearningPhase).Result);
            int unrelated = -1;
            var thread = new Thread(() => unrelated = K.LearningPhase());
            using (ExecutionContext.SuppressFlow()) thread.Start();
            thread.Join();
            Assert.Equal(0, unrelated);
            // A K.Function call fed a phase wins over every setting while it runs.
            using (KerasBackend.Graph.LearningPhaseScope.Enter(0))
            {
                Assert.Equal(0, K.LearningPhase());
                Assert.Equal(0, KerasBackend.Graph.LearningPhaseScope.Current);
            }
            Assert.Equal(1, K.LearningPhase());
            Assert.Equal(1, KerasBackend.Graph.LearningPhaseScope.Current);
        }
        Assert.Equal(0, K.LearningPhase());
        Assert.Throws<KerasValueException>(() => Session.LearningPhaseScope(-1));
        K.SetLearningPhase(1);
        Assert.Equal(1, KerasBackend.Graph.LearningPhaseScope.Current);
    }

    [Fact]
    public void A_function_that_is_not_fed_the_phase_reads_set_learning_phase_and_scopes()
    {
        var x = K.Placeholder([]);
        var y = x * K.Cast(KerasBackend.Graph.LearningPhaseScope.Placeholder, DType.Float32);
        var f = K.Function([x], [y]);
        Assert.Equal(0f, f.Call(5f)[0].ToArray<float>()[0]);
        K.SetLearningPhase(1);
        Assert.Equal(5f, f.Call(5f)[0].ToArray<float>()[0]);
        using (Session.LearningPhaseScope(0))
            Assert.Equal(0f, f.Call(5f)[0].ToArray<float>()[0]);
        Assert.Equal(0f, f.CallWithLearningPhase(0, 5f)[0].ToArray<float>()[0]);
        K.ClearSession(freeMemory: false);
        Assert.Equal(0f, f.Call(5f)[0].ToArray<float>()[0]);
    }

    [Fact]
    public void Get_uid_counts_per_prefix_from_1_and_reset_uids_restarts()
    {
        Assert.Equal(1, K.GetUid("foo"));
        Assert.Equal(2, K.GetUid("foo"));
        Assert.Equal(1, K.GetUid("bar"));
        Assert.Equal(1, K.GetUid());
        K.ResetUids();
        Assert.Equal(1, K.GetUid("foo"));
        K.GetUid("dense");
        K.ClearSession(freeMemory: false);
        Assert.Equal(1, K.GetUid("dense"));
    }

    [Fact]
    public void Variable_names_come_from_uids_and_restart_after_clear_session()
    {
        K.ResetUids();
        var a = K.Variable(1.0);
        var b = K.Variable(1.0);
        Assert.Equal("variable_1", a.Name);
        Assert.Equal("variable_2", b.Name);
        K.ClearSession();
        Assert.Equal("variable_1", K.Variable(1.0).Name);
    }

    [Fact]
    public void Cast_to_floatx_converts_tensors_numbers_and_arrays()
    {
        var v = K.Variable(new[] { 1.5, 2.5 }, DType.Float64);
        var c = K.CastToFloatx(v);
        Assert.Equal(DType.Float32, c.DType);
        Assert.Equal(new[] { 1.5f, 2.5f }, c.ToArray<float>());
        var two = K.CastToFloatx(2);
        Assert.Equal(DType.Float32, two.DType);
        Assert.Equal(0, two.Shape.Rank);
        Assert.Equal(2f, two.ToArray<float>()[0]);
        Assert.Equal(new[] { 1f, 2f, 3f }, K.CastToFloatx(new[] { 1, 2, 3 }).ToArray<float>());
    }

    [Fact]
    public void Manual_variable_initialization_is_recorded_and_cleared()
    {
        Assert.False(Session.ManualVariableInitialization);
        K.ManualVariableInitialization(true);
        Assert.True(Session.ManualVariableInitialization);
        K.ClearSession(freeMemory: false);
        Assert.False(Session.ManualVariableInitialization);
    }

    [Fact]
    public void Symbolic_and_eager_scopes_set_the_mode_for_their_body_only()
    {
        Assert.Equal(ExecutionMode.Default, Session.Mode);
        Assert.True(Session.ExecutingEagerly);
        Assert.Equal(ExecutionMode.Symbolic, Session.Symbolic(() => Session.Mode));
        Assert.False(Session.Symbolic(() => Session.ExecutingEagerly));
        Assert.Equal(ExecutionMode.Eager, Session.Symbolic(() => Session.Eager(() => Session.Mode)));
        var wrapped = Session.Eager((int x) => (Session.Mode, x + 1));
        Assert.Equal((ExecutionMode.Eager, 3), wrapped(2));
        Assert.Equal(ExecutionMode.Default, Session.Mode);
        Assert.Throws<InvalidOperationException>(() => Session.Symbolic<int>(() => throw new InvalidOperationException()));
        Assert.Equal(ExecutionMode.Default, Session.Mode);
    }

    [Fact]
    public void Every_state_function_is_in_the_registry_and_invocable_by_keras_name()
    {
        string[] names = ["backend", "epsilon", "set_epsilon", "floatx", "set_floatx", "cast_to_floatx", "image_data_format",
            "set_image_data_format", "learning_phase", "set_learning_phase", "clear_session", "get_uid", "reset_uids",
            "manual_variable_initialization"];
        var state = OpRegistry.All.Where(o => o.Category == "state").Select(o => o.Name).Order().ToArray();
        Assert.Equal(names.Order().ToArray(), state);

        OpRegistry.Invoke("set_floatx", new Dictionary<string, object?> { ["value"] = "float64" });
        Assert.Equal("float64", OpRegistry.Invoke("floatx", new Dictionary<string, object?>()));
        Assert.Equal("cpu", OpRegistry.Invoke("backend", new Dictionary<string, object?>()));
        Assert.Equal(1, OpRegistry.Invoke("get_uid", new Dictionary<string, object?> { ["prefix"] = "reg" }));
        Assert.Equal(2, OpRegistry.Invoke("get_uid", new Dictionary<string, object?> { ["prefix"] = "reg" }));
        var e = Assert.Throws<KerasValueException>(() => OpRegistry.Invoke("set_learning_phase", new Dictionary<string, object?> { ["value"] = 7 }));
        Assert.Equal("set_learning_phase", e.Op);
    }
}
