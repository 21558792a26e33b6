using static KerasBackend.TensorIndex;

namespace KerasBackend.Conformance.Ops;

/// <summary>
/// The C# indexing syntax over strided_slice and strided_slice_update: each form gives numpy's result (values written
/// from numpy's x = arange(24).reshape(2, 3, 4)), errors name the axis, the index and the size, graphs keep unknown
/// dimensions, and gradients flow to x and to the assigned value.
/// </summary>
public class IndexingTests
{
    private static Tensor X() => K.Reshape(K.Arange(24, dtype: DType.Float32), [2, 3, 4]);

    private static void Is(Tensor t, int[] shape, params double[] values)
    {
        Assert.Equal(new Shape(shape), t.Shape);
        Assert.Equal(values, t.ToDoubleArray());
    }

    [Fact]
    public void Every_index_form_gives_numpys_result()
    {
        var x = X();
        Is(x[1, 2], [4], 20, 21, 22, 23);                                   // x[1, 2]
        Is(x[^1, ^1, ^1], [], 23);                                          // x[-1, -1, -1]
        Is(x[0, 1..3, 1], [2], 5, 9);                                       // x[0, 1:3, 1]
        Is(x[.., 0, 0], [2], 0, 12);                                        // x[:, 0, 0]
        Is(x[Ellipsis, 3], [2, 3], 3, 7, 11, 15, 19, 23);                   // x[..., 3]
        Is(x[1, NewAxis, 0, ..2], [1, 2], 12, 13);                          // x[1, None, 0, :2]
        Is(x[0, 0, Step(-1)], [4], 3, 2, 1, 0);                             // x[0, 0, ::-1]
        Is(x[0, 0, Step(3, 0, -2)], [2], 3, 1);                             // x[0, 0, 3:0:-2]
        Is(x[0, 0, (1..).Step(2)], [2], 1, 3);                              // x[0, 0, 1::2]
        Is(x[0, ^2.., ^3..^1], [2, 2], 5, 6, 9, 10);                        // x[0, -2:, -3:-1]
        Is(x[0, 0, 2..100], [2], 2, 3);                                     // x[0, 0, 2:100] clamps
        Is(x[0, 0, 3..1], [0]);                                             // x[0, 0, 3:1] is empty
        Is(x[1, Step(null, null, -2), 0], [2], 20, 12);                     // x[1, ::-2, 0]
        Assert.Equal(new Shape([2, 3, 4, 1]), x[Ellipsis, NewAxis].Shape);  // x[..., None]
        Assert.Equal(new Shape([1, 2, 1, 3, 4]), x[NewAxis, .., NewAxis].Shape);
    }

    [Fact]
    public void The_indexer_is_strided_slice()
    {
        var x = X();
        // x[:, 0] = strided_slice(begin [0, 0], end [0, 1], strides [1, 1], begin_mask 1, end_mask 1, shrink_axis_mask 2)
        var direct = K.StridedSlice(x, [0, 0], [0, 1], [1, 1], beginMask: 1, endMask: 1, shrinkAxisMask: 2);
        Assert.Equal(direct.ToDoubleArray(), x[.., 0].ToDoubleArray());
        Assert.Equal(direct.Shape, x[.., 0].Shape);
    }

    [Fact]
    public void Bounds_errors_name_the_axis_the_index_and_the_size()
    {
        var x = X();
        var e = Assert.Throws<KerasIndexException>(() => x[0, 5]);
        Assert.Contains("index 5 is out of bounds for axis 1 with size 3", e.Message);
        e = Assert.Throws<KerasIndexException>(() => x[Ellipsis, -5]);
        Assert.Contains("index -5 is out of bounds for axis 2 with size 4", e.Message);
        e = Assert.Throws<KerasIndexException>(() => x[^0]);
        Assert.Contains("index ^0 is out of bounds for axis 0 with size 2", e.Message);
        Assert.Throws<KerasIndexException>(() => x[0, 0, 0, 0]);
        Assert.Throws<KerasIndexException>(() => x[Ellipsis, 0, Ellipsis]);
        Assert.Throws<KerasValueException>(() => x[Step(0)]);
        Assert.Throws<KerasIndexException>(() => x.At[2].Set(0));
        Assert.Throws<KerasValueException>(() => x.At[0].Set(K.Ones([2])));   // (2,) into (3, 4)
    }

    [Fact]
    public void Graphs_keep_unknown_dimensions_and_check_bounds_when_called()
    {
        var p = K.Placeholder(shape: [null, 3, null]);
        Assert.Equal(new Shape([Shape.Unknown, 2]), p[.., 1.., 0].Shape);
        Assert.Equal(new Shape([3, Shape.Unknown]), p[1].Shape);
        Assert.Equal(new Shape([Shape.Unknown, 3, Shape.Unknown]), p.At[.., 0].Set(1).Shape);
        var f = K.Function([p], [p[^1, Step(-1), 1..]]);
        var y = f.Call(X())[0];
        Is(y, [3, 3], 21, 22, 23, 17, 18, 19, 13, 14, 15);                  // x[-1, ::-1, 1:]
        var g = K.Function([p], [p[5]]);
        Assert.Throws<KerasIndexException>(() => g.Call(X()));
    }

    [Fact]
    public void Set_makes_a_new_tensor_and_leaves_x_alone()
    {
        var x = X();
        var y = x.At[.., 1, Step(-2)].Set(K.Constant(new float[] { -1, -2 }));   // y[:, 1, ::-2] = [-1, -2]
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (double)i), x.ToDoubleArray());
        Is(y[0, 1], [4], 4, -2, 6, -1);
        Is(y[1, 1], [4], 16, -2, 18, -1);
        Is(x.At[0, 0].Add(10)[0, 0], [4], 10, 11, 12, 13);
        Is(K.Zeros([3], DType.Int32).At[1].Set(2.9), [3], 0, 2, 0);         // numpy's setitem truncates into ints
    }

    [Fact]
    public void Gradients_scatter_into_zeros_and_reach_the_assigned_value()
    {
        var p = K.Placeholder(shape: [null, 4], dtype: DType.Float64);
        var v = K.Placeholder(shape: [2], dtype: DType.Float64);
        var y = p.At[.., 1..3].Set(v * 3);
        var loss = K.Sum(y * y) + K.Sum(p[0, Step(-1)]);
        var grads = K.Gradients(loss, [p, v]);
        var x = K.Constant(new double[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 } });
        var r = K.Function([p, v], grads).Call(x, K.Constant(new double[] { 1, 2 }));
        // d/dp: 2y outside the region (0 inside) + 1 on row 0; d/dv: 3 * sum over rows of 2 * 3v.
        Assert.Equal(new double[] { 3, 1, 1, 9, 10, 0, 0, 16 }, r[0].ToDoubleArray());
        Assert.Equal(new double[] { 36, 72 }, r[1].ToDoubleArray());
    }
}
