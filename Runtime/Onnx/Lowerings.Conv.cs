namespace KerasBackend.Onnx;

// Lowerings of the conv family: ONNX convolutions and pools are channels-first, with kernels (out, in, spatial...).
internal static partial class Lowerings
{
    private static bool ChannelsFirst(LoweringContext c, int attr) => ConvGeometry.IsChannelsFirst((string?)c.Attr(attr));

    /// <summary>x in channels-first layout (a Transpose for channels_last).</summary>
    private static string ToChannelsFirst(LoweringContext c, string x, int rank, bool channelsFirst) =>
        channelsFirst ? x : c.Node("Transpose", [x], ("perm", Longs(new[] { 0, rank - 1 }.Concat(Enumerable.Range(1, rank - 2)))));

    private static string FromChannelsFirst(LoweringContext c, string y, int rank, bool channelsFirst) =>
        channelsFirst ? y : c.Node("Transpose", [y], ("perm", Longs(new[] { 0 }.Concat(Enumerable.Range(2, rank - 2)).Append(1))));

    /// <summary>TensorFlow's "same" (the extra pad after) is ONNX's SAME_UPPER.</summary>
    private static string AutoPad(string padding) => padding == "same" ? "SAME_UPPER" : "VALID";

    private static long[] Ones(int n) => Enumerable.Repeat(1L, n).ToArray();

    /// <summary>
    /// ONNX Runtime's CPU Conv, ConvTranspose and AveragePool compute float32 only: float16 convolutions compute in float32;
    /// float64 ones do not use them (Lowerings.ConvFloat64.cs).
    /// </summary>
    private static DType ConvCompute(DType d) => DType.Float32;

    /// <summary>conv2d / conv3d: attrs strides, padding, data_format, dilation_rate.</summary>
    private static void Convolution(LoweringContext c)
    {
        var t = ConvCompute(c.OutDType);
        int rank = c.InRank(0), nd = rank - 2;
        bool cf = ChannelsFirst(c, 2);
        string padding = c.Attr<string>(1);
        var g = ConvGeometry.OfConv(c.Input(0)!, c.Input(1)!, c.Attr<int[]?>(0), padding, (string?)c.Attr(2), c.Attr<int[]?>(3));
        if (c.OutDType == DType.Float64) { ConvolutionFloat64(c, g, rank, cf, padding == "same"); return; }
        var x = ToChannelsFirst(c, c.Cast(c.InCompute(0, c.OutDType), OnnxTypes.Compute(c.OutDType), t), rank, cf);
        var w = c.Node("Transpose", [c.Cast(c.InCompute(1, c.OutDType), OnnxTypes.Compute(c.OutDType), t)], ("perm", Longs(new[] { nd + 1, nd }.Concat(Enumerable.Range(0, nd)))));
        // Explicit pads when the spatial sizes are known (ONNX Runtime refuses SAME_UPPER with dilations), else SAME_UPPER.
        bool known = Enumerable.Range(3 - nd, nd).All(i => g.In[i] >= 0);
        var padAttr = known ? ("pads", (object)TransposePads(c, g, nd, padding == "same").Pads) : ("auto_pad", (object)AutoPad(padding));
        var y = c.Node("Conv", [x, w], padAttr, ("strides", Spatial(g, nd, (q, i) => q.S[i])), ("dilations", Spatial(g, nd, (q, i) => q.D[i])));
        c.Return(FromChannelsFirst(c, y, rank, cf), t);
    }

    public static void Conv2d(LoweringContext c) => Convolution(c);
    public static void Conv3d(LoweringContext c) => Convolution(c);

