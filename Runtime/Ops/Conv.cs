namespace KerasBackend.Composites;

/// <summary>Convolution ops built from other K ops (their gradients flow through those ops).</summary>
internal static class ConvOps
{
    /// <summary>
    /// conv1d as tf-keras builds it: "causal" pads axis 1 on the left by dilation_rate·(kernel_size − 1) with
    /// temporal_padding, then a "valid" convolution; the sequence convolution runs as conv2d over a height-1 image.
    /// </summary>
    public static Tensor Conv1d(Tensor x, Tensor kernel, int strides, string padding, string? dataFormat, int dilationRate)
    {
        if (padding == "causal")
        {
            x = K.TemporalPadding(x, [(int)Math.Min((long)dilationRate * (kernel.Shape[0] - 1), int.MaxValue), 0]);
            padding = "valid";
        }
        int axis = ConvGeometry.IsChannelsFirst(dataFormat) ? 2 : 1;
        var y = K.Conv2d(K.ExpandDims(x, axis), K.ExpandDims(kernel, 0), [1, strides], padding, dataFormat, [1, dilationRate]);
        return K.Squeeze(y, axis);
    }

    /// <summary>separable_conv2d as tf.nn.separable_conv2d computes it: the depthwise convolution, then a "valid" 1×1 conv2d.</summary>
    public static Tensor SeparableConv2d(Tensor x, Tensor depthwiseKernel, Tensor pointwiseKernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate) =>
        K.Conv2d(K.DepthwiseConv2d(x, depthwiseKernel, strides, padding, dataFormat, dilationRate), pointwiseKernel, null, "valid", dataFormat);

    /// <summary>
    /// separable_conv1d as tf-keras builds it: a height-1 axis on x, a leading 1 on both kernels, the stride on both
    /// spatial axes (`strides * 2`) and dilation (1, d), separable_conv2d, and the height axis squeezed away.
    /// </summary>
    public static Tensor SeparableConv1d(Tensor x, Tensor depthwiseKernel, Tensor pointwiseKernel, int strides, string padding, string? dataFormat, int dilationRate)
    {
        int axis = ConvGeometry.IsChannelsFirst(dataFormat) ? 2 : 1;
        var y = K.SeparableConv2d(K.ExpandDims(x, axis), K.ExpandDims(depthwiseKernel, 0), K.ExpandDims(pointwiseKernel, 0),
            [strides, strides], padding, dataFormat, [1, dilationRate]);
        return K.Squeeze(y, axis);
    }

    /// <summary>local_conv1d: local_conv2d over a height-1 image (the window's features keep tf-keras' order in both formats).</summary>
    public static Tensor LocalConv1d(Tensor inputs, Tensor kernel, int[] kernelSize, int[] strides, string? dataFormat)
    {
        int axis = ConvGeometry.IsChannelsFirst(dataFormat) ? 2 : 1;
        var y = LocalConv2d(K.ExpandDims(inputs, axis), kernel, [1, kernelSize[0]], [1, strides[0]], [1, kernel.Shape[0]], dataFormat);
        return K.Squeeze(y, axis);
    }

    /// <summary>
    /// local_conv2d as tf-keras' local_conv defines it, vectorized: the windows of every output cell are gathered by
    /// one "valid" conv2d with a one-hot kernel (feature f of a window is a copy of one input cell, in tf-keras' feature
    /// order: (row, col, channel) for channels_last, (channel, row, col) for channels_first), laid out as
    /// (positions, batch, features), multiplied position by position with batch_dot(windows, kernel), and put back
    /// into the data format. Only the first output_shape positions of each axis are kept, as tf-keras' loop does.
    /// </summary>
    public static Tensor LocalConv2d(Tensor inputs, Tensor kernel, int[] kernelSize, int[] strides, int[] outputShape, string? dataFormat)
    {
        bool cf = ConvGeometry.IsChannelsFirst(dataFormat);
        int kh = kernelSize[0], kw = kernelSize[1], c = cf ? inputs.Shape[1] : inputs.Shape[3], features = kh * kw * c;
        var onehot = new double[features * features];
        for (int a = 0; a < kh; a++)
        for (int b = 0; b < kw; b++)
        for (int ch = 0; ch < c; ch++)
        {
            int f = cf ? (ch * kh + a) * kw + b : (a * kw + b) * c + ch;
            onehot[((a * kw + b) * c + ch) * features + f] = 1;
        }
        var eye = K.Cast(Tensor.FromSpan<double>(onehot, kh, kw, c, features), inputs.DType);
        var windows = K.Conv2d(inputs, eye, strides, "valid", cf ? "channels_first" : "channels_last");
        if (cf) windows = K.PermuteDimensions(windows, [0, 2, 3, 1]);
        int oh = windows.Shape[1], ow = windows.Shape[2], rows = outputShape[0], cols = outputShape[1];
        // (batch, oh·ow, features) → (oh·ow, batch, features), then the positions output_shape keeps.
        var byPosition = K.PermuteDimensions(K.Reshape(windows, [-1, oh * ow, features]), [1, 0, 2]);
        if (rows != oh || cols != ow)
        {
            var keep = new int[rows * cols];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) keep[i * cols + j] = i * ow + j;
            byPosition = K.Gather(byPosition, Tensor.FromSpan<int>(keep, keep.Length));
        }
        var y = K.BatchDot(byPosition, kernel);                 // (positions, batch, filters)
        y = K.Reshape(y, [rows, cols, -1, kernel.Shape[2]]);
        return K.PermuteDimensions(y, cf ? [2, 3, 0, 1] : [2, 0, 1, 3]);
    }

    /// <summary>resize_volumes as tf-keras builds it: repeat_elements along the three spatial axes.</summary>
    public static Tensor ResizeVolumes(Tensor x, int depthFactor, int heightFactor, int widthFactor, string? dataFormat)
    {
        int first = dataFormat == "channels_first" ? 2 : 1;
        var y = K.RepeatElements(x, depthFactor, first);
        y = K.RepeatElements(y, heightFactor, first + 1);
        return K.RepeatElements(y, widthFactor, first + 2);
    }
}
