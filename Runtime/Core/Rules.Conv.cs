namespace KerasBackend;

// Shape rules and checks of the convolution family (conv.json). Same contract as Rules.cs: rules run on concrete
// and symbolic shapes (unknown dimensions propagate; checks let them pass). Geometry: ConvGeometry.

public static partial class ShapeRules
{
    /// <summary>conv1d/2d/3d: batch, the output extents ("valid" or TensorFlow's "same"), kernel.shape[-1] channels.</summary>
    public static Shape Conv(Tensor x, Tensor kernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate)
        => ConvGeometry.OfConv(x, kernel, strides, padding, dataFormat, dilationRate).OutputShape(x.Rank - 2);

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
    public static bool TransposeOutputShape(Tensor x, Tensor kernel, int?[]? outputShape, int[]? strides, string padding, string? dataFormat, int[]? dilationRate)
    {
        if (outputShape is null || outputShape.Length != 4 || outputShape.Skip(1).Any(d => d is null or <= 0) || outputShape[0] is <= 0) return false;
        if (x.Rank != 4 || kernel.Rank != 4 || !DataFormatValid(dataFormat) || !PaddingValid(padding)) return true;
        bool cf = ConvGeometry.IsChannelsFirst(dataFormat);
        int c = cf ? 1 : 3, xc = x.Shape[c];
        if (kernel.Shape[2] >= 0 && outputShape[c] != kernel.Shape[2]) return false;
        if (kernel.Shape[3] >= 0 && xc >= 0 && xc != kernel.Shape[3]) return false;
        if (kernel.Shape[0] < 0 || kernel.Shape[1] < 0) return true;
        var y = Shape.Wrap(outputShape.Select(d => d ?? 1).ToArray());
        var g = ConvGeometry.Of(y, kernel.Shape.Dims[..2], kernel.Shape[2], ConvGeometry.TransposeStrides(strides, dilationRate), padding, dataFormat, dilationRate);
        int first = cf ? 2 : 1;
        for (int j = 0; j < 2; j++)
        {
            int want = x.Shape[first + j];
            if (want >= 0 && g.Out[1 + j] != want) return false;
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
}