    /// <summary>pool2d / pool3d: attrs pool_size, strides, padding, data_format, pool_mode; averages do not count padded cells.</summary>
    private static void Pool(LoweringContext c)
    {
        var t = c.Attr<string>(4) == "max" ? OnnxTypes.Compute(c.OutDType) : ConvCompute(c.OutDType);
        int rank = c.InRank(0), nd = rank - 2;
        bool cf = ChannelsFirst(c, 3);
        var size = c.Attr<int[]>(0);
        var strides = c.Attr<int[]?>(1);
        if (c.Attr<string>(4) != "max" && c.OutDType == DType.Float64)
        {
            var g = ConvGeometry.OfPool(c.Input(0)!, size, strides, c.Attr<string>(2), (string?)c.Attr(3));
            AveragePoolFloat64(c, g, rank, cf, c.Attr<string>(2) == "same");
            return;
        }
        var x = ToChannelsFirst(c, c.InAs(0, t), rank, cf);
        var attrs = new List<(string, object)> { ("kernel_shape", Longs(size)), ("strides", strides is null ? Ones(nd) : Longs(strides)), ("auto_pad", AutoPad(c.Attr<string>(2))) };
        string y = c.Attr<string>(4) == "max" ? c.Node("MaxPool", [x], attrs.ToArray()) : c.Node("AveragePool", [x], [.. attrs, ("count_include_pad", 0L)]);
        c.Return(FromChannelsFirst(c, y, rank, cf), t);
    }

    public static void Pool2d(LoweringContext c) => Pool(c);
    public static void Pool3d(LoweringContext c) => Pool(c);

    /// <summary>x + bias on the channel axis (a rank-1 bias), or a bias of x's shape without the batch axis (channels moved for channels_first).</summary>
    public static void BiasAdd(LoweringContext c)
    {
        var t = OnnxTypes.Compute(c.OutDType);
        int rank = c.InRank(0);
        bool cf = ChannelsFirst(c, 0);
        var bias = c.InCompute(1, c.OutDType);
        var bs = c.InShape(1);
        var shape = bs.Rank == 1
            ? Enumerable.Range(0, rank).Select(i => i == (cf && rank > 2 ? 1 : rank - 1) ? (long)bs[0] : 1L).ToArray()
            : Longs(ConvGeometry.BiasShape(rank, bs, (string?)c.Attr(0)).Dims.ToArray());
        c.Return(c.Node("Add", [c.InCompute(0, c.OutDType), c.Node("Reshape", [bias, c.Ints(shape)])]), t);
    }

    /// <summary>Zero padding: (before, after) per spatial axis, in the data format's spatial axes.</summary>
    private static void PadSpatial(LoweringContext c, int[] pairs, bool channelsFirst)
    {
        int rank = c.InRank(0), nd = pairs.Length / 2;
        int first = channelsFirst ? 2 : 1;
        var before = new long[rank];
        var after = new long[rank];
        for (int i = 0; i < nd; i++) { before[first + i] = pairs[2 * i]; after[first + i] = pairs[2 * i + 1]; }
        var zero = c.Scalar(0, c.InDType(0));
        c.Return(c.Node("Pad", [c.In(0), c.Ints([.. before, .. after]), zero], ("mode", "constant")), c.InDType(0));
    }

    public static void TemporalPadding(LoweringContext c) => PadSpatial(c, c.Attr<int[]?>(0) ?? [1, 1], false);
    public static void Spatial2dPadding(LoweringContext c) => PadSpatial(c, c.Attr<int[]?>(0) ?? [1, 1, 1, 1], ChannelsFirst(c, 1));
    public static void Spatial3dPadding(LoweringContext c) => PadSpatial(c, c.Attr<int[]?>(0) ?? [1, 1, 1, 1, 1, 1], ChannelsFirst(c, 1));
}

