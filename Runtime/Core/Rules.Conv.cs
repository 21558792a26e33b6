namespace KerasBackend;

// Shape rules and checks of the convolution family (conv.json). Same contract as Rules.cs: rules run on concrete
// and symbolic shapes (unknown dimensions propagate; checks let them pass). Geometry: ConvGeometry.

public static partial class ShapeRules
{
    /// <summary>conv1d/2d/3d: batch, the output extents ("valid" or TensorFlow's "same"), kernel.shape[-1] channels.</summary>
    public static Shape Conv(Tensor x, Tensor kernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate)
        => ConvGeometry.OfConv(x, kernel, strides, padding, dataFormat, dilationRate).OutputShape(x.Rank - 2);

    /// <summary>depthwise_conv2d: batch, the output extents, in_channels · channel_multiplier channels (unknown if either is).</summary>
    public static Shape DepthwiseConv(Tensor x, Tensor depthwiseKernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate) =>
        ConvGeometry.OfDepthwise(x, depthwiseKernel, strides, padding, dataFormat, dilationRate).OutputShape(x.Rank - 2);

    /// <summary>resize_images: rows and cols multiplied by the factors (unknown stays unknown).</summary>
    public static Shape ResizeImages(Tensor x, int heightFactor, int widthFactor, string? dataFormat)
    {
        var dims = x.Shape.ToArray();
        int first = dataFormat == "channels_first" ? 2 : 1;
        if (dims[first] >= 0) dims[first] = (int)Math.Min((long)dims[first] * heightFactor, int.MaxValue);
        if (dims[first + 1] >= 0) dims[first + 1] = (int)Math.Min((long)dims[first + 1] * widthFactor, int.MaxValue);
        return Shape.Wrap(dims);
    }

    /// <summary>pool2d/3d: batch and channels kept, the output extents of the pool window.</summary>
    public static Shape Pool(Tensor x, int[] poolSize, int[]? strides, string padding, string? dataFormat)
        => ConvGeometry.OfPool(x, poolSize, strides, padding, dataFormat).OutputShape(x.Rank - 2);

    /// <summary>bias_add: x's shape (a rank-1 bias); a bias of rank ndim − 1 broadcasts as tf-keras reshapes it.</summary>
    public static Shape BiasAdd(Tensor x, Tensor bias, string? dataFormat) =>
        bias.Rank == 1 ? x.Shape : BroadcastShapes(x.Shape, ConvGeometry.BiasShape(x.Rank, bias.Shape, dataFormat));

    /// <summary>conv2d_transpose: output_shape, its null (or unknown) batch taken from x.</summary>
    public static Shape Conv2dTranspose(Tensor x, int?[]? outputShape)
    {
        var dims = outputShape!.Select(d => d ?? Shape.Unknown).ToArray();
        if (dims[0] < 0) dims[0] = x.Shape[0];
        return Shape.Wrap(dims);
    }

    /// <summary>temporal_padding: axis 1 grows by both pads.</summary>
    public static Shape TemporalPadding(Tensor x, int[]? padding) => Padded(x.Shape, padding ?? [1, 1], 1);

    /// <summary>spatial_2d_padding: the two spatial axes grow by their pads.</summary>
    public static Shape Spatial2dPadding(Tensor x, int[]? padding, string? dataFormat) =>
        Padded(x.Shape, padding ?? [1, 1, 1, 1], ConvGeometry.IsChannelsFirst(dataFormat) ? 2 : 1);

    /// <summary>spatial_3d_padding: the three spatial axes grow by their pads.</summary>
    public static Shape Spatial3dPadding(Tensor x, int[]? padding, string? dataFormat) =>
        Padded(x.Shape, padding ?? [1, 1, 1, 1, 1, 1], ConvGeometry.IsChannelsFirst(dataFormat) ? 2 : 1);

    private static Shape Padded(Shape s, int[] padding, int first)
    {
        var dims = s.ToArray();
        for (int j = 0; j < padding.Length / 2; j++)
            if (dims[first + j] >= 0) dims[first + j] = Shape.AddDims(Shape.AddDims(dims[first + j], padding[2 * j]), padding[2 * j + 1]);
        return Shape.Wrap(dims);
    }
}

public static partial class DTypeRules
{
    /// <summary>resize_images: nearest keeps x's dtype; the other methods give float32 (TensorFlow's ResizeBilinear outputs float).</summary>
    public static DType Resize(Tensor x, string interpolation) => interpolation == "nearest" ? x.DType : DType.Float32;
}

public static partial class Checks
{
    /// <summary>data_format is null (image_data_format()) or one of channels_first, channels_last.</summary>
    public static bool DataFormatValid(string? dataFormat) => dataFormat is null or "channels_first" or "channels_last";

