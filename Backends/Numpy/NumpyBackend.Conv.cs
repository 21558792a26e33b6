namespace KerasBackend.Backends.Numpy;

// The convolution family as plain loops straight from the definitions, in float64 (rounded once into the output).
// Spatial positions are (depth, height, width) through ConvGeometry; a 2D op has depth 1.
public sealed partial class NumpyBackend
{
    /// <summary>Flat index of (n, c, d, h, w) in a tensor of <paramref name="channels"/> channels and extents <paramref name="ext"/>.</summary>
    private static int At(bool channelsFirst, int channels, Dims3 ext, int n, int c, int d, int h, int w) => channelsFirst
        ? (((n * channels + c) * ext[0] + d) * ext[1] + h) * ext[2] + w
        : (((n * ext[0] + d) * ext[1] + h) * ext[2] + w) * channels + c;

    /// <summary>Flat index of kernel tap (z, a, b) from input channel c to output channel o: layout (kd, kh, kw, in, out).</summary>
    private static int Tap(in ConvGeometry g, int z, int a, int b, int c, int o) => (((z * g.K[1] + a) * g.K[2] + b) * g.C + c) * g.O + o;

    /// <summary>
    /// Visits every (output cell, kernel tap) pair whose input cell lies inside x: visit(input index, kernel index,
    /// output index). conv, and both of its gradients, are sums over exactly these triples.
    /// </summary>
    private static void ForEachTap(in ConvGeometry g, Action<int, int, int> visit)
    {
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < g.O; o++)
        for (int od = 0; od < g.Out[0]; od++)
        for (int oh = 0; oh < g.Out[1]; oh++)
        for (int ow = 0; ow < g.Out[2]; ow++)
        {
            int yi = At(g.ChannelsFirst, g.O, g.Out, n, o, od, oh, ow);
            for (int z = 0; z < g.K[0]; z++)
            for (int a = 0; a < g.K[1]; a++)
            for (int b = 0; b < g.K[2]; b++)
            {
                int d = od * g.S[0] + z * g.D[0] - g.Pad[0], h = oh * g.S[1] + a * g.D[1] - g.Pad[1], w = ow * g.S[2] + b * g.D[2] - g.Pad[2];
                if (d < 0 || d >= g.In[0] || h < 0 || h >= g.In[1] || w < 0 || w >= g.In[2]) continue;
                for (int c = 0; c < g.C; c++)
                    visit(At(g.ChannelsFirst, g.C, g.In, n, c, d, h, w), Tap(g, z, a, b, c, o), yi);
            }
        }
    }

    /// <summary>conv2d: y[n, i, j, o] = Σ_{a, b, c} x[n, i·sh + a·dh − pt, j·sw + b·dw − pl, c] · k[a, b, c, o] over cells inside x.</summary>
    public void Conv2d(Tensor x, Tensor kernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output)
    {
        var g = ConvGeometry.OfConv(x, kernel, strides, padding, dataFormat, dilationRate);
        var y = new double[output.Size];
        ForEachTap(g, (xi, ki, yi) => y[yi] += x.GetDouble(xi) * kernel.GetDouble(ki));
        for (int i = 0; i < y.Length; i++) output.SetDouble(i, y[i]);
    }

    /// <summary>d conv2d / d x: every tap sends grad[y] · k[tap] back to the input cell it read.</summary>
    public void Conv2dBackpropInput(Tensor x, Tensor kernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output)
    {
        var g = ConvGeometry.OfConv(x, kernel, strides, padding, dataFormat, dilationRate);
        var dx = new double[output.Size];
        ForEachTap(g, (xi, ki, yi) => dx[xi] += grad.GetDouble(yi) * kernel.GetDouble(ki));
        for (int i = 0; i < dx.Length; i++) output.SetDouble(i, dx[i]);
    }

    /// <summary>conv2d_transpose: the input gradient of the conv2d from the result's grid to x's, with x as the upstream gradient.</summary>
    public void Conv2dTranspose(Tensor x, Tensor kernel, int?[]? outputShape, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output)
    {
        var g = ConvGeometry.OfTranspose(output, kernel, strides, padding, dataFormat, dilationRate);
        var y = new double[output.Size];
        ForEachTap(g, (yi, ki, xi) => y[yi] += x.GetDouble(xi) * kernel.GetDouble(ki));
        for (int i = 0; i < y.Length; i++) output.SetDouble(i, y[i]);
    }

    /// <summary>d conv2d / d kernel: every tap collects x[input cell] · grad[y].</summary>
    public void Conv2dBackpropFilter(Tensor x, Tensor kernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output)
    {
        var g = ConvGeometry.OfConv(x, kernel, strides, padding, dataFormat, dilationRate);
        var dk = new double[output.Size];
        ForEachTap(g, (xi, ki, yi) => dk[ki] += x.GetDouble(xi) * grad.GetDouble(yi));
        for (int i = 0; i < dk.Length; i++) output.SetDouble(i, dk[i]);
    }

    /// <summary>
    /// Visits every pool window: visit(output index, the input indices of the window's cells inside x, in row-major
    /// window order). Padded cells are not visited, so max ignores them and avg does not count them.
    /// </summary>
    private static void ForEachWindow(Tensor x, int[] poolSize, int[]? strides, string padding, string? dataFormat, Action<int, List<int>> visit)
    {
        var g = ConvGeometry.OfPool(x, poolSize, strides, padding, dataFormat);
        var cells = new List<int>();
        for (int n = 0; n < g.N; n++)
        for (int c = 0; c < g.C; c++)
        for (int od = 0; od < g.Out[0]; od++)
        for (int oh = 0; oh < g.Out[1]; oh++)
        for (int ow = 0; ow < g.Out[2]; ow++)
        {
            cells.Clear();
            for (int z = 0; z < g.K[0]; z++)
            for (int a = 0; a < g.K[1]; a++)
            for (int b = 0; b < g.K[2]; b++)
            {
                int d = od * g.S[0] + z - g.Pad[0], h = oh * g.S[1] + a - g.Pad[1], w = ow * g.S[2] + b - g.Pad[2];
                if (d >= 0 && d < g.In[0] && h >= 0 && h < g.In[1] && w >= 0 && w < g.In[2])
                    cells.Add(At(g.ChannelsFirst, g.C, g.In, n, c, d, h, w));
            }
            visit(At(g.ChannelsFirst, g.C, g.Out, n, c, od, oh, ow), cells);
        }
    }

    /// <summary>The first cell (in window order) holding the window's maximum; NaN wins as numpy.max propagates it.</summary>
    private static int ArgMax(Tensor x, List<int> cells)
    {
        int best = cells[0];
        for (int i = 1; i < cells.Count; i++)
        {
            double v = x.GetDouble(cells[i]), m = x.GetDouble(best);
            if (double.IsNaN(m)) break;
            if (v > m || double.IsNaN(v)) best = cells[i];
        }
        return best;
    }

    /// <summary>pool2d: the max, or the mean over the cells inside x, of each window.</summary>
    public void Pool2d(Tensor x, int[] poolSize, int[]? strides, string padding, string? dataFormat, string poolMode, Tensor output)
    {
        bool max = poolMode == "max";
        ForEachWindow(x, poolSize, strides, padding, dataFormat, (yi, cells) =>
        {
            double s = 0;
            if (max) s = x.GetDouble(ArgMax(x, cells));
            else { foreach (int i in cells) s += x.GetDouble(i); s /= cells.Count; }
            output.SetDouble(yi, s);
        });
    }

    /// <summary>d pool2d / d x: max routes grad to the window's first maximum; avg shares it equally among the window's cells.</summary>
    public void Pool2dBackprop(Tensor x, Tensor grad, int[] poolSize, int[]? strides, string padding, string? dataFormat, string poolMode, Tensor output)
    {
        bool max = poolMode == "max";
        var dx = new double[output.Size];
        ForEachWindow(x, poolSize, strides, padding, dataFormat, (yi, cells) =>
        {
            double u = grad.GetDouble(yi);
            if (max) dx[ArgMax(x, cells)] += u;
            else foreach (int i in cells) dx[i] += u / cells.Count;
        });
        for (int i = 0; i < dx.Length; i++) output.SetDouble(i, dx[i]);
    }

    /// <summary>bias_add: x + bias, the bias laid along the channel axis (a vector) or reshaped as tf-keras does, broadcast.</summary>
    public void BiasAdd(Tensor x, Tensor bias, string? dataFormat, Tensor output)
    {
        var bshape = bias.Rank == 1
            ? Shape.Wrap(Enumerable.Range(0, x.Rank).Select(i => i == (ConvGeometry.IsChannelsFirst(dataFormat) && x.Rank > 2 ? 1 : x.Rank - 1) ? bias.Shape[0] : 1).ToArray())
            : ConvGeometry.BiasShape(x.Rank, bias.Shape, dataFormat);
        var os = output.Shape;
        var coord = new int[os.Rank];
        for (int i = 0; i < output.Size; i++)
        {
            for (int r = os.Rank - 1, rest = i; r >= 0; r--) { coord[r] = rest % os[r]; rest /= os[r]; }
            int xi = Broadcast(coord, x.Shape), bi = Broadcast(coord, bshape);
            if (output.DType.IsFloat()) output.SetDouble(i, x.GetDouble(xi) + bias.GetDouble(bi));
            else output.SetLong(i, unchecked(x.GetLong(xi) + bias.GetLong(bi)));
        }
    }

    /// <summary>The flat index in a tensor of <paramref name="shape"/> that numpy broadcasting reads for output <paramref name="coord"/>.</summary>
    private static int Broadcast(int[] coord, Shape shape)
    {
        int idx = 0, lead = coord.Length - shape.Rank;
        for (int r = 0; r < shape.Rank; r++) idx = idx * shape[r] + (shape[r] == 1 ? 0 : coord[lead + r]);
        return idx;
    }

    /// <summary>temporal_padding: numpy.pad(x, [[0, 0], padding, [0, 0]]).</summary>
    public void TemporalPadding(Tensor x, int[]? padding, Tensor output) => Pad(x, [0, 0, .. padding ?? [1, 1], 0, 0], output);

    /// <summary>spatial_2d_padding: numpy.pad over the two spatial axes of the data format.</summary>
    public void Spatial2dPadding(Tensor x, int[]? padding, string? dataFormat, Tensor output)
    {
        var p = padding ?? [1, 1, 1, 1];
        Pad(x, ConvGeometry.IsChannelsFirst(dataFormat) ? [0, 0, 0, 0, .. p] : [0, 0, .. p, 0, 0], output);
    }

    /// <summary>numpy.pad with zeros: (before, after) per axis, flat; elements are copied as bytes (exact for every dtype).</summary>
    private static void Pad(Tensor x, int[] pads, Tensor output)
    {
        int item = x.DType.ItemSize();
        var src = x.Bytes();
        var dst = output.Bytes();
        dst.Clear();
        var coord = new int[x.Rank];
        for (int i = 0; i < x.Size; i++)
        {
            for (int r = x.Rank - 1, rest = i; r >= 0; r--) { coord[r] = rest % x.Shape[r]; rest /= x.Shape[r]; }
            int o = 0;
            for (int r = 0; r < x.Rank; r++) o = o * output.Shape[r] + coord[r] + pads[2 * r];
            src.Slice(i * item, item).CopyTo(dst.Slice(o * item, item));
        }
    }

    // The 3D ops: the loops above already walk (depth, height, width).
    public void Conv3d(Tensor x, Tensor kernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv2d(x, kernel, strides, padding, dataFormat, dilationRate, output);

    public void Conv3dBackpropInput(Tensor x, Tensor kernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv2dBackpropInput(x, kernel, grad, strides, padding, dataFormat, dilationRate, output);

    public void Conv3dBackpropFilter(Tensor x, Tensor kernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv2dBackpropFilter(x, kernel, grad, strides, padding, dataFormat, dilationRate, output);

    public void Pool3d(Tensor x, int[] poolSize, int[]? strides, string padding, string? dataFormat, string poolMode, Tensor output) =>
        Pool2d(x, poolSize, strides, padding, dataFormat, poolMode, output);

    public void Pool3dBackprop(Tensor x, Tensor grad, int[] poolSize, int[]? strides, string padding, string? dataFormat, string poolMode, Tensor output) =>
        Pool2dBackprop(x, grad, poolSize, strides, padding, dataFormat, poolMode, output);

    /// <summary>spatial_3d_padding: numpy.pad over the three spatial axes of the data format.</summary>
    public void Spatial3dPadding(Tensor x, int[]? padding, string? dataFormat, Tensor output)
    {
        var p = padding ?? [1, 1, 1, 1, 1, 1];
        Pad(x, ConvGeometry.IsChannelsFirst(dataFormat) ? [0, 0, 0, 0, .. p] : [0, 0, .. p, 0, 0], output);
    }
}

// The depthwise convolution, conv3d_transpose and resize_images, as plain loops from their definitions.
public sealed partial class NumpyBackend
{
    /// <summary>
    /// Visits every (output cell, tap) pair of a depthwise convolution whose input cell lies inside x: input channel c
    /// feeds output channels c·M + m through kernel[z, a, b, c, m] only. visit(input index, kernel index, output index).
    /// </summary>
    private static void ForEachDepthwiseTap(in ConvGeometry g, int m, Action<int, int, int> visit)
    {
        for (int n = 0; n < g.N; n++)
        for (int c = 0; c < g.C; c++)
        for (int j = 0; j < m; j++)
        for (int od = 0; od < g.Out[0]; od++)
        for (int oh = 0; oh < g.Out[1]; oh++)
        for (int ow = 0; ow < g.Out[2]; ow++)
        {
            int yi = At(g.ChannelsFirst, g.O, g.Out, n, c * m + j, od, oh, ow);
            for (int z = 0; z < g.K[0]; z++)
            for (int a = 0; a < g.K[1]; a++)
            for (int b = 0; b < g.K[2]; b++)
            {
                int d = od * g.S[0] + z * g.D[0] - g.Pad[0], h = oh * g.S[1] + a * g.D[1] - g.Pad[1], w = ow * g.S[2] + b * g.D[2] - g.Pad[2];
                if (d < 0 || d >= g.In[0] || h < 0 || h >= g.In[1] || w < 0 || w >= g.In[2]) continue;
                visit(At(g.ChannelsFirst, g.C, g.In, n, c, d, h, w), ((((z * g.K[1] + a) * g.K[2] + b) * g.C + c) * m) + j, yi);
            }
        }
    }

    /// <summary>depthwise_conv2d: y[n, i, j, c·M + m] = Σ_{a, b} x[n, i·sh + a·dh − pt, j·sw + b·dw − pl, c] · k[a, b, c, m].</summary>
    public void DepthwiseConv2d(Tensor x, Tensor depthwiseKernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output)
    {
        var g = ConvGeometry.OfDepthwise(x, depthwiseKernel, strides, padding, dataFormat, dilationRate);
        var y = new double[output.Size];
        ForEachDepthwiseTap(g, depthwiseKernel.Shape[-1], (xi, ki, yi) => y[yi] += x.GetDouble(xi) * depthwiseKernel.GetDouble(ki));
        for (int i = 0; i < y.Length; i++) output.SetDouble(i, y[i]);
    }

    /// <summary>d depthwise_conv2d / d x: every tap sends grad[y] · k[tap] back to the input cell it read.</summary>
    public void DepthwiseConv2dBackpropInput(Tensor x, Tensor depthwiseKernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output)
    {
        var g = ConvGeometry.OfDepthwise(x, depthwiseKernel, strides, padding, dataFormat, dilationRate);
        var dx = new double[output.Size];
        ForEachDepthwiseTap(g, depthwiseKernel.Shape[-1], (xi, ki, yi) => dx[xi] += grad.GetDouble(yi) * depthwiseKernel.GetDouble(ki));
        for (int i = 0; i < dx.Length; i++) output.SetDouble(i, dx[i]);
    }

    /// <summary>d depthwise_conv2d / d kernel: every tap collects x[input cell] · grad[y].</summary>
    public void DepthwiseConv2dBackpropFilter(Tensor x, Tensor depthwiseKernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output)
    {
        var g = ConvGeometry.OfDepthwise(x, depthwiseKernel, strides, padding, dataFormat, dilationRate);
        var dk = new double[output.Size];
        ForEachDepthwiseTap(g, depthwiseKernel.Shape[-1], (xi, ki, yi) => dk[ki] += x.GetDouble(xi) * grad.GetDouble(yi));
        for (int i = 0; i < dk.Length; i++) output.SetDouble(i, dk[i]);
    }

    /// <summary>conv3d_transpose: the input gradient of the conv3d from the result's grid to x's, with x as the upstream gradient.</summary>
    public void Conv3dTranspose(Tensor x, Tensor kernel, int?[]? outputShape, int[]? strides, string padding, string? dataFormat, Tensor output)
    {
        var g = ConvGeometry.OfTranspose(output, kernel, strides, padding, dataFormat);
        var y = new double[output.Size];
        ForEachTap(g, (yi, ki, xi) => y[yi] += x.GetDouble(xi) * kernel.GetDouble(ki));
        for (int i = 0; i < y.Length; i++) output.SetDouble(i, y[i]);
    }

    /// <summary>
    /// Visits every output cell of resize_images with the input cells it reads and their weights:
    /// visit(output index, [(input index, weight)]); nearest reads one cell with weight 1, bilinear four.
    /// </summary>
    private static void ForEachResized(Tensor x, int heightFactor, int widthFactor, string? dataFormat, bool nearest, Action<int, List<(int Index, double Weight)>> visit)
    {
        bool cf = dataFormat == "channels_first";
        int n0 = x.Shape[0], c0 = cf ? x.Shape[1] : x.Shape[3], h0 = x.Shape[cf ? 2 : 1], w0 = x.Shape[cf ? 3 : 2];
        int h1 = h0 * heightFactor, w1 = w0 * widthFactor;
        Dims3 inExt = default, outExt = default;
        inExt[0] = outExt[0] = 1; inExt[1] = h0; inExt[2] = w0; outExt[1] = h1; outExt[2] = w1;
        var taps = new List<(int, double)>();
        for (int n = 0; n < n0; n++)
        for (int c = 0; c < c0; c++)
        for (int i = 0; i < h1; i++)
        for (int j = 0; j < w1; j++)
        {
            taps.Clear();
            if (nearest) taps.Add((At(cf, c0, inExt, n, c, 0, ResizeTaps.Nearest(i, h0, h1), ResizeTaps.Nearest(j, w0, w1)), 1.0));
            else
            {
                var (top, bottom, wy) = ResizeTaps.Bilinear(i, h0, h1);
                var (left, right, wx) = ResizeTaps.Bilinear(j, w0, w1);
                taps.Add((At(cf, c0, inExt, n, c, 0, top, left), (1 - wy) * (1 - wx)));
                taps.Add((At(cf, c0, inExt, n, c, 0, top, right), (1 - wy) * wx));
                taps.Add((At(cf, c0, inExt, n, c, 0, bottom, left), wy * (1 - wx)));
                taps.Add((At(cf, c0, inExt, n, c, 0, bottom, right), wy * wx));
            }
            visit(At(cf, c0, outExt, n, c, 0, i, j), taps);
        }
    }

    /// <summary>resize_images: nearest copies the element (any dtype); bilinear is the weighted sum of the four taps.</summary>
    public void ResizeImages(Tensor x, int heightFactor, int widthFactor, string? dataFormat, string interpolation, Tensor output)
    {
        bool nearest = interpolation == "nearest";
        int item = x.DType.ItemSize();
        ForEachResized(x, heightFactor, widthFactor, dataFormat, nearest, (yi, taps) =>
        {
            if (nearest) { x.Bytes().Slice(taps[0].Index * item, item).CopyTo(output.Bytes().Slice(yi * item, item)); return; }
            double s = 0;
            foreach (var (xi, w) in taps) s += w * x.GetDouble(xi);
            output.SetDouble(yi, s);
        });
    }

    /// <summary>d resize_images / d x: every output cell's gradient goes back to its taps, weighted.</summary>
    public void ResizeImagesBackprop(Tensor x, Tensor grad, int heightFactor, int widthFactor, string? dataFormat, string interpolation, Tensor output)
    {
        var dx = new double[output.Size];
        ForEachResized(x, heightFactor, widthFactor, dataFormat, interpolation == "nearest", (yi, taps) =>
        {
            double u = grad.GetDouble(yi);
            foreach (var (xi, w) in taps) dx[xi] += w * u;
        });
        for (int i = 0; i < dx.Length; i++) output.SetDouble(i, dx[i]);
    }
}