// The transposed convolutions and the convolution gradients, from the forward convolution's geometry (static spatial sizes).
internal static partial class Lowerings
{
    /// <summary>Pads (before..., after...) and ONNX ConvTranspose's output_padding for the forward geometry <paramref name="g"/> (target = its input).</summary>
    private static (long[] Pads, long[] OutputPadding) TransposePads(LoweringContext c, ConvGeometry g, int nd, bool same)
    {
        var before = new long[nd];
        var after = new long[nd];
        var extra = new long[nd];
        for (int j = 0; j < nd; j++)
        {
            int i = 3 - nd + j;
            if (g.In[i] < 0 || g.Out[i] < 0)
                throw new OnnxExportException(c.Op, $"{c.Op} with unknown spatial sizes cannot be exported yet (ONNX needs its pads).");
            long eff = (long)(g.K[i] - 1) * g.D[i] + 1;
            long total = same ? Math.Max((long)(g.Out[i] - 1) * g.S[i] + eff - g.In[i], 0) : 0;
            before[j] = g.Pad[i];
            after[j] = total - g.Pad[i];
            extra[j] = g.In[i] - ((long)g.S[i] * (g.Out[i] - 1) + eff - total);
        }
        return ([.. before, .. after], extra);
    }

    private static long[] Spatial(ConvGeometry g, int nd, Func<ConvGeometry, int, int> pick) =>
        Enumerable.Range(3 - nd, nd).Select(i => (long)pick(g, i)).ToArray();

    /// <summary>grad (the forward output) mapped back onto the forward input's grid: ConvTranspose with the forward kernel.</summary>
    private static void BackpropInput(LoweringContext c, int gradInput, ConvGeometry g, int rank, bool cf, string padding)
    {
        if (c.OutDType == DType.Float64) { BackpropInputFloat64(c, gradInput, g, rank, cf, padding == "same"); return; }
        var t = ConvCompute(c.OutDType);
        int nd = rank - 2;
        var (pads, extra) = TransposePads(c, g, nd, padding == "same");
        var grad = ToChannelsFirst(c, c.InAs(gradInput, t), rank, cf);
        var w = c.Node("Transpose", [c.InAs(1, t)], ("perm", Longs(new[] { nd + 1, nd }.Concat(Enumerable.Range(0, nd)))));
        var y = c.Node("ConvTranspose", [grad, w], ("strides", Spatial(g, nd, (x, i) => x.S[i])), ("dilations", Spatial(g, nd, (x, i) => x.D[i])),
            ("pads", pads), ("output_padding", extra));
        c.Return(FromChannelsFirst(c, y, rank, cf), t);
    }

    private static void ConvBackpropInput(LoweringContext c)
    {
        var x = c.Input(0)!;
        var g = ConvGeometry.OfConv(x, c.Input(1)!, c.Attr<int[]?>(0), c.Attr<string>(1), (string?)c.Attr(2), c.Attr<int[]?>(3));
        BackpropInput(c, 2, g, x.Rank, ChannelsFirst(c, 2), c.Attr<string>(1));
    }

    public static void Conv2dBackpropInput(LoweringContext c) => ConvBackpropInput(c);
    public static void Conv3dBackpropInput(LoweringContext c) => ConvBackpropInput(c);

    /// <summary>conv2d_transpose(x, kernel (kh, kw, out, in), output_shape, strides, padding, data_format, dilation_rate): the input gradient of the conv2d from the result to x.</summary>
    public static void Conv2dTranspose(LoweringContext c)
    {
        var g = ConvGeometry.OfTranspose(c.Output, c.Input(1)!, c.Attr<int[]?>(1), c.Attr<string>(2), (string?)c.Attr(3), c.Attr<int[]?>(4));
        BackpropInput(c, 0, g, c.OutShape.Rank, ChannelsFirst(c, 3), c.Attr<string>(2));
    }

