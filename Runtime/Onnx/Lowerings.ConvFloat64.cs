namespace KerasBackend.Onnx;

// float64 convolutions and average pooling without Conv, ConvTranspose and AveragePool, whose ONNX Runtime CPU kernels
// are float32 only: channels last, a sum over the window's taps of strided slices of the zero-padded input, each
// multiplied by that tap's kernel matrix (MatMul, Mul and Sum have float64 kernels). The input gradients place each
// tap's product back on the padded input grid (the upstream gradient with S − 1 zeros between its cells, shifted by the
// tap). Static spatial sizes, as the float32 forms need for their pads.
internal static partial class Lowerings
{
    /// <summary>Every tap of the window (one index per spatial dimension), in row-major order.</summary>
    private static List<int[]> WindowTaps(ConvGeometry g, int nd)
    {
        var k = Enumerable.Range(3 - nd, nd).Select(i => g.K[i]).ToArray();
        int total = k.Aggregate(1, (p, v) => p * v);
        var taps = new List<int[]>(total);
        for (int t = 0; t < total; t++)
        {
            var tap = new int[nd];
            for (int j = nd - 1, r = t; j >= 0; j--) { tap[j] = r % k[j]; r /= k[j]; }
            taps.Add(tap);
        }
        return taps;
    }

    private static string ToChannelsLast(LoweringContext c, string x, int rank, bool channelsFirst) => FromChannelsFirst(c, x, rank, !channelsFirst);

    private static string FromChannelsLast(LoweringContext c, string y, int rank, bool channelsFirst) => ToChannelsFirst(c, y, rank, !channelsFirst);

    /// <summary>A channels-last value zero-padded on its spatial axes by <paramref name="pads"/> (before..., after...).</summary>
    private static string PadSpatialAxes(LoweringContext c, string x, long[] pads, int nd)
    {
        var p = new long[2 * (nd + 2)];
        for (int j = 0; j < nd; j++) { p[1 + j] = pads[j]; p[nd + 3 + j] = pads[nd + j]; }
        return p.All(v => v == 0) ? x : c.Node("Pad", [x, c.Ints(p)]);
    }

    /// <summary>The cells one tap reads for every output position: a strided slice of the padded input (N, Out..., C).</summary>
    private static string TapSlice(LoweringContext c, string padded, ConvGeometry g, int nd, int[] tap)
    {
        var starts = new long[nd];
        var ends = new long[nd];
        var steps = new long[nd];
        for (int j = 0; j < nd; j++)
        {
            int i = 3 - nd + j;
            starts[j] = (long)tap[j] * g.D[i];
            ends[j] = starts[j] + (long)(g.Out[i] - 1) * g.S[i] + 1;
            steps[j] = g.S[i];
            if (g.Out[i] == 0) ends[j] = starts[j];
        }
        return c.Node("Slice", [padded, c.Ints(starts), c.Ints(ends), c.Ints(Longs(Enumerable.Range(1, nd))), c.Ints(steps)]);
    }

    /// <summary>A kernel laid out (spatial..., a, b) at one tap: its (a, b) matrix.</summary>
    private static string KernelAt(LoweringContext c, string kernel, Shape shape, int nd, int[] tap)
    {
        var slice = c.Node("Slice", [kernel, c.Ints(Longs(tap)), c.Ints(tap.Select(v => (long)v + 1).ToArray()), c.Ints(Longs(Enumerable.Range(0, nd)))]);
        return c.Node("Reshape", [slice, c.Ints(shape[-2], shape[-1])]);
    }

    private static string SumOf(LoweringContext c, List<string> terms) => terms.Count == 1 ? terms[0] : c.Node("Sum", terms.ToArray());

    private static void RequireStatic(LoweringContext c, ConvGeometry g, int nd)
    {
        for (int i = 3 - nd; i < 3; i++)
            if (g.In[i] < 0 || g.Out[i] < 0)
                throw new OnnxExportException(c.Op, $"{c.Op} with unknown spatial sizes cannot be exported yet (ONNX needs its pads).");
    }

    /// <summary>float64 conv: Σ over taps of slice · kernel[tap] (channels last).</summary>
    private static void ConvolutionFloat64(LoweringContext c, ConvGeometry g, int rank, bool cf, bool same)
    {
        const DType d = DType.Float64;
        int nd = rank - 2;
        RequireStatic(c, g, nd);
        var padded = PadSpatialAxes(c, ToChannelsLast(c, c.InAs(0, d), rank, cf), TransposePads(c, g, nd, same).Pads, nd);
        var kernel = c.InAs(1, d);
        var terms = WindowTaps(g, nd).Select(tap => c.Node("MatMul", [TapSlice(c, padded, g, nd, tap), KernelAt(c, kernel, c.InShape(1), nd, tap)])).ToList();
        c.Return(FromChannelsLast(c, SumOf(c, terms), rank, cf), d);
    }

