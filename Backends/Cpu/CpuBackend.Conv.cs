using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

// Dispatch of the convolution family: inputs are brought to the working dtype (float64 stays, everything else
// computes in float32) and to channels-last (a channels_first tensor is permuted to channels-last and the
// result permuted back, as TensorFlow's CPU kernels do), then Convolution / Pooling run on raw pointers.
public sealed partial class CpuBackend
{
    private static DType Work(DType d) => d == DType.Float64 ? DType.Float64 : DType.Float32;

    /// <summary>t in dtype <paramref name="work"/>, channels-last when <paramref name="toLast"/> (t itself when nothing changes; else a temporary).</summary>
    private static Tensor ChannelsLast(Tensor t, DType work, bool toLast)
    {
        var c = As(t, work);
        if (!toLast) return c;
        int r = t.Rank;
        Span<int> pattern = stackalloc int[r];
        pattern[0] = 0;
        for (int i = 1; i < r - 1; i++) pattern[i] = i + 1;
        pattern[r - 1] = 1;
        var dims = new int[r];
        for (int i = 0; i < r; i++) dims[i] = t.Shape[pattern[i]];
        var p = Tensor.Uninitialized(work, Shape.Wrap(dims));
        Layout.Permute(c, pattern, p);
        Release(c, t);
        return p;
    }

    /// <summary>A channels-last working buffer for <paramref name="output"/>: output itself when it already is one.</summary>
    private static Tensor WorkOutput(Tensor output, DType work, bool channelsFirst)
    {
        if (!channelsFirst && output.DType == work) return output;
        if (!channelsFirst) return Tensor.Uninitialized(work, output.Shape);
        int r = output.Rank;
        var dims = new int[r];
        dims[0] = output.Shape[0];
        for (int i = 1; i < r - 1; i++) dims[i] = output.Shape[i + 1];
        dims[r - 1] = output.Shape[1];
        return Tensor.Uninitialized(work, Shape.Wrap(dims));
    }

    /// <summary>Moves a working result into <paramref name="output"/> (back to channels-first, cast) and frees it.</summary>
    private static void Finish(Tensor work, Tensor output, bool channelsFirst)
    {
        if (ReferenceEquals(work, output)) return;
        var src = work;
        if (channelsFirst)
        {
            int r = work.Rank;
            Span<int> pattern = stackalloc int[r];
            pattern[0] = 0;
            pattern[1] = r - 1;
            for (int i = 2; i < r; i++) pattern[i] = i - 1;
            src = output.DType == work.DType ? output : Tensor.Uninitialized(work.DType, output.Shape);
            Layout.Permute(work, pattern, src);
            work.Dispose();
            if (ReferenceEquals(src, output)) return;
        }
        Casting.Cast(src, output);
        src.Dispose();
    }

    private enum ConvPass { Forward, Input, Kernel }

    /// <summary>One pass of a convolution (<see cref="Convolution"/>) or, with a multiplier, of a depthwise one (<see cref="Depthwise"/>).</summary>
    private static unsafe void Conv(ConvPass pass, in ConvGeometry g, Tensor x, Tensor kernel, Tensor? grad, Tensor output, int depthwiseMultiplier = 0)
    {
        var work = Work(output.DType);
        bool cf = g.ChannelsFirst;
        // The operands each pass reads: forward x, kernel; input kernel, grad; kernel x, grad.
        var xw = pass == ConvPass.Input ? null : ChannelsLast(x, work, cf);
        var kw = pass == ConvPass.Kernel ? null : As(kernel, work);
        var gw = grad is null ? null : ChannelsLast(grad, work, cf);
        var ow = WorkOutput(output, work, cf && pass != ConvPass.Kernel);
        try
        {
            if (work == DType.Float64) Run<double>(pass, g, depthwiseMultiplier, xw, kw, gw, ow);
            else Run<float>(pass, g, depthwiseMultiplier, xw, kw, gw, ow);
        }
        finally
        {
            if (xw is not null) Release(xw, x);
            if (kw is not null) Release(kw, kernel);
            if (gw is not null) Release(gw, grad!);
        }
        Finish(ow, output, cf && pass != ConvPass.Kernel);

        static void Run<T>(ConvPass pass, in ConvGeometry g, int m, Tensor? x, Tensor? k, Tensor? grad, Tensor o) where T : unmanaged, INumber<T>
        {
            fixed (T* px = x is null ? default : x.Span<T>())
            fixed (T* pk = k is null ? default : k.Span<T>())
            fixed (T* pg = grad is null ? default : grad.Span<T>())
            fixed (T* po = o.Span<T>())
            {
                if (m > 0)
                    switch (pass)
                    {
                        case ConvPass.Forward: Depthwise.Forward(g, m, px, pk, po); break;
                        case ConvPass.Input: Depthwise.BackwardInput(g, m, pk, pg, po); break;
                        default: Depthwise.BackwardKernel(g, m, px, pg, po); break;
                    }
                else switch (pass)
                {
                    case ConvPass.Forward: Convolution.Forward(g, px, pk, po); break;
                    case ConvPass.Input: Convolution.BackwardInput(g, pk, pg, po); break;
                    default: Convolution.BackwardKernel(g, px, pg, po); break;
                }
            }
        }
    }