    /// <summary>
    /// d conv / d kernel: a convolution of x with grad over the batch (channels as batch, the forward strides as dilations
    /// and dilations as strides), cut to the kernel's extent and laid out (spatial..., in, out).
    /// </summary>
    private static void ConvBackpropFilter(LoweringContext c)
    {
        var t = ConvCompute(c.OutDType);
        var x = c.Input(0)!;
        string padding = c.Attr<string>(1);
        bool cf = ChannelsFirst(c, 2);
        int rank = x.Rank, nd = rank - 2;
        var g = ConvGeometry.OfConv(x, c.Input(1)!, c.Attr<int[]?>(0), padding, (string?)c.Attr(2), c.Attr<int[]?>(3));
        if (c.OutDType == DType.Float64) { BackpropFilterFloat64(c, g, rank, cf, padding == "same", depthwise: false); return; }
        var (pads, _) = TransposePads(c, g, nd, padding == "same");
        var swap = Longs(new[] { 1, 0 }.Concat(Enumerable.Range(2, nd)));
        var xs = c.Node("Transpose", [ToChannelsFirst(c, c.InAs(0, t), rank, cf)], ("perm", swap));
        var gs = c.Node("Transpose", [ToChannelsFirst(c, c.InAs(2, t), rank, cf)], ("perm", swap));
        var y = c.Node("Conv", [xs, gs], ("strides", Spatial(g, nd, (q, i) => q.D[i])), ("dilations", Spatial(g, nd, (q, i) => q.S[i])), ("pads", pads));
        var k = Spatial(g, nd, (q, i) => q.K[i]);
        y = c.Node("Slice", [y, c.Ints(new long[nd]), c.Ints(k), c.Ints(Longs(Enumerable.Range(2, nd)))]);
        c.Return(c.Node("Transpose", [y], ("perm", Longs(Enumerable.Range(2, nd).Append(0).Append(1)))), t);
    }

    public static void Conv2dBackpropFilter(LoweringContext c) => ConvBackpropFilter(c);
    public static void Conv3dBackpropFilter(LoweringContext c) => ConvBackpropFilter(c);
}

// conv3d_transpose, the depthwise convolution and its gradients, resize_images and its gradient.
internal static partial class Lowerings
{
    /// <summary>conv3d_transpose(x, kernel (kd, kh, kw, out, in), output_shape, strides, padding, data_format): as conv2d_transpose, no dilation.</summary>
    public static void Conv3dTranspose(LoweringContext c)
    {
        var g = ConvGeometry.OfTranspose(c.Output, c.Input(1)!, c.Attr<int[]?>(1), c.Attr<string>(2), (string?)c.Attr(3));
        BackpropInput(c, 0, g, c.OutShape.Rank, ChannelsFirst(c, 3), c.Attr<string>(2));
    }

    private static ConvGeometry DepthwiseGeometry(LoweringContext c)
    {
        var g = ConvGeometry.OfDepthwise(c.Input(0)!, c.Input(1)!, c.Attr<int[]?>(0), c.Attr<string>(1), (string?)c.Attr(2), c.Attr<int[]?>(3));
        if (g.C < 0 || g.O < 0)
            throw new OnnxExportException(c.Op, $"{c.Op} with an unknown channel count cannot be exported (ONNX's grouped convolution needs it).");
        return g;
    }

    /// <summary>The depthwise kernel (kh, kw, C, M) as grouped ONNX weights (C·M, 1, kh, kw): output channel c·M + m reads input channel c.</summary>
    private static string DepthwiseWeights(LoweringContext c, DType t)
    {
        var ks = c.InShape(1);
        var w = c.Node("Reshape", [c.InAs(1, t), c.Ints(ks[0], ks[1], -1)]);
        return c.Node("Unsqueeze", [c.Node("Transpose", [w], ("perm", new long[] { 2, 0, 1 })), c.Ints(1)]);
    }

