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

    /// <summary>ONNX Runtime's CPU Conv, ConvTranspose and AveragePool compute float32 only: float64 convolutions are computed in float32.</summary>
    private static DType ConvCompute(DType d) => DType.Float32;

    /// <summary>conv2d / conv3d: attrs strides, padding, data_format, dilation_rate.</summary>
    private static void Convolution(LoweringContext c)
    {
        var t = ConvCompute(c.OutDType);
        int rank = c.InRank(0), nd = rank - 2;
        bool cf = ChannelsFirst(c, 2);
        string padding = c.Attr<string>(1);
        var g = ConvGeometry.OfConv(c.Input(0)!, c.Input(1)!, c.Attr<int[]?>(0), padding, (string?)c.Attr(2), c.Attr<int[]?>(3));
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
