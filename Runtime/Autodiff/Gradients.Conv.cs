using KerasBackend.Graph;

namespace KerasBackend.Autodiff;

// Gradients of the convolution family: the backward convolutions and pooling are spec ops of their own
// (conv2d_backprop_input/filter, pool2d_backprop); bias and padding gradients are sums and crops.
internal static partial class Gradients
{
    // d conv2d(x, k) = (conv2d_backprop_input(u, k), conv2d_backprop_filter(x, u))
    public static Tensor?[] Conv2d(GradContext g)
    {
        var strides = g.Attr<int[]?>(0, null);
        var padding = g.Attr(1, "valid");
        var dataFormat = g.Attr<string?>(2, null);
        var dilation = g.Attr<int[]?>(3, null);
        return [g.Wants(0) ? K.Conv2dBackpropInput(g.X, g.Y, g.Upstream, strides, padding, dataFormat, dilation) : null,
                g.Wants(1) ? K.Conv2dBackpropFilter(g.X, g.Y, g.Upstream, strides, padding, dataFormat, dilation) : null];
    }

    // d conv2d_transpose(x, k) = (conv2d(u, k), conv2d_backprop_filter(u, k, x)): the transpose's adjoint is the convolution
    public static Tensor?[] Conv2dTranspose(GradContext g)
    {
        var dilation = g.Attr<int[]?>(4, null);
        var strides = ConvGeometry.TransposeStrides(g.Attr<int[]?>(1, null), dilation);
        var padding = g.Attr(2, "valid");
        var dataFormat = g.Attr<string?>(3, null);
        return [g.Wants(0) ? K.Conv2d(g.Upstream, g.Y, strides, padding, dataFormat, dilation) : null,
                g.Wants(1) ? K.Conv2dBackpropFilter(g.Upstream, g.Y, g.X, strides, padding, dataFormat, dilation) : null];
    }

    // d conv3d(x, k) = (conv3d_backprop_input(u, k), conv3d_backprop_filter(x, u))
    public static Tensor?[] Conv3d(GradContext g)
    {
        var strides = g.Attr<int[]?>(0, null);
        var padding = g.Attr(1, "valid");
        var dataFormat = g.Attr<string?>(2, null);
        var dilation = g.Attr<int[]?>(3, null);
        return [g.Wants(0) ? K.Conv3dBackpropInput(g.X, g.Y, g.Upstream, strides, padding, dataFormat, dilation) : null,
                g.Wants(1) ? K.Conv3dBackpropFilter(g.X, g.Y, g.Upstream, strides, padding, dataFormat, dilation) : null];
    }

    // d depthwise_conv2d(x, k) = (depthwise_conv2d_backprop_input(u, k), depthwise_conv2d_backprop_filter(x, u))
    public static Tensor?[] DepthwiseConv2d(GradContext g)
    {
        var strides = g.Attr<int[]?>(0, null);
        var padding = g.Attr(1, "valid");
        var dataFormat = g.Attr<string?>(2, null);
        var dilation = g.Attr<int[]?>(3, null);
        return [g.Wants(0) ? K.DepthwiseConv2dBackpropInput(g.X, g.Y, g.Upstream, strides, padding, dataFormat, dilation) : null,
                g.Wants(1) ? K.DepthwiseConv2dBackpropFilter(g.X, g.Y, g.Upstream, strides, padding, dataFormat, dilation) : null];
    }

    // d conv3d_transpose(x, k) = (conv3d(u, k), conv3d_backprop_filter(u, k, x)), as for conv2d_transpose
    public static Tensor?[] Conv3dTranspose(GradContext g)
    {
        var strides = g.Attr<int[]?>(1, null);
        var padding = g.Attr(2, "valid");
        var dataFormat = g.Attr<string?>(3, null);
        return [g.Wants(0) ? K.Conv3d(g.Upstream, g.Y, strides, padding, dataFormat) : null,
                g.Wants(1) ? K.Conv3dBackpropFilter(g.Upstream, g.Y, g.X, strides, padding, dataFormat) : null];
    }

    // d resize_images(x) = resize_images_backprop(x, u): each output cell's gradient back onto the cells it read
    public static Tensor?[] ResizeImages(GradContext g) =>
        [K.ResizeImagesBackprop(g.X, g.Upstream, g.Attr(0, 1), g.Attr(1, 1), g.Attr<string?>(2, null), g.Attr(3, "nearest"))];

    // d pool3d(x) = pool3d_backprop(x, u)
    public static Tensor?[] Pool3d(GradContext g) =>
        [K.Pool3dBackprop(g.X, g.Upstream, g.Attr<int[]>(0, [1, 1, 1]), g.Attr<int[]?>(1, null), g.Attr(2, "valid"), g.Attr<string?>(3, null), g.Attr(4, "max"))];

