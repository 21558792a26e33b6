using System.Runtime.CompilerServices;

namespace KerasBackend;

/// <summary>Three ints, one per spatial dimension (depth, height, width).</summary>
[InlineArray(3)]
internal struct Dims3
{
    private int _e;
}

/// <summary>
/// The resolved geometry of a convolution or pooling window over 1 to 3 spatial dimensions, for shape rules and
/// kernels alike. Spatial extents are kept as three (depth, height, width); an op with fewer spatial dimensions
/// has leading extents of 1 (windows of 1, strides and dilations of 1, no padding), so one kernel loop serves
/// 1D, 2D and 3D. Padding follows TensorFlow: "valid" has none and out = ⌊(in − eff) / s⌋ + 1 with the dilated
/// window eff = (k − 1)·d + 1; "same" gives out = ⌈in / s⌉ and pads max((out − 1)·s + eff − in, 0) cells, the
/// smaller half before and the extra cell after.
/// </summary>
internal struct ConvGeometry
{
    /// <summary>Batch, input channels, output channels (a pooling op keeps C).</summary>
    public int N, C, O;
    public Dims3 In, K, Out, S, D, Pad;
    public bool ChannelsFirst;

    public readonly int InSize => In[0] * In[1] * In[2];
    public readonly int OutSize => Out[0] * Out[1] * Out[2];
    public readonly int Window => K[0] * K[1] * K[2];

    /// <summary>Whether <paramref name="dataFormat"/> (null: the configured image_data_format) is channels_first.</summary>
    public static bool IsChannelsFirst(string? dataFormat) => (dataFormat ?? Config.ImageDataFormat) == "channels_first";

    /// <summary>One output extent (unknown stays unknown). A "valid" window larger than the input gives 0 (the checks refuse it first).</summary>
    public static int OutDim(int input, int k, int s, int d, bool same)
    {
        // 64-bit: an input near int.MaxValue with a large stride, or a large dilation, must not wrap.
        if (input < 0) return Shape.Unknown;
        if (same) return (int)(((long)input + s - 1) / s);
        long eff = Effective(k, d);
        return input >= eff ? (int)((input - eff) / s + 1) : 0;
    }

    /// <summary>The dilated window's extent (k − 1)·d + 1, in 64 bits.</summary>
    private static long Effective(int k, int d) => (long)(k - 1) * d + 1;

    /// <summary>Cells of padding before the input along one dimension: TensorFlow's "same" puts the extra cell after.</summary>
    public static int PadBefore(int input, int output, int k, int s, int d, bool same) =>
        same ? (int)(Math.Max((long)(output - 1) * s + Effective(k, d) - input, 0) / 2) : 0;

    // Kernels index the input at o·s − pad + i·d in int arithmetic: the window and the input together must fit an int.
    private static void CheckExtent(string op, int input, int k, int s, int d)
    {
        if (input < 0 || k <= 0 || s <= 0 || d <= 0) return; // the op's checks report these
        if (Effective(k, d) + input > int.MaxValue || (long)s + input > int.MaxValue)
            throw new KerasValueException(op, "dilation_rate",
                $"{op}: the window is too large: the dilated window (k - 1) * d + 1 = {Effective(k, d)} or the stride {s} with an input extent of {input} passes {int.MaxValue}. Received: window size={k}, strides={s}, dilation_rate={d}");
    }

    /// <summary>
    /// The geometry of a window of <paramref name="window"/> (one extent per spatial dimension) over x. strides and
    /// dilation null mean 1 everywhere; <paramref name="outChannels"/> is the result's channel count.
    /// </summary>
    public static ConvGeometry Of(Shape x, ReadOnlySpan<int> window, int outChannels, int[]? strides, string padding, string? dataFormat, int[]? dilation, string op = "conv2d")
    {
        int nd = x.Rank - 2;
        var g = new ConvGeometry { ChannelsFirst = IsChannelsFirst(dataFormat), N = x[0], O = outChannels };
        g.C = g.ChannelsFirst ? x[1] : x[-1];
        bool same = padding == "same";
        int lead = 3 - nd;
        for (int i = 0; i < 3; i++)
        {
            if (i < lead) { g.In[i] = g.K[i] = g.Out[i] = g.S[i] = g.D[i] = 1; g.Pad[i] = 0; continue; }
            int j = i - lead;
            g.In[i] = x[(g.ChannelsFirst ? 2 : 1) + j];
            g.K[i] = window[j];
            g.S[i] = strides is null ? 1 : strides[j];
            g.D[i] = dilation is null ? 1 : dilation[j];
            CheckExtent(op, g.In[i], g.K[i], g.S[i], g.D[i]);
            g.Out[i] = OutDim(g.In[i], g.K[i], g.S[i], g.D[i], same);
            g.Pad[i] = g.In[i] < 0 ? 0 : PadBefore(g.In[i], g.Out[i], g.K[i], g.S[i], g.D[i], same);
        }
        return g;
    }