    /// <summary>float64 depthwise_conv2d: Σ over taps of slice (…, C, 1) · kernel[tap] (C, M), channels c·M + m.</summary>
    private static void DepthwiseFloat64(LoweringContext c, ConvGeometry g, bool cf, bool same)
    {
        const DType d = DType.Float64;
        RequireStatic(c, g, 2);
        var padded = PadSpatialAxes(c, ToChannelsLast(c, c.InAs(0, d), 4, cf), TransposePads(c, g, 2, same).Pads, 2);
        var kernel = c.InAs(1, d);
        var terms = WindowTaps(g, 2).Select(tap =>
            c.Node("Mul", [c.Node("Unsqueeze", [TapSlice(c, padded, g, 2, tap), c.Ints(-1)]), KernelAt(c, kernel, c.InShape(1), 2, tap)])).ToList();
        c.Return(FromChannelsLast(c, c.Node("Reshape", [SumOf(c, terms), c.Ints(0, 0, 0, -1)]), 4, cf), d);
    }

    /// <summary>float64 avg pool: Σ over taps of slices, divided by each window's unpadded cells.</summary>
    private static void AveragePoolFloat64(LoweringContext c, ConvGeometry g, int rank, bool cf, bool same)
    {
        const DType d = DType.Float64;
        int nd = rank - 2;
        RequireStatic(c, g, nd);
        var padded = PadSpatialAxes(c, ToChannelsLast(c, c.InAs(0, d), rank, cf), TransposePads(c, g, nd, same).Pads, nd);
        var sum = SumOf(c, WindowTaps(g, nd).Select(tap => TapSlice(c, padded, g, nd, tap)).ToList());
        c.Return(FromChannelsLast(c, c.Node("Div", [sum, WindowCells(c, g, nd)]), rank, cf), d);
    }

    /// <summary>The unpadded cells of each pooling window, (1, Out..., 1) float64 (at least 1).</summary>
    private static string WindowCells(LoweringContext c, ConvGeometry g, int nd)
    {
        var counts = UnpaddedWindowCells(g, nd);
        var cells = Tensor.Uninitialized(DType.Float64, new Shape([1, .. OutDims(g, nd), 1]));
        for (int k = 0; k < counts.Length; k++) cells.SetDouble(k, Math.Max(counts[k], 1));
        return c.Constant(cells);
    }

    /// <summary>The spatial output dims of a geometry of rank <paramref name="nd"/>.</summary>
    private static int[] OutDims(ConvGeometry g, int nd) => Enumerable.Range(3 - nd, nd).Select(i => g.Out[i]).ToArray();

    /// <summary>How many cells of each pooling window lie inside x (its "same" border left out), output cells in row-major order.</summary>
    private static long[] UnpaddedWindowCells(ConvGeometry g, int nd)
    {
        var outDims = OutDims(g, nd);
        var counts = new long[outDims.Aggregate(1L, (a, b) => a * b)];
        var idx = new int[nd];
        for (int k = 0; k < counts.Length; k++)
        {
            long n = 1;
            for (int j = 0; j < nd; j++)
            {
                int i = 3 - nd + j;
                long start = (long)idx[j] * g.S[i] - g.Pad[i];
                n *= Math.Min(start + g.K[i], g.In[i]) - Math.Max(start, 0);
            }
            counts[k] = n;
            for (int j = nd - 1; j >= 0; j--) { if (++idx[j] < outDims[j]) break; idx[j] = 0; }
        }
        return counts;
    }

    /// <summary>
    /// A channels-last upstream gradient (N, Out..., X) with S − 1 zeros between its cells on every spatial axis:
    /// (N, (Out − 1)·S + 1..., X), the grid of the window's first tap.
    /// </summary>
    private static string Spread(LoweringContext c, string grad, ConvGeometry g, int nd, int channels)
    {
        var dims = new List<long> { -1 };
        dims.AddRange(Enumerable.Range(3 - nd, nd).Select(i => (long)g.Out[i]));
        dims.Add(channels);
        for (int j = 0; j < nd; j++)
        {
            int i = 3 - nd + j, axis = 1 + j;
            if (g.S[i] == 1 || g.Out[i] == 0) continue;
            var pads = new long[2 * (dims.Count + 1)];
            pads[dims.Count + 1 + axis + 1] = g.S[i] - 1;
            var v = c.Node("Pad", [c.Node("Unsqueeze", [grad, c.Ints(axis + 1)]), c.Ints(pads)]);
            dims[axis] = (long)g.Out[i] * g.S[i];
            v = c.Node("Reshape", [v, c.Ints(dims.ToArray())]);
            grad = c.Node("Slice", [v, c.Ints(0), c.Ints((long)(g.Out[i] - 1) * g.S[i] + 1), c.Ints(axis)]);
            dims[axis] = (long)(g.Out[i] - 1) * g.S[i] + 1;
        }
        return grad;
    }