    /// <summary>depthwise_conv2d: a Conv with group = in_channels.</summary>
    public static void DepthwiseConv2d(LoweringContext c)
    {
        var t = ConvCompute(c.OutDType);
        bool cf = ChannelsFirst(c, 2);
        var g = DepthwiseGeometry(c);
        if (c.OutDType == DType.Float64) { DepthwiseFloat64(c, g, cf, c.Attr<string>(1) == "same"); return; }
        var x = ToChannelsFirst(c, c.Cast(c.InCompute(0, c.OutDType), OnnxTypes.Compute(c.OutDType), t), 4, cf);
        var w = DepthwiseWeights(c, t);
        var (pads, _) = TransposePads(c, g, 2, c.Attr<string>(1) == "same");
        var y = c.Node("Conv", [x, w], ("pads", pads), ("strides", Spatial(g, 2, (q, i) => q.S[i])), ("dilations", Spatial(g, 2, (q, i) => q.D[i])), ("group", (long)g.C));
        c.Return(FromChannelsFirst(c, y, 4, cf), t);
    }

    /// <summary>d depthwise_conv2d / d x: a ConvTranspose of grad with the same grouped weights (group = in_channels).</summary>
    public static void DepthwiseConv2dBackpropInput(LoweringContext c)
    {
        var t = ConvCompute(c.OutDType);
        bool cf = ChannelsFirst(c, 2);
        var g = DepthwiseGeometry(c);
        if (c.OutDType == DType.Float64) { DepthwiseBackpropInputFloat64(c, g, cf, c.Attr<string>(1) == "same"); return; }
        var (pads, extra) = TransposePads(c, g, 2, c.Attr<string>(1) == "same");
        var grad = ToChannelsFirst(c, c.InAs(2, t), 4, cf);
        var y = c.Node("ConvTranspose", [grad, DepthwiseWeights(c, t)], ("strides", Spatial(g, 2, (q, i) => q.S[i])),
            ("dilations", Spatial(g, 2, (q, i) => q.D[i])), ("pads", pads), ("output_padding", extra), ("group", (long)g.C));
        c.Return(FromChannelsFirst(c, y, 4, cf), t);
    }

    /// <summary>
    /// d depthwise_conv2d / d kernel: as conv2d's filter gradient (x with batch and channels swapped, convolved with grad as
    /// weights, the forward strides as dilations and dilations as strides), grouped by channel so that output channel
    /// c·M + m only reads x's channel c: x laid out (1, C·N, H, W), grad (C·M, N, Ho, Wo), group = C.
    /// </summary>
    public static void DepthwiseConv2dBackpropFilter(LoweringContext c)
    {
        var t = ConvCompute(c.OutDType);
        bool cf = ChannelsFirst(c, 2);
        var g = DepthwiseGeometry(c);
        if (c.OutDType == DType.Float64) { BackpropFilterFloat64(c, g, 4, cf, c.Attr<string>(1) == "same", depthwise: true); return; }
        var (pads, _) = TransposePads(c, g, 2, c.Attr<string>(1) == "same");
        var swap = new long[] { 1, 0, 2, 3 };
        var xs = c.Node("Transpose", [ToChannelsFirst(c, c.InAs(0, t), 4, cf)], ("perm", swap));
        xs = c.Node("Reshape", [xs, c.Ints(1, -1, g.In[1], g.In[2])]);
        var gs = c.Node("Transpose", [ToChannelsFirst(c, c.InAs(2, t), 4, cf)], ("perm", swap));
        var y = c.Node("Conv", [xs, gs], ("strides", Spatial(g, 2, (q, i) => q.D[i])), ("dilations", Spatial(g, 2, (q, i) => q.S[i])),
            ("pads", pads), ("group", (long)g.C));
        y = c.Node("Slice", [y, c.Ints(0, 0), c.Ints(g.K[1], g.K[2]), c.Ints(2, 3)]);
        y = c.Node("Reshape", [y, c.Ints(g.C, g.Multiplier, g.K[1], g.K[2])]);
        c.Return(c.Node("Transpose", [y], ("perm", new long[] { 2, 3, 0, 1 })), t);
    }