    /// <summary>The geometry of convolving x with kernel (layout (spatial..., in, out)).</summary>
    public static ConvGeometry OfConv(Tensor x, Tensor kernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate) =>
        Of(x.Shape, kernel.Shape.Dims[..(x.Rank - 2)], kernel.Shape[-1], strides, padding, dataFormat, dilationRate, x.Rank == 3 ? "conv1d" : "conv2d");

    /// <summary>
    /// The geometry of depthwise_conv2d(x, kernel (kh, kw, C, M)): C input channels, O = C·M output channels (unknown
    /// when C or M is). <see cref="Multiplier"/> gives M back.
    /// </summary>
    public static ConvGeometry OfDepthwise(Tensor x, Tensor kernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate)
    {
        int c = kernel.Shape[-2], m = kernel.Shape[-1];
        int o = c < 0 || m < 0 ? Shape.Unknown : (int)Math.Min((long)c * m, int.MaxValue);
        return Of(x.Shape, kernel.Shape.Dims[..(x.Rank - 2)], o, strides, padding, dataFormat, dilationRate, "depthwise_conv2d");
    }

    /// <summary>A depthwise geometry's channel multiplier M = O / C.</summary>
    public readonly int Multiplier => C == 0 ? 0 : O / C;

    /// <summary>The geometry of pooling x (channels kept).</summary>
    public static ConvGeometry OfPool(Tensor x, int[] poolSize, int[]? strides, string padding, string? dataFormat) =>
        Of(x.Shape, poolSize, IsChannelsFirst(dataFormat) ? x.Shape[1] : x.Shape[-1], strides, padding, dataFormat, null, "pool2d");

    /// <summary>conv2d_transpose's strides: none with a dilation other than 1 (tf-keras then calls atrous_conv2d_transpose, which takes none).</summary>
    public static int[]? TransposeStrides(int[]? strides, int[]? dilationRate) =>
        dilationRate is not null && dilationRate.Any(d => d != 1) ? null : strides;

    /// <summary>
    /// The geometry of conv2d_transpose(x, kernel (kh, kw, out, in)) with result <paramref name="output"/>: that of the
    /// conv2d whose input is the result (C = out channels) and whose output is x (O = in channels).
    /// </summary>
    public static ConvGeometry OfTranspose(Tensor output, Tensor kernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate = null) =>
        Of(output.Shape, kernel.Shape.Dims[..(output.Rank - 2)], kernel.Shape[-1], TransposeStrides(strides, dilationRate), padding, dataFormat, dilationRate);

    /// <summary>The result shape: batch, the output extents of the last <paramref name="nd"/> dimensions and O, in the data format's order.</summary>
    public readonly Shape OutputShape(int nd)
    {
        var dims = new int[nd + 2];
        dims[0] = N;
        int first = ChannelsFirst ? 2 : 1;
        for (int j = 0; j < nd; j++) dims[first + j] = Out[3 - nd + j];
        dims[ChannelsFirst ? 1 : nd + 1] = O;
        return Shape.Wrap(dims);
    }

    /// <summary>
    /// The shape tf-keras gives a bias of rank ndim − 1 before adding it: (1,) + bias.shape for channels_last,
    /// (1, bias.shape[-1]) + bias.shape[:-1] for channels_first (a reshape of the values, not a transpose).
    /// </summary>
    public static Shape BiasShape(int rank, Shape bias, string? dataFormat)
    {
        var dims = new int[rank];
        dims[0] = 1;
        if (IsChannelsFirst(dataFormat))
        {
            dims[1] = bias[-1];
            for (int i = 0; i < bias.Rank - 1; i++) dims[2 + i] = bias[i];
        }
        else for (int i = 0; i < bias.Rank; i++) dims[1 + i] = bias[i];
        return Shape.Wrap(dims);
    }
}

/// <summary>
/// The source taps of tf.image.resize (TensorFlow 2: half-pixel centers, no antialiasing) along one axis, from
/// <c>input</c> cells to <c>output</c> cells. Shared by every backend's resize_images and its gradient.
/// </summary>
internal static class ResizeTaps
{
    /// <summary>ResizeNearestNeighbor: min(⌊(i + 0.5) · in / out⌋, in − 1).</summary>
    public static int Nearest(int i, int input, int output) => (int)Math.Min(Math.Floor((i + 0.5) * input / output), input - 1);

    /// <summary>ResizeBilinear: s = (i + 0.5) · in / out − 0.5; taps max(⌊s⌋, 0) and min(⌈s⌉, in − 1); the upper tap's weight s − ⌊s⌋.</summary>
    public static (int Lo, int Hi, double Weight) Bilinear(int i, int input, int output)
    {
        double s = (i + 0.5) * input / output - 0.5, f = Math.Floor(s);
        return ((int)Math.Max(f, 0), (int)Math.Min(Math.Ceiling(s), input - 1), s - f);
    }
}