    /// <summary>padding is "same" or "valid" (tf-keras _preprocess_padding).</summary>
    public static bool PaddingValid(string padding) => padding is "same" or "valid";

    /// <summary>conv1d's padding also accepts "causal".</summary>
    public static bool CausalPaddingValid(string padding) => padding is "same" or "valid" or "causal";

    /// <summary>pool_mode is "max" or "avg".</summary>
    public static bool PoolModeValid(string poolMode) => poolMode is "max" or "avg";

    /// <summary>An optional tuple (null: its default) of exactly n positive ints.</summary>
    public static bool PositiveTuple(int[]? v, int n) => v is null || v.Length == n && v.All(e => e > 0);

    /// <summary>An optional tuple of exactly n non-negative ints (paddings).</summary>
    public static bool PaddingTuple(int[]? v, int n) => v is null || v.Length == n && v.All(e => e >= 0);

    /// <summary>A positive int (conv1d's strides and dilation_rate).</summary>
    public static bool Positive(int v) => v > 0;

    /// <summary>TensorFlow's convolution refuses strides > 1 together with dilation_rate > 1.</summary>
    public static bool StridesOrDilation(int[]? strides, int[]? dilationRate) =>
        strides is null || dilationRate is null || strides.All(s => s == 1) || dilationRate.All(d => d == 1);

    /// <summary>conv1d's scalar strides and dilation_rate: not both > 1.</summary>
    public static bool StridesOrDilation1(int strides, int dilationRate) => strides == 1 || dilationRate == 1;

    /// <summary>The kernel's input-channel axis (kernel.shape[-2]) matches x's channel axis (unknown passes).</summary>
    public static bool ConvChannels(Tensor x, Tensor kernel, string? dataFormat)
    {
        if (x.Rank < 3 || kernel.Rank < 2) return true;
        int c = ConvGeometry.IsChannelsFirst(dataFormat) ? x.Shape[1] : x.Shape[-1], k = kernel.Shape[-2];
        return c < 0 || k < 0 || c == k;
    }

    /// <summary>A "valid" convolution fits: every known spatial extent holds the dilated kernel.</summary>
    public static bool ConvFits(Tensor x, Tensor kernel, string padding, string? dataFormat, int[]? dilationRate)
    {
        int nd = x.Rank - 2;
        if (padding != "valid" || nd < 1 || kernel.Rank != nd + 2) return true;
        return WindowFits(x.Shape, kernel.Shape.Dims[..nd], dataFormat, dilationRate);
    }

    /// <summary>conv1d: a "valid" convolution fits the steps (causal and same always do).</summary>
    public static bool Conv1dFits(Tensor x, Tensor kernel, string padding, string? dataFormat, int dilationRate) =>
        x.Rank != 3 || kernel.Rank != 3 || ConvFits(x, kernel, padding, dataFormat, [dilationRate]);

    /// <summary>conv1d's causal padding is computed from the kernel size, so that size must be known.</summary>
    public static bool CausalKernelKnown(Tensor kernel, string padding) => padding != "causal" || kernel.Rank == 0 || kernel.Shape[0] >= 0;

    /// <summary>conv2d_transpose with dilation (tf.nn.atrous_conv2d_transpose) takes one rate for both dimensions.</summary>
    public static bool EqualDilation(int[]? dilationRate) => dilationRate is null || dilationRate.Length != 2 || dilationRate[0] == dilationRate[1];

    /// <summary>
    /// conv2d_transpose: output_shape has 4 positive entries (a null batch), its channels are kernel.shape[2], x's are
    /// kernel.shape[3], and conv2d of output_shape (strides ignored when dilated, as atrous_conv2d_transpose does)
    /// gives x's spatial shape. Unknown dimensions pass.
    /// </summary>
    public static bool TransposeOutputShape(Tensor x, Tensor kernel, int?[]? outputShape, int[]? strides, string padding, string? dataFormat, int[]? dilationRate) =>
        TransposeFits(x, kernel, outputShape, strides, padding, dataFormat, dilationRate, 4);