    /// <summary>conv2d: patches · kernel as packed GEMMs (<see cref="Convolution"/>).</summary>
    public void Conv2d(Tensor x, Tensor kernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv(ConvPass.Forward, ConvGeometry.OfConv(x, kernel, strides, padding, dataFormat, dilationRate), x, kernel, null, output);

    /// <summary>d conv2d / d x: grad · kernelᵀ scattered back (col2im).</summary>
    public void Conv2dBackpropInput(Tensor x, Tensor kernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv(ConvPass.Input, ConvGeometry.OfConv(x, kernel, strides, padding, dataFormat, dilationRate), x, kernel, grad, output);

    /// <summary>conv2d_transpose: the input-gradient pass of the conv2d from the result's grid, x as its upstream gradient.</summary>
    public void Conv2dTranspose(Tensor x, Tensor kernel, int?[]? outputShape, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv(ConvPass.Input, ConvGeometry.OfTranspose(output, kernel, strides, padding, dataFormat, dilationRate), output, kernel, x, output);

    /// <summary>d conv2d / d kernel: gradᵀ · patches, summed over chunks.</summary>
    public void Conv2dBackpropFilter(Tensor x, Tensor kernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv(ConvPass.Kernel, ConvGeometry.OfConv(x, kernel, strides, padding, dataFormat, dilationRate), x, kernel, grad, output);

    private static unsafe void Pool(in ConvGeometry g, bool max, Tensor x, Tensor? grad, Tensor output)
    {
        var work = Work(output.DType);
        bool cf = g.ChannelsFirst;
        var xw = ChannelsLast(x, work, cf);
        var gw = grad is null ? null : ChannelsLast(grad, work, cf);
        var ow = WorkOutput(output, work, cf);
        try
        {
            if (work == DType.Float64) Run<double>(g, max, xw, gw, ow);
            else Run<float>(g, max, xw, gw, ow);
        }
        finally
        {
            Release(xw, x);
            if (gw is not null) Release(gw, grad!);
        }
        Finish(ow, output, cf);

        static void Run<T>(in ConvGeometry g, bool max, Tensor x, Tensor? grad, Tensor o) where T : unmanaged, IFloatingPointIeee754<T>
        {
            fixed (T* px = x.Span<T>())
            fixed (T* pg = grad is null ? default : grad.Span<T>())
            fixed (T* po = o.Span<T>())
            {
                if (grad is null) Pooling.Forward(g, max, px, po);
                else Pooling.Backward(g, max, px, pg, po);
            }
        }
    }

    /// <summary>pool2d: C-wide vector max/add over each window (<see cref="Pooling"/>).</summary>
    public void Pool2d(Tensor x, int[] poolSize, int[]? strides, string padding, string? dataFormat, string poolMode, Tensor output) =>
        Pool(ConvGeometry.OfPool(x, poolSize, strides, padding, dataFormat), poolMode == "max", x, null, output);

    /// <summary>d pool2d / d x.</summary>
    public void Pool2dBackprop(Tensor x, Tensor grad, int[] poolSize, int[]? strides, string padding, string? dataFormat, string poolMode, Tensor output) =>
        Pool(ConvGeometry.OfPool(x, poolSize, strides, padding, dataFormat), poolMode == "max", x, grad, output);

    /// <summary>
    /// bias_add: a vector bias on float32/float64 data is added row by row (channels_last: one C-wide vector add per
    /// cell; channels_first: one scalar add per channel plane), both cores above a million elements. Anything else
    /// (a full-rank bias, mixed dtypes) is the broadcasting add of the bias reshaped as tf-keras reshapes it.
    /// </summary>
    public void BiasAdd(Tensor x, Tensor bias, string? dataFormat, Tensor output)
    {
        bool cf = ConvGeometry.IsChannelsFirst(dataFormat) && x.Rank > 2;
        if (bias.Rank == 1 && x.DType == output.DType && bias.DType == output.DType && output.Shape == x.Shape)
        {
            int c = bias.Shape[0];
            int inner = cf ? x.Shape.Prod(2, x.Rank) : 1;
            switch (output.DType)
            {
                case DType.Float32: BiasRows<float>(x, bias, output, c, inner, cf); return;
                case DType.Float64: BiasRows<double>(x, bias, output, c, inner, cf); return;
            }
        }
        Shape shape;
        if (bias.Rank == 1)
        {
            var dims = new int[x.Rank];
            Array.Fill(dims, 1);
            dims[cf ? 1 : x.Rank - 1] = bias.Shape[0];
            shape = Shape.Wrap(dims);
        }
        else shape = ConvGeometry.BiasShape(x.Rank, bias.Shape, dataFormat);
        using var b = Tensor.Uninitialized(bias.DType, shape);
        bias.Bytes().CopyTo(b.Bytes());
        Add(x, b, output);
    }

    private static unsafe void BiasRows<T>(Tensor x, Tensor bias, Tensor output, int c, int inner, bool channelsFirst)
        where T : unmanaged, INumber<T>
    {
        if (output.Size == 0) return;
        fixed (T* px = x.ReadOnlySpan<T>())
        fixed (T* pb = bias.ReadOnlySpan<T>())
        fixed (T* po = output.Span<T>())
        {
            // Rows: a cell's C channels (channels_last) or one channel plane (channels_first).
            int row = channelsFirst ? inner : c, rows = output.Size / row;
            var job = new BiasJob<T> { X = px, B = pb, O = po, Row = row, C = c, ChannelsFirst = channelsFirst, Rows = rows };
            int parts = output.Size >= 1 << 20 ? Math.Min(rows, 4 * Workers.Threads) : 1;
            job.Parts = parts;
            if (parts == 1) job.Run(0);
            else Workers.Run(ref job, parts);
        }
    }

    private unsafe struct BiasJob<T> : IWorkItem where T : unmanaged, INumber<T>
    {
        public T* X, B, O;
        public int Row, C, Rows, Parts;
        public bool ChannelsFirst;

        public readonly void Run(int p)
        {
            int r0 = (int)((long)Rows * p / Parts), r1 = (int)((long)Rows * (p + 1) / Parts);
            for (int r = r0; r < r1; r++)
            {
                var src = new ReadOnlySpan<T>(X + (long)r * Row, Row);
                var dst = new Span<T>(O + (long)r * Row, Row);
                if (ChannelsFirst) TensorPrimitives.Add(src, B[r % C], dst);
                else TensorPrimitives.Add(src, new ReadOnlySpan<T>(B, C), dst);
            }
        }
    }

    /// <summary>temporal_padding: zeros around axis 1 (byte runs).</summary>
    public void TemporalPadding(Tensor x, int[]? padding, Tensor output)
    {
        var p = padding ?? [1, 1];
        Span<int> pads = [0, 0, p[0], p[1], 0, 0];
        PadZeros(x, pads, output);
    }

    /// <summary>spatial_2d_padding: zeros around the two spatial axes (byte runs).</summary>
    public void Spatial2dPadding(Tensor x, int[]? padding, string? dataFormat, Tensor output)
    {
        var p = padding ?? [1, 1, 1, 1];
        Span<int> pads = ConvGeometry.IsChannelsFirst(dataFormat) ? [0, 0, 0, 0, p[0], p[1], p[2], p[3]] : [0, 0, p[0], p[1], p[2], p[3], 0, 0];
        PadZeros(x, pads, output);
    }

    /// <summary>
    /// numpy.pad with zeros, (before, after) per axis: the output is cleared, then x is copied as runs of contiguous
    /// bytes, one per index of the axes before the last padded one.
    /// </summary>
    private static void PadZeros(Tensor x, ReadOnlySpan<int> pads, Tensor output)
    {
        var dst = output.Bytes();
        dst.Clear();
        if (x.Size == 0) return;
        var src = x.Bytes();
        int rank = x.Rank, item = x.DType.ItemSize(), last = rank - 1;
        while (last > 0 && pads[2 * last] == 0 && pads[2 * last + 1] == 0) last--;
        long run = (long)x.Shape.Prod(last, rank) * item;
        int outer = x.Shape.Prod(0, last);
        Span<int> idx = stackalloc int[Math.Max(last, 1)];
        idx.Clear();
        for (int o = 0; o < outer; o++)
        {
            // Output offset of x[idx..., 0...] shifted by the pads before.
            long off = 0;
            for (int r = 0; r < rank; r++)
                off = off * output.Shape[r] + (r < last ? idx[r] : 0) + pads[2 * r];
            src.Slice((int)(o * run), (int)run).CopyTo(dst.Slice((int)(off * item)));
            for (int r = last - 1; r >= 0 && ++idx[r] == x.Shape[r]; r--) idx[r] = 0;
        }
    }

    // The 3D ops: ConvGeometry, Convolution and Pooling walk (depth, height, width) already.
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

    /// <summary>spatial_3d_padding: zeros around the three spatial axes (byte runs).</summary>
    public void Spatial3dPadding(Tensor x, int[]? padding, string? dataFormat, Tensor output)
    {
        var p = padding ?? [1, 1, 1, 1, 1, 1];
        Span<int> pads = ConvGeometry.IsChannelsFirst(dataFormat)
            ? [0, 0, 0, 0, p[0], p[1], p[2], p[3], p[4], p[5]]
            : [0, 0, p[0], p[1], p[2], p[3], p[4], p[5], 0, 0];
        PadZeros(x, pads, output);
    }

    /// <summary>depthwise_conv2d: the window walk with channel-vector multiply-adds (<see cref="Depthwise"/>).</summary>
    public void DepthwiseConv2d(Tensor x, Tensor depthwiseKernel, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv(ConvPass.Forward, ConvGeometry.OfDepthwise(x, depthwiseKernel, strides, padding, dataFormat, dilationRate), x, depthwiseKernel, null, output, Math.Max(1, depthwiseKernel.Shape[-1]));

    /// <summary>d depthwise_conv2d / d x.</summary>
    public void DepthwiseConv2dBackpropInput(Tensor x, Tensor depthwiseKernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv(ConvPass.Input, ConvGeometry.OfDepthwise(x, depthwiseKernel, strides, padding, dataFormat, dilationRate), x, depthwiseKernel, grad, output, Math.Max(1, depthwiseKernel.Shape[-1]));

    /// <summary>d depthwise_conv2d / d kernel.</summary>
    public void DepthwiseConv2dBackpropFilter(Tensor x, Tensor depthwiseKernel, Tensor grad, int[]? strides, string padding, string? dataFormat, int[]? dilationRate, Tensor output) =>
        Conv(ConvPass.Kernel, ConvGeometry.OfDepthwise(x, depthwiseKernel, strides, padding, dataFormat, dilationRate), x, depthwiseKernel, grad, output, Math.Max(1, depthwiseKernel.Shape[-1]));

    /// <summary>conv3d_transpose: the input-gradient pass of the conv3d from the result's grid, x as its upstream gradient.</summary>
    public void Conv3dTranspose(Tensor x, Tensor kernel, int?[]? outputShape, int[]? strides, string padding, string? dataFormat, Tensor output) =>
        Conv(ConvPass.Input, ConvGeometry.OfTranspose(output, kernel, strides, padding, dataFormat), output, kernel, x, output);

    /// <summary>resize_images: nearest as runs of bytes (any dtype), bilinear as channel-vector lerps (<see cref="Resizing"/>).</summary>
    public void ResizeImages(Tensor x, int heightFactor, int widthFactor, string? dataFormat, string interpolation, Tensor output)
    {
        var v = Resizing.View.Of(x, output, dataFormat);
        if (interpolation == "nearest") { Resizing.Nearest(v, x, output); return; }
        var xw = As(x, DType.Float32);
        try { Resizing.Bilinear(v, xw, output); }
        finally { Release(xw, x); }
    }

    /// <summary>d resize_images / d x: each output cell's gradient scattered back to its taps.</summary>
    public void ResizeImagesBackprop(Tensor x, Tensor grad, int heightFactor, int widthFactor, string? dataFormat, string interpolation, Tensor output)
    {
        var v = Resizing.View.Of(output, grad, dataFormat);
        var work = Work(output.DType);
        var gw = As(grad, work);
        var ow = output.DType == work ? output : Tensor.Uninitialized(work, output.Shape);
        try { Resizing.Backward(v, interpolation == "nearest", gw, ow); }
        finally { Release(gw, grad); }
        if (!ReferenceEquals(ow, output)) { Casting.Cast(ow, output); ow.Dispose(); }
    }
}