    /// <summary>resize_images' spatial axes (height, width) and their extents, which ONNX needs known.</summary>
    private static (bool ChannelsFirst, int H0, int W0) ResizeGeometry(LoweringContext c, int attr)
    {
        bool cf = (string?)c.Attr(attr) == "channels_first";
        var s = c.InShape(0);
        int h0 = s[cf ? 2 : 1], w0 = s[cf ? 3 : 2];
        if (h0 < 0 || w0 < 0) throw new OnnxExportException(c.Op, $"{c.Op} with unknown rows or columns cannot be exported (its interpolation is written as constants). Received: x.shape={s}");
        return (cf, h0, w0);
    }

    /// <summary>
    /// The interpolation matrix (out, in) of one axis: row i holds the weights resize_images reads input cells with
    /// (<see cref="ResizeTaps"/>: nearest 1 at its cell, bilinear 1 − w and w at its two taps).
    /// </summary>
    private static string ResizeMatrix(LoweringContext c, int input, int factor, bool nearest)
    {
        int output = input * factor;
        var m = Tensor.Uninitialized(DType.Float64, new Shape(output, input));
        var a = new double[output * input];
        for (int i = 0; i < output; i++)
        {
            if (nearest) { a[i * input + ResizeTaps.Nearest(i, input, output)] = 1; continue; }
            var (lo, hi, w) = ResizeTaps.Bilinear(i, input, output);
            a[i * input + lo] += 1 - w;
            a[i * input + hi] += w;
        }
        for (int i = 0; i < a.Length; i++) m.SetDouble(i, a[i]);
        return c.Constant(m);
    }

    /// <summary>
    /// resize_images: nearest gathers the source rows and columns (any dtype, exact); bilinear multiplies by the two axes'
    /// interpolation matrices in float64 (rows, then columns) and rounds once to the float32 result.
    /// </summary>
    public static void ResizeImages(LoweringContext c)
    {
        int fh = c.Attr<int>(0), fw = c.Attr<int>(1);
        var (cf, h0, w0) = ResizeGeometry(c, 2);
        if (c.Attr<string>(3) == "nearest")
        {
            var rows = Enumerable.Range(0, h0 * fh).Select(i => (long)ResizeTaps.Nearest(i, h0, h0 * fh)).ToArray();
            var cols = Enumerable.Range(0, w0 * fw).Select(j => (long)ResizeTaps.Nearest(j, w0, w0 * fw)).ToArray();
            var y = c.Node("Gather", [c.In(0), c.Ints(rows)], ("axis", cf ? 2L : 1L));
            c.Return(c.Node("Gather", [y, c.Ints(cols)], ("axis", cf ? 3L : 2L)), c.InDType(0));
            return;
        }
        var x = ToChannelsFirst(c, c.InAs(0, DType.Float64), 4, cf);
        var r = c.Node("MatMul", [ResizeMatrix(c, h0, fh, false), x]);
        r = c.Node("MatMul", [r, c.Node("Transpose", [ResizeMatrix(c, w0, fw, false)])]);
        c.Return(FromChannelsFirst(c, r, 4, cf), DType.Float64);
    }

    /// <summary>d resize_images / d x: the transposed interpolation matrices applied to grad (nearest: block sums), in float64.</summary>
    public static void ResizeImagesBackprop(LoweringContext c)
    {
        int fh = c.Attr<int>(0), fw = c.Attr<int>(1);
        var (cf, h0, w0) = ResizeGeometry(c, 2);
        bool nearest = c.Attr<string>(3) == "nearest";
        var grad = ToChannelsFirst(c, c.InAs(1, DType.Float64), 4, cf);
        var r = c.Node("MatMul", [c.Node("Transpose", [ResizeMatrix(c, h0, fh, nearest)]), grad]);
        r = c.Node("MatMul", [r, ResizeMatrix(c, w0, fw, nearest)]);
        c.Return(FromChannelsFirst(c, r, 4, cf), DType.Float64);
    }
}
