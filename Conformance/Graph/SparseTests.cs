namespace KerasBackend.Conformance.Graph;

/// <summary>COO sparse tensors: construction checks, ToDense, sparse × dense products (eager and through K.Function).</summary>
public class SparseTests
{
    private static SparseTensor Sample() =>
        new(new long[,] { { 0, 1 }, { 2, 0 }, { 2, 3 } }, new float[] { 5, -1, 2 }, 3, 4);

    [Fact]
    public void To_dense_places_the_values()
    {
        var s = Sample();
        Assert.True(s.IsSparse);
        Assert.True(K.IsSparse(s));
        Assert.Equal(3, s.Nnz);
        var d = K.ToDense(s);
        Assert.False(d.IsSparse);
        Assert.Equal(new[] { 0f, 5, 0, 0, 0, 0, 0, 0, -1, 0, 0, 2 }, d.ToArray<float>());
        Assert.Same(d, K.ToDense(d));
        var back = SparseTensor.FromDense(d);
        Assert.Equal(new long[] { 0, 1, 2, 0, 2, 3 }, back.Indices.ToArray<long>());
        Assert.Equal(new[] { 5f, -1, 2 }, back.Values.ToArray<float>());
    }

    [Fact]
    public void Bad_coordinates_raise_typed_errors()
    {
        Assert.Throws<KerasIndexException>(() => new SparseTensor(new long[,] { { 0, 4 } }, new float[] { 1 }, 3, 4));
        Assert.Throws<KerasIndexException>(() => new SparseTensor(new long[,] { { -1, 0 } }, new float[] { 1 }, 3, 4));
        Assert.Throws<KerasValueException>(() => new SparseTensor(new long[,] { { 0, 0 }, { 0, 0 } }, new float[] { 1, 2 }, 3, 4));
        Assert.Throws<KerasValueException>(() => new SparseTensor(new long[,] { { 0, 0 } }, new float[] { 1, 2 }, 3, 4));
        Assert.Throws<KerasValueException>(() => new SparseTensor(new long[,] { { 0, 0, 0 } }, new float[] { 1 }, 3, 4));
        // dense ops refuse a sparse tensor with a clear, typed error
        var e = Assert.Throws<KerasTypeException>(() => K.Sum(Sample()));
        Assert.Contains("ToDense", e.Message);
        Assert.Throws<KerasTypeException>(() => K.Variable(Sample()));
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Sparse_dot_equals_the_dense_product(string backend)
    {
        using var _ = Backend.Use(backend);
        var s = Sample();
        var y = K.Constant(Enumerable.Range(0, 8).Select(i => (double)i - 3).ToArray(), DType.Float64, shape: [4, 2]);
        var sparse = K.SparseDot(s, y);
        var dense = K.Dot(K.Cast(K.ToDense(s), DType.Float64), y);
        Assert.Equal(DType.Float64, sparse.DType);
        Assert.Equal(new Shape(3, 2), sparse.Shape);
        Assert.Equal(dense.ToArray<double>(), sparse.ToArray<double>());
        var v = K.SparseDot(s, K.Constant(new float[] { 1, 2, 3, 4 }));
        Assert.Equal(new[] { 10f, 0, 7 }, v.ToArray<float>());
        var err = Assert.Throws<KerasValueException>(() => K.SparseDot(s, K.Constant(new float[3, 2])));
        Assert.Contains("(3, 4)", err.Message);
        Assert.Contains("(3, 2)", err.Message);
    }

    [Fact]
    public void Sparse_placeholders_are_fed_sparse_values()
    {
        var p = K.Placeholder([null, 4], sparse: true);
        var w = K.Variable(new float[,] { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 2, 0 } });
        var y = K.SparseDot(p, w);
        Assert.Equal(new int?[] { null, 2 }, K.IntShape(y));
        var f = K.Function([p], [y, K.ToDense(p)]);
        var r = f.Call(Sample());
        Assert.Equal(new[] { 0f, 5, 0, 0, 3, 0 }, r[0].ToArray<float>()); // rows: 5·w[1]; 0; -1·w[0] + 2·w[3]
        Assert.Equal(K.ToDense(Sample()).ToArray<float>(), r[1].ToArray<float>());
        Assert.Throws<KerasTypeException>(() => f.Call(new float[3, 4]));
    }
}
