namespace KerasBackend.Onnx;

// The pooling gradients (static spatial sizes): max routes each window's gradient to its first maximum (MaxPool's
// indices, scattered with addition), avg shares it equally among the window's unpadded cells (a depthwise ConvTranspose).
internal static partial class Lowerings
{
    public static void Pool2dBackprop(LoweringContext c) => PoolBackprop(c);
    public static void Pool3dBackprop(LoweringContext c) => PoolBackprop(c);

    private static void PoolBackprop(LoweringContext c)
    {
        var x = c.Input(0)!;
        int rank = x.Rank, nd = rank - 2;
        bool cf = ChannelsFirst(c, 3);
        string padding = c.Attr<string>(2);
        var poolSize = c.Attr<int[]>(0);
        var g = ConvGeometry.OfPool(x, poolSize, c.Attr<int[]?>(1), padding, (string?)c.Attr(3));
        var (pads, extra) = TransposePads(c, g, nd, padding == "same");
        var strides = Spatial(g, nd, (q, i) => q.S[i]);
        if (c.Attr<string>(4) == "max")
        {
            var t = OnnxTypes.Compute(c.OutDType);
            var xc = ToChannelsFirst(c, c.InAs(0, t), rank, cf);
            var gc = ToChannelsFirst(c, c.InCompute(1, c.OutDType), rank, cf);
            var indices = c.Nodes("MaxPool", [xc], 2, ("kernel_shape", Longs(poolSize)), ("strides", strides), ("pads", pads))[1];
            var flatShape = c.Node("Shape", [xc]);
            var flat = c.Node("Reshape", [c.Zeros(flatShape, t), c.Ints(-1L)]);
            var dx = c.Node("ScatterElements", [flat, c.Node("Reshape", [indices, c.Ints(-1L)]), c.Node("Reshape", [gc, c.Ints(-1L)])],
                ("axis", 0L), ("reduction", "add"));
            c.Return(FromChannelsFirst(c, c.Node("Reshape", [dx, flatShape]), rank, cf), t);
            return;
        }
        if (c.OutDType == DType.Float64) { AveragePoolBackpropFloat64(c, g, rank, cf, padding == "same"); return; }
        // avg: grad / (cells of each window), spread back over the windows with a ones kernel per channel.
        var f = DType.Float32;
        var counts = UnpaddedWindowCells(g, nd);
        var share = Tensor.Uninitialized(f, new KerasBackend.Shape([1, 1, .. OutDims(g, nd)]));
        for (int k = 0; k < counts.Length; k++) share.SetDouble(k, counts[k] > 0 ? 1.0 / counts[k] : 0);
        var gs = c.Node("Mul", [ToChannelsFirst(c, c.InAs(1, f), rank, cf), c.Constant(share)]);
        int channels = g.C;
        var ones = Tensor.Uninitialized(f, new KerasBackend.Shape([channels, 1, .. poolSize]));
        for (int k = 0; k < ones.Size; k++) ones.SetDouble(k, 1);
        var y = c.Node("ConvTranspose", [gs, c.Constant(ones)], ("group", (long)channels), ("strides", strides), ("pads", pads), ("output_padding", extra));
        c.Return(FromChannelsFirst(c, y, rank, cf), f);
    }
}
