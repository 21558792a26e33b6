namespace KerasBackend;

/// <summary>Convolution ops built from other K ops.</summary>
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
}