    // d spatial_3d_padding(x) = u cropped back to x along the three spatial axes
    public static Tensor?[] Spatial3dPadding(GradContext g)
    {
        var p = g.Attr<int[]?>(0, null) ?? [1, 1, 1, 1, 1, 1];
        int first = ConvGeometry.IsChannelsFirst(g.Attr<string?>(1, null)) ? 2 : 1;
        var u = g.Upstream;
        for (int j = 0; j < 3; j++) u = ConvGrads.Crop(u, g.X, first + j, p[2 * j]);
        return [u];
    }

    // d pool2d(x) = pool2d_backprop(x, u)
    public static Tensor?[] Pool2d(GradContext g) =>
        [K.Pool2dBackprop(g.X, g.Upstream, g.Attr<int[]>(0, [1, 1]), g.Attr<int[]?>(1, null), g.Attr(2, "valid"), g.Attr<string?>(3, null), g.Attr(4, "max"))];

    // d bias_add(x, b) = (u, Σ of u over the axes the bias is broadcast along, in the bias' shape)
    public static Tensor?[] BiasAdd(GradContext g)
    {
        var x = g.X;
        var bias = g.Y;
        var dataFormat = g.Attr<string?>(0, null);
        Tensor? db = null;
        if (g.Wants(1))
        {
            int rank = g.Upstream.Rank;
            if (bias.Rank == 1)
            {
                int channel = ConvGeometry.IsChannelsFirst(dataFormat) && rank > 2 ? 1 : rank - 1;
                db = K.Sum(g.Upstream, Enumerable.Range(0, rank).Where(i => i != channel).ToArray());
            }
            else
            {
                var shape = ConvGeometry.BiasShape(rank, bias.Shape, dataFormat);
                var summed = K.Sum(g.Upstream, Enumerable.Range(0, rank).Where(i => shape[i] == 1).ToArray(), keepdims: true);
                db = GradOps.ReshapeLike(summed, bias);
            }
        }
        return [g.Wants(0) ? g.Upstream : null, db];
    }

    // d temporal_padding(x, (a, b)) = u[:, a:a + steps, :]
    public static Tensor?[] TemporalPadding(GradContext g)
    {
        var p = g.Attr<int[]?>(0, null) ?? [1, 1];
        return [ConvGrads.Crop(g.Upstream, g.X, 1, p[0])];
    }

    // d spatial_2d_padding(x, ((t, b), (l, r))) = u cropped back to x along both spatial axes
    public static Tensor?[] Spatial2dPadding(GradContext g)
    {
        var p = g.Attr<int[]?>(0, null) ?? [1, 1, 1, 1];
        int first = ConvGeometry.IsChannelsFirst(g.Attr<string?>(1, null)) ? 2 : 1;
        return [ConvGrads.Crop(ConvGrads.Crop(g.Upstream, g.X, first, p[0]), g.X, first + 1, p[2])];
    }
}

/// <summary>Crops along one axis and their adjoints, for shapes known only when the graph runs.</summary>
internal static class ConvGrads
{
    /// <summary><paramref name="u"/>[..., before : before + x.shape[axis], ...] along <paramref name="axis"/>.</summary>
    public static Tensor Crop(Tensor u, Tensor x, int axis, int before)
    {
        if (x.Shape[axis] >= 0) return GradOps.SliceAxis(u, axis, before, x.Shape[axis]);
        var dims = u.Shape.ToArray();
        dims[axis] = Shape.Unknown;
        return GraphBuilder.Record("_crop", [u, x], [axis, before], Shape.Wrap(dims), u.DType, ins => Crop(ins[0]!, ins[1]!, axis, before));
    }

    /// <summary>The adjoint of <see cref="Crop"/>: <paramref name="v"/> put back at offset <paramref name="before"/> of zeros shaped like <paramref name="u"/>.</summary>
    public static Tensor Uncrop(Tensor v, Tensor u, int axis, int before)
    {
        if (v.IsSymbolic || u.IsSymbolic)
            return GraphBuilder.Record("_uncrop", [v, u], [axis, before], u.Shape, v.DType, ins => Uncrop(ins[0]!, ins[1]!, axis, before));
        int after = u.Shape[axis] - before - v.Shape[axis];
        var parts = new List<Tensor>();
        if (before > 0) parts.Add(K.Zeros(WithDim(v.Shape, axis, before), v.DType));
        parts.Add(v);
        if (after > 0) parts.Add(K.Zeros(WithDim(v.Shape, axis, after), v.DType));
        return parts.Count == 1 ? v : K.Concatenate(parts, axis);
    }

    private static int[] WithDim(Shape s, int axis, int n)
    {
        var d = s.ToArray();
        d[axis] = n;
        return d;
    }

    public static Tensor?[] CropGradient(GradContext g) => [Uncrop(g.Upstream, g.X, g.Attr(0, 0), g.Attr(1, 0)), null];

    public static Tensor?[] UncropGradient(GradContext g) => [Crop(g.Upstream, g.X, g.Attr(0, 0), g.Attr(1, 0)), null];
}
