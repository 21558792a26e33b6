namespace KerasBackend.Conformance.Graph;

/// <summary>Variables, eager updates, get/set values and the queries, with the seed's examples read with Keras' real behaviour.</summary>
public class VariableTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Eager_updates_assign_at_once(string backend)
    {
        using var _ = Backend.Use(backend);
        var v = K.Variable(new float[] { 1, 2, 3 });
        Assert.Same(v, K.Update(v, K.Constant(new float[] { 4, 5, 6 })));
        Assert.Equal(new[] { 4f, 5, 6 }, v.ToArray<float>());
        K.UpdateAdd(v, K.Constant(1.0));                        // broadcasts
        Assert.Equal(new[] { 5f, 6, 7 }, v.ToArray<float>());
        K.UpdateSub(v, K.Constant(new double[] { 1, 2, 3 }, DType.Float64)); // cast to the variable's dtype
        Assert.Equal(new[] { 4f, 4, 4 }, v.ToArray<float>());
        Assert.Equal(DType.Float32, v.DType);
        var e = Assert.Throws<KerasValueException>(() => K.UpdateAdd(v, K.Constant(new float[] { 1, 2 })));
        Assert.Contains("(3,)", e.Message);
        Assert.Contains("(2,)", e.Message);
        Assert.Equal(new[] { 4f, 4, 4 }, v.ToArray<float>());  // untouched on error
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Moving_average_update_and_its_zero_debiased_variant(string backend)
    {
        using var _ = Backend.Use(backend);
        // tf-keras docstring: x = 0, value = 2, momentum 0.9 → 0.2; debiased by 1 - 0.9^1 → 2.0.
        var x = K.Variable(0.0);
        K.MovingAverageUpdate(x, K.Constant(2.0), 0.9);
        Assert.Equal(0.2f, x.ToArray<float>()[0], 6);
        var y = K.Variable(0.0);
        K.MovingAverageUpdate(y, K.Constant(2.0), 0.9, zeroDebias: true);
        Assert.Equal(2.0f, y.ToArray<float>()[0], 5);
        // Second step with value 4: biased = 0.2·0.9 + 0.4 = 0.58 → 0.58 / (1 - 0.81) = 3.0526315...
        K.MovingAverageUpdate(y, K.Constant(4.0), 0.9, zeroDebias: true);
        Assert.Equal(0.58 / 0.19, y.ToArray<float>()[0], 5);
        // Plain variant in a K.Function: x ← 0.2·0.9 + 4·0.1 = 0.58
        var p = K.Placeholder([]);
        var f = K.Function([p], [x], [K.MovingAverageUpdate(x, p, 0.9)]);
        var r = f.Call(4f);
        Assert.Equal(0.2f, r[0].ToArray<float>()[0], 6);
        Assert.Equal(0.58f, x.ToArray<float>()[0], 6);
    }

    [Fact]
    public void Constraint_applies_after_every_update_and_trainable_is_kept()
    {
        var v = K.Variable(new float[] { 0.5f, 2, -3 }, constraint: (Func<Tensor, Tensor>)(t => K.Minimum(K.Maximum(t, K.Constant(-1.0)), K.Constant(1.0))), trainable: false);
        Assert.False(v.Trainable);
        Assert.Equal(new[] { 0.5f, 2, -3 }, v.ToArray<float>());       // the initial value is not constrained (Keras)
        K.UpdateAdd(v, K.Constant(1.0));
        Assert.Equal(new[] { 1f, 1, -1 }, v.ToArray<float>());
        K.SetValue(v, new float[] { 5, -5, 0 });
        Assert.Equal(new[] { 1f, -1, 0 }, v.ToArray<float>());
        Assert.True(K.Variable(1.0).Trainable);
        Assert.Throws<KerasTypeException>(() => K.Variable(1.0, constraint: "max_norm"));
    }

    [Fact]
    public void Get_set_and_batch_values()
    {
        var a = K.Variable(new double[,] { { 1, 2 }, { 3, 4 } }, DType.Float64, "a");
        var b = K.Variable(new[] { 1, 2, 3 }, DType.Int32);
        var got = K.GetValue(a);
        Assert.NotSame(a, got);
        Assert.IsNotType<Variable>(got);
        K.SetValue(a, new[,] { { 5, 6 }, { 7, 8 } });                 // ints converted to float64
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, got.ToArray<double>());  // a snapshot
        Assert.Equal(new[] { 5.0, 6, 7, 8 }, a.ToArray<double>());
        Assert.Throws<KerasValueException>(() => K.SetValue(a, new double[] { 1, 2 }));
        Assert.Throws<KerasTypeException>(() => K.SetValue(K.Constant(1.0), 2.0));
        K.BatchSetValue([(a, new double[,] { { 0, 0 }, { 0, 1 } }), (b, new List<int> { 9, 8, 7 })]);
        var values = K.BatchGetValue([a, b, a * 2]);
        Assert.Equal(new[] { 0.0, 0, 0, 1 }, values[0].ToArray<double>());
        Assert.Equal(new[] { 9, 8, 7 }, values[1].ToArray<int>());
        Assert.Equal(new[] { 0.0, 0, 0, 2 }, values[2].ToArray<double>());
        // every pair is checked before any is assigned
        Assert.Throws<KerasValueException>(() => K.BatchSetValue([(a, new double[,] { { 1, 1 }, { 1, 1 } }), (b, new[] { 1 })]));
        Assert.Equal(new[] { 0.0, 0, 0, 1 }, a.ToArray<double>());
        Assert.Throws<KerasTypeException>(() => K.BatchSetValue([(K.Constant(1.0), 1.0)]));
    }

    [Fact]
    public void Queries_follow_keras()
    {
        var v = K.Variable(new[,] { { 1, 2 }, { 3, 4 } });
        var p = K.Placeholder([2, 4, 5]);
        Assert.True(K.IsTensor(v));
        Assert.True(K.IsTensor(p));
        Assert.False(K.IsTensor(new[] { 1, 2 }));
        Assert.False(K.IsTensor(null));
        Assert.True(K.IsVariable(v));
        Assert.False(K.IsVariable(p));
        Assert.False(K.IsVariable(K.Constant(1.0)));
        Assert.True(K.IsPlaceholder(p));
        Assert.False(K.IsPlaceholder(v));
        Assert.False(K.IsPlaceholder(p * 2));
        Assert.Equal(20, K.CountParams(K.Zeros([4, 5])));
        Assert.Equal(4, K.CountParams(v));
        Assert.Throws<KerasValueException>(() => K.CountParams(K.Placeholder([null, 3])));
        Assert.Equal(new[] { 2, 2 }, K.Shape(v).ToArray<int>());
        Assert.Equal(DType.Int32, K.Shape(v).DType);
        Assert.Equal(4, K.Size(v).ToArray<int>()[0]);
        Assert.Equal(0, K.Ndim(K.Constant(3.0)));
    }

    [Fact]
    public void Seed_examples()
    {
        // variable: dtype, name and eval (the seed prints the name; our ToString prints like tf.Variable)
        var kvar = K.Variable(new[,] { { 1, 2 }, { 3, 4 } }, DType.Float64, "example_var");
        Assert.Equal("float64", K.DType(kvar));
        Assert.Equal("example_var", kvar.Name);
        Assert.Equal("<Variable 'example_var' shape=(2, 2) dtype=float64, numpy=array([[1., 2.],\n       [3., 4.]])>", kvar.ToString());
        Assert.Equal("array([[1., 2.],\n       [3., 4.]])", K.Eval(kvar).ToString());
        Assert.Equal("array([[1., 2.],\n       [3., 4.]], dtype=float32)", K.Eval(K.Variable(new[,] { { 1, 2 }, { 3, 4 } }, DType.Float32)).ToString());
        // placeholder, int_shape, ndim, shape, dtype (Keras returns 'float32', not the seed's 'float32_ref')
        var inputs = K.Placeholder([2, 4, 5]);
        Assert.Equal(new int?[] { 2, 4, 5 }, K.IntShape(inputs));
        Assert.Equal(3, K.Ndim(inputs));
        Assert.Equal(2, K.Ndim(kvar));
        Assert.Equal(new int?[] { 2, 2 }, K.IntShape(kvar));
        var shp = K.Shape(inputs);
        Assert.Equal(new int?[] { 3 }, K.IntShape(shp));
        Assert.Equal("int32", K.DType(shp));
        Assert.Equal("array([2, 4, 5], dtype=int32)", K.Function([inputs], [shp]).Call(new float[2, 4, 5])[0].ToString());
        Assert.Equal("array([2, 2], dtype=int32)", K.Eval(K.Shape(kvar)).ToString());
        Assert.Equal("array(4, dtype=int32)", K.Size(kvar).ToString());
        Assert.Equal("float32", K.DType(K.Placeholder([2, 4, 5])));
        Assert.Equal("float64", K.DType(K.Placeholder([2, 4, 5], dtype: DType.Float64)));
        Assert.Equal("float32", K.DType(K.Variable(new[,] { { 1, 2 }, { 3, 4 } })));
        // is_sparse / to_dense on placeholders
        Assert.False(K.IsSparse(K.Placeholder([2, 2], sparse: false)));
        var b = K.Placeholder([2, 2], sparse: true);
        Assert.True(K.IsSparse(b));
        Assert.False(K.IsSparse(K.ToDense(b)));
        // is_keras_tensor
        Assert.Throws<KerasValueException>(() => K.IsKerasTensor(new[] { 1, 2 }));
        Assert.False(K.IsKerasTensor(K.Variable(new[] { 1, 2 })));
        Assert.False(K.IsKerasTensor(K.Placeholder([2, 4, 5])));
        var kerasInput = K.Input([10]);
        Assert.True(K.IsKerasTensor(kerasInput));
        Assert.True(K.IsKerasTensor(K.Dot(kerasInput, K.Variable(new float[10, 10]))));
        // zeros/ones print as the seed shows (numpy's modern spacing)
        Assert.Equal("array([[0., 0., 0., 0.],\n       [0., 0., 0., 0.],\n       [0., 0., 0., 0.]], dtype=float32)", K.Eval(K.Zeros([3, 4])).ToString());
        Assert.Equal("<KerasTensor shape=(2, 4, 5), dtype=float32, name=" + inputs.Name + ">", inputs.ToString());
    }
}