    /// <summary>
    /// Σ over taps of <paramref name="atTap"/> (the spread gradient's contribution at a tap) shifted to the tap's place on the
    /// padded input grid, then the padding cut: the input gradient (channels last).
    /// </summary>
    private static string PlaceTaps(LoweringContext c, ConvGeometry g, int nd, bool same, Func<int[], string> atTap)
    {
        var (pads, _) = TransposePads(c, g, nd, same);
        var terms = new List<string>();
        foreach (var tap in WindowTaps(g, nd))
        {
            var p = new long[2 * (nd + 2)];
            for (int j = 0; j < nd; j++)
            {
                int i = 3 - nd + j;
                long length = g.In[i] + pads[j] + pads[nd + j], before = (long)tap[j] * g.D[i];
                long spread = g.Out[i] == 0 ? 0 : (long)(g.Out[i] - 1) * g.S[i] + 1;
                p[1 + j] = before;
                p[nd + 3 + j] = length - before - spread;
            }
            terms.Add(c.Node("Pad", [atTap(tap), c.Ints(p)]));
        }
        var starts = Longs(Enumerable.Range(0, nd).Select(j => (int)pads[j]));
        var ends = Enumerable.Range(0, nd).Select(j => pads[j] + g.In[3 - nd + j]).ToArray();
        return c.Node("Slice", [SumOf(c, terms), c.Ints(starts), c.Ints(ends), c.Ints(Longs(Enumerable.Range(1, nd)))]);
    }

    /// <summary>float64 input gradient of a convolution (and the transposed convolutions): grad · kernel[tap]ᵀ placed per tap.</summary>
    private static void BackpropInputFloat64(LoweringContext c, int gradInput, ConvGeometry g, int rank, bool cf, bool same)
    {
        const DType d = DType.Float64;
        int nd = rank - 2;
        RequireStatic(c, g, nd);
        var spread = Spread(c, ToChannelsLast(c, c.InAs(gradInput, d), rank, cf), g, nd, g.O);
        var kernel = c.InAs(1, d);
        var dx = PlaceTaps(c, g, nd, same, tap => c.Node("MatMul", [spread, c.Node("Transpose", [KernelAt(c, kernel, c.InShape(1), nd, tap)])]));
        c.Return(FromChannelsLast(c, dx, rank, cf), d);
    }

    /// <summary>float64 depthwise input gradient: Σ_m grad[…, c·M + m] · kernel[tap, c, m], placed per tap.</summary>
    private static void DepthwiseBackpropInputFloat64(LoweringContext c, ConvGeometry g, bool cf, bool same)
    {
        const DType d = DType.Float64;
        RequireStatic(c, g, 2);
        int m = g.Multiplier;
        var spread = c.Node("Reshape", [Spread(c, ToChannelsLast(c, c.InAs(2, d), 4, cf), g, 2, g.O), c.Ints(0, 0, 0, g.C, m)]);
        var kernel = c.InAs(1, d);
        var dx = PlaceTaps(c, g, 2, same, tap =>
            c.Reduce("ReduceSum", c.Node("Mul", [spread, KernelAt(c, kernel, c.InShape(1), 2, tap)]), [4], false));
        c.Return(FromChannelsLast(c, dx, 4, cf), d);
    }

    /// <summary>float64 filter gradient: per tap Σ over batch and positions of slᵀ · grad (conv: (C, O); depthwise: per channel (C, M)).</summary>
    private static void BackpropFilterFloat64(LoweringContext c, ConvGeometry g, int rank, bool cf, bool same, bool depthwise)
    {
        const DType d = DType.Float64;
        int nd = rank - 2;
        RequireStatic(c, g, nd);
        var padded = PadSpatialAxes(c, ToChannelsLast(c, c.InAs(0, d), rank, cf), TransposePads(c, g, nd, same).Pads, nd);
        var grad = ToChannelsLast(c, c.InAs(2, d), rank, cf);
        var ks = c.InShape(1);
        int a = ks[-2], b = ks[-1];
        var terms = new List<string>();
        foreach (var tap in WindowTaps(g, nd))
        {
            var slice = c.Node("Reshape", [TapSlice(c, padded, g, nd, tap), c.Ints(-1, a)]);
            string term = depthwise
                ? c.Reduce("ReduceSum", c.Node("Mul", [c.Node("Unsqueeze", [slice, c.Ints(2)]), c.Node("Reshape", [grad, c.Ints(-1, a, b)])]), [0], false)
                : c.Node("MatMul", [c.Node("Transpose", [slice]), c.Node("Reshape", [grad, c.Ints(-1, b)])]);
            terms.Add(c.Node("Unsqueeze", [term, c.Ints(0)]));
        }
        var stacked = terms.Count == 1 ? terms[0] : c.Node("Concat", terms.ToArray(), ("axis", 0L));
        c.Return(c.Node("Reshape", [stacked, c.Ints(Longs(ks.Dims.ToArray()))]), d);
    }

    /// <summary>float64 average-pool gradient: grad / cells, placed on every tap of its window.</summary>
    private static void AveragePoolBackpropFloat64(LoweringContext c, ConvGeometry g, int rank, bool cf, bool same)
    {
        const DType d = DType.Float64;
        int nd = rank - 2;
        RequireStatic(c, g, nd);
        var share = c.Node("Div", [ToChannelsLast(c, c.InAs(1, d), rank, cf), WindowCells(c, g, nd)]);
        var spread = Spread(c, share, g, nd, g.C);
        c.Return(FromChannelsLast(c, PlaceTaps(c, g, nd, same, _ => spread), rank, cf), d);
    }
}