    private static bool TransposeFits(Tensor x, Tensor kernel, int?[]? outputShape, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, int rank)
    {
        if (outputShape is null || outputShape.Length != rank || outputShape.Skip(1).Any(d => d is null or <= 0) || outputShape[0] is <= 0) return false;
        if (x.Rank != rank || kernel.Rank != rank || !DataFormatValid(dataFormat) || !PaddingValid(padding)) return true;
        int nd = rank - 2;
        bool cf = ConvGeometry.IsChannelsFirst(dataFormat);
        int c = cf ? 1 : rank - 1, xc = x.Shape[c];
        if (kernel.Shape[nd] >= 0 && outputShape[c] != kernel.Shape[nd]) return false;
        if (kernel.Shape[nd + 1] >= 0 && xc >= 0 && xc != kernel.Shape[nd + 1]) return false;
        for (int j = 0; j < nd; j++) if (kernel.Shape[j] < 0) return true;
        if (strides is not null && (strides.Length != nd || strides.Any(v => v <= 0))) return true;
        var y = Shape.Wrap(outputShape.Select(d => d ?? 1).ToArray());
        var g = ConvGeometry.Of(y, kernel.Shape.Dims[..nd], kernel.Shape[nd], ConvGeometry.TransposeStrides(strides, dilationRate), padding, dataFormat, dilationRate);
        int first = cf ? 2 : 1;
        for (int j = 0; j < nd; j++)
        {
            int want = x.Shape[first + j];
            if (want >= 0 && g.Out[3 - nd + j] != want) return false;
        }
        return true;
    }

    /// <summary>A "valid" pool fits: every known spatial extent holds the pool window.</summary>
    public static bool PoolFits(Tensor x, int[] poolSize, string padding, string? dataFormat)
    {
        int nd = x.Rank - 2;
        if (padding != "valid" || nd < 1 || poolSize.Length != nd) return true;
        return WindowFits(x.Shape, poolSize, dataFormat, null);
    }

    private static bool WindowFits(Shape x, ReadOnlySpan<int> window, string? dataFormat, int[]? dilation)
    {
        int nd = x.Rank - 2, first = ConvGeometry.IsChannelsFirst(dataFormat) ? 2 : 1;
        for (int j = 0; j < nd; j++)
        {
            int d = dilation is { } dl && dl.Length == nd ? dl[j] : 1;
            if (x[first + j] >= 0 && x[first + j] < (long)(window[j] - 1) * d + 1) return false;
        }
        return true;
    }

    /// <summary>bias_add: the bias is a vector, or of rank ndim(x) − 1 with x of rank 3, 4 or 5 (else tf.nn.bias_add refuses it).</summary>
    public static bool BiasRank(Tensor x, Tensor bias) => bias.Rank == 1 && x.Rank >= 2 || bias.Rank == x.Rank - 1 && x.Rank is >= 3 and <= 5;

    /// <summary>bias_add: a vector bias has the channel axis' length; a full bias broadcasts against x as reshaped.</summary>
    public static bool BiasCompatible(Tensor x, Tensor bias, string? dataFormat)
    {
        if (!BiasRank(x, bias) || !DataFormatValid(dataFormat)) return true;
        if (bias.Rank == 1)
        {
            int c = ConvGeometry.IsChannelsFirst(dataFormat) ? x.Shape[1] : x.Shape[-1];
            return c < 0 || bias.Shape[0] < 0 || c == bias.Shape[0];
        }
        var b = ConvGeometry.BiasShape(x.Rank, bias.Shape, dataFormat);
        for (int i = 0; i < x.Rank; i++)
        {
            int p = x.Shape[i], q = b[i];
            if (p >= 0 && q >= 0 && p != q && q != 1) return false;
        }
        return true;
    }

    /// <summary>A conv gradient op's grad has the shape conv(x, kernel, ...) has (unknown dimensions pass).</summary>
    public static bool ConvGradShape(Tensor x, Tensor kernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate) =>
        grad.Rank == x.Rank && KnownEqual(grad.Shape, ShapeRules.Conv(x, kernel, strides, padding, dataFormat, dilationRate));

    /// <summary>pool2d_backprop's grad has the shape pool2d(x, ...) has (unknown dimensions pass).</summary>
    public static bool PoolGradShape(Tensor x, Tensor grad, int[] poolSize, int[]? strides, string padding, string? dataFormat) =>
        grad.Rank == x.Rank && KnownEqual(grad.Shape, ShapeRules.Pool(x, poolSize, strides, padding, dataFormat));

    private static bool KnownEqual(Shape a, Shape b)
    {
        for (int i = 0; i < a.Rank; i++)
            if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) return false;
        return true;
    }

    /// <summary>TensorFlow's depthwise kernel takes equal row and column strides only.</summary>
    public static bool EqualStrides(int[]? strides) => strides is null || strides.Length != 2 || strides[0] == strides[1];

    /// <summary>A depthwise gradient op's grad has the shape depthwise_conv2d(x, kernel, ...) has (unknown dimensions pass).</summary>
    public static bool DepthwiseGradShape(Tensor x, Tensor depthwiseKernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate) =>
        grad.Rank == x.Rank && KnownEqual(grad.Shape, ShapeRules.DepthwiseConv(x, depthwiseKernel, strides, padding, dataFormat, dilationRate));

    /// <summary>
    /// separable convolutions: the pointwise kernel is (1, [1,] in_channels · channel_multiplier, out_channels) for the
    /// depthwise kernel (kernel..., in_channels, channel_multiplier), as tf.nn.separable_conv2d requires.
    /// </summary>
    public static bool SeparablePointwise(Tensor depthwiseKernel, Tensor pointwiseKernel)
    {
        int r = pointwiseKernel.Rank;
        if (r < 2 || depthwiseKernel.Rank < 2) return true;
        for (int i = 0; i < r - 2; i++)
            if (pointwiseKernel.Shape[i] >= 0 && pointwiseKernel.Shape[i] != 1) return false;
        int c = depthwiseKernel.Shape[-2], m = depthwiseKernel.Shape[-1], p = pointwiseKernel.Shape[-2];
        return c < 0 || m < 0 || p < 0 || (long)c * m == p;
    }

    /// <summary>conv3d_transpose: output_shape as conv2d_transpose's (5 sizes, kernel (kd, kh, kw, out, in)), no dilation.</summary>
    public static bool Transpose3dOutputShape(Tensor x, Tensor kernel, int?[]? outputShape, int[]? strides, string padding, string? dataFormat) =>
        TransposeFits(x, kernel, outputShape, strides, padding, dataFormat, null, 5);

    /// <summary>
    /// local_conv1d: kernel (output_length, kernel_size · channels, filters) with output_length known, and the last
    /// window (output_length − 1) · stride + kernel_size inside the steps (known dimensions only).
    /// </summary>
    public static bool LocalConv1dFits(Tensor inputs, Tensor kernel, int[] kernelSize, int[] strides, string? dataFormat) =>
        inputs.Rank != 3 || kernel.Rank != 3 || kernelSize.Length != 1 || strides.Length != 1 ||
        kernel.Shape[0] > 0 && LocalFits(inputs, kernel, kernelSize, strides, [kernel.Shape[0]], dataFormat);

    /// <summary>local_conv2d: kernel (rows · cols, kh · kw · channels, filters), windows inside the (known) input.</summary>
    public static bool LocalConv2dFits(Tensor inputs, Tensor kernel, int[] kernelSize, int[] strides, int[] outputShape, string? dataFormat) =>
        inputs.Rank != 4 || kernel.Rank != 3 || kernelSize.Length != 2 || strides.Length != 2 || outputShape.Length != 2 ||
        LocalFits(inputs, kernel, kernelSize, strides, outputShape, dataFormat);

    private static bool LocalFits(Tensor inputs, Tensor kernel, int[] kernelSize, int[] strides, int[] outputShape, string? dataFormat)
    {
        int nd = outputShape.Length, first = ConvGeometry.IsChannelsFirst(dataFormat) ? 2 : 1;
        int c = ConvGeometry.IsChannelsFirst(dataFormat) ? inputs.Shape[1] : inputs.Shape[-1];
        long positions = 1, window = 1;
        for (int j = 0; j < nd; j++)
        {
            if (kernelSize[j] <= 0 || strides[j] <= 0 || outputShape[j] <= 0) return true; // their own checks report these
            positions *= outputShape[j];
            window *= kernelSize[j];
            // The windows are sliced from a known input (tf-keras' loop needs the positions, the one-hot conv the extents).
            int n = inputs.Shape[first + j];
            if (n < 0 || (long)(outputShape[j] - 1) * strides[j] + kernelSize[j] > n) return false;
        }
        if (c < 0) return false;
        return (kernel.Shape[0] < 0 || kernel.Shape[0] == positions) && (kernel.Shape[1] < 0 || kernel.Shape[1] == window * c);
    }

    /// <summary>resize_images / resize_volumes: data_format is given and is channels_first or channels_last (tf-keras has no default).</summary>
    public static bool ImageFormatGiven(string? dataFormat) => dataFormat is "channels_first" or "channels_last";

    /// <summary>resize_images: one of tf-keras' eight interpolation names.</summary>
    public static bool InterpolationValid(string interpolation) =>
        interpolation is "area" or "bicubic" or "bilinear" or "gaussian" or "lanczos3" or "lanczos5" or "mitchellcubic" or "nearest";

    /// <summary>resize_images: the interpolations implemented here (an unknown name passes: InterpolationValid reports it).</summary>
    public static bool InterpolationImplemented(string interpolation) => interpolation is "nearest" or "bilinear" || !InterpolationValid(interpolation);

    /// <summary>resize_images_backprop's grad has the shape resize_images(x, ...) has (unknown dimensions pass).</summary>
    public static bool ResizeGradShape(Tensor x, Tensor grad, int heightFactor, int widthFactor, string? dataFormat) =>
        grad.Rank == x.Rank && (x.Rank != 4 || KnownEqual(grad.Shape, ShapeRules.ResizeImages(x, heightFactor, widthFactor, dataFormat)));
}
