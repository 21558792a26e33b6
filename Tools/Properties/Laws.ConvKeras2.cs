using CsCheck;

namespace KerasBackend.Properties;

// Laws of depthwise, separable, transposed-3D and locally connected convolutions and of the resize ops: each is
// tied to an op already held to numpy (conv2d, conv1d, conv3d, pool) by an identity, and every backprop op is
// the adjoint of its forward op.
public static partial class Laws
{
    /// <summary>A random depthwise geometry: equal strides or dilation (never both &gt; 1), a channel multiplier of 1 to 3.</summary>
    private static readonly Gen<(int[] X, int[] K, int[] S, int[] D, string Padding, string Format)> DepthwiseGen =
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3].Array[2], Gen.Int[0, 4].Array[2], Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[0, 2], Gen.Bool, Gen.Bool)
            .Select((n, k, extra, c, m, mode, same, cf) =>
            {
                int[] s = mode == 1 ? [2, 2] : [1, 1];
                int[] d = mode == 2 ? [2, 1 + (extra[1] & 1)] : [1, 1];
                int h = (k[0] - 1) * d[0] + 1 + extra[0], w = (k[1] - 1) * d[1] + 1 + extra[1];
                int[] x = cf ? [n, c, h, w] : [n, h, w, c];
                return (x, new[] { k[0], k[1], c, m }, s, d, same ? "same" : "valid", cf ? "channels_first" : "channels_last");
            });

    /// <summary>The full conv2d kernel (kh, kw, C, C·M) of a depthwise kernel (kh, kw, C, M): block diagonal over the channels.</summary>
    private static Tensor DepthwiseAsConv(Tensor dk)
    {
        int kh = dk.Shape[0], kw = dk.Shape[1], c = dk.Shape[2], m = dk.Shape[3];
        var full = new double[kh * kw * c * c * m];
        for (int a = 0; a < kh; a++)
        for (int b = 0; b < kw; b++)
        for (int ch = 0; ch < c; ch++)
        for (int j = 0; j < m; j++)
            full[((a * kw + b) * c + ch) * c * m + ch * m + j] = dk.GetDouble(((a * kw + b) * c + ch) * m + j);
        return Tensor.FromSpan<double>(full, kh, kw, c, c * m);
    }

    private static IReadOnlyList<Law> ConvKeras2Laws =>
    [
        new("depthwise_conv2d is conv2d with a block-diagonal kernel, and its backprop ops are its adjoints", ["depthwise_conv2d", "depthwise_conv2d_backprop_input", "depthwise_conv2d_backprop_filter"], () =>
            Gen.Select(DepthwiseGen, Gen.Int).Sample((g, seed) =>
            {
                var x = R(seed, g.X);
                var k = R(seed + 1, g.K);
                var y = K.DepthwiseConv2d(x, k, g.S, g.Padding, g.Format, g.D);
                Close(K.Conv2d(x, DepthwiseAsConv(k), g.S, g.Padding, g.Format, g.D), y, "depthwise_conv2d vs conv2d " + Show(g), g.K[0] * g.K[1]);
                var u = R(seed + 2, y.Shape.ToArray());
                double lhs = Inner(y, u), scale = y.Size * g.K[0] * g.K[1];
                Near(lhs, Inner(x, K.DepthwiseConv2dBackpropInput(x, k, u, g.S, g.Padding, g.Format, g.D)), "<x, depthwise_conv2d_backprop_input> " + Show(g), scale);
                Near(lhs, Inner(k, K.DepthwiseConv2dBackpropFilter(x, k, u, g.S, g.Padding, g.Format, g.D)), "<k, depthwise_conv2d_backprop_filter> " + Show(g), scale);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("depthwise_conv2d and its gradients agree with the numpy backend on large geometries", ["depthwise_conv2d", "depthwise_conv2d_backprop_input", "depthwise_conv2d_backprop_filter"], () =>
            Gen.Select(Gen.Int[1, 3], Gen.Int[8, 16], Gen.Int[1, 40], Gen.Int[1, 2], Gen.Bool, Gen.Bool, Gen.Int).Sample((n, hw, c, m, same, cf, seed) =>
            {
                if (Backend.CurrentName == "numpy") return;
                string pad = same ? "same" : "valid", fmt = cf ? "channels_first" : "channels_last";
                int[] xs = cf ? [n, c, hw, hw + 1] : [n, hw, hw + 1, c], strides = [1 + (seed & 1), 1 + (seed & 1)];
                var x = R(seed, xs, DType.Float32);
                var k = R(seed + 1, [3, 3, c, m], DType.Float32);
                var y = K.DepthwiseConv2d(x, k, strides, pad, fmt);
                var u = R(seed + 2, y.Shape.ToArray(), DType.Float32);
                var dx = K.DepthwiseConv2dBackpropInput(x, k, u, strides, pad, fmt);
                var dk = K.DepthwiseConv2dBackpropFilter(x, k, u, strides, pad, fmt);
                using var _ = Backend.Use("numpy");
                string what = $"x.shape={Format.Py(xs)} kernel 3x3x{c}x{m} strides={Format.Py(strides)} {pad} {fmt}";
                Close(K.DepthwiseConv2d(x, k, strides, pad, fmt), y, "depthwise_conv2d " + what, 9);
                Close(K.DepthwiseConv2dBackpropInput(x, k, u, strides, pad, fmt), dx, "depthwise_conv2d_backprop_input " + what, 9 * m);
                Close(K.DepthwiseConv2dBackpropFilter(x, k, u, strides, pad, fmt), dk, "depthwise_conv2d_backprop_filter " + what, y.Size / (c * m));
            }, seed: Sampling.Seed, iter: Sampling.Iter(6), threads: 1)),
        new("separable_conv2d is conv2d with the kernel Σ_m depthwise[a, b, c, m] · pointwise[c·M + m, o]", ["separable_conv2d"], () =>
            Gen.Select(DepthwiseGen, Gen.Int[1, 3], Gen.Int).Sample((g, o, seed) =>
            {
                var x = R(seed, g.X);
                var dk = R(seed + 1, g.K);
                var pk = R(seed + 2, [1, 1, g.K[2] * g.K[3], o]);
                var full = K.Dot(DepthwiseAsConv(dk), K.Reshape(pk, [g.K[2] * g.K[3], o]));
                Close(K.Conv2d(x, full, g.S, g.Padding, g.Format, g.D), K.SeparableConv2d(x, dk, pk, g.S, g.Padding, g.Format, g.D), "separable_conv2d " + Show(g), g.K[0] * g.K[1] * g.K[2] * g.K[3]);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("separable_conv1d is conv1d with the combined kernel", ["separable_conv1d"], () =>
            Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3], Gen.Int[0, 4], Gen.Int[1, 3], Gen.Int[1, 2], Gen.Int[0, 2], Gen.Bool, Gen.Int).Sample((n, k, extra, c, m, mode, same, seed) =>
            {
                int s = mode == 1 ? 2 : 1, d = mode == 2 ? 2 : 1, steps = (k - 1) * d + 1 + extra;
                string pad = same ? "same" : "valid", fmt = (seed & 1) == 0 ? "channels_last" : "channels_first";
                var x = R(seed, fmt == "channels_first" ? [n, c, steps] : [n, steps, c]);
                var dk = R(seed + 1, [k, c, m]);
                var pk = R(seed + 2, [1, c * m, 2]);
                var full = K.Reshape(K.Dot(DepthwiseAsConv(K.Reshape(dk, [1, k, c, m])), K.Reshape(pk, [c * m, 2])), [k, c, 2]);
                Close(K.Conv1d(x, full, s, pad, fmt, d), K.SeparableConv1d(x, dk, pk, s, pad, fmt, d), $"separable_conv1d k={k} c={c} m={m} strides={s} {pad} {fmt} dilation={d}", k * c * m);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("conv3d_transpose is the adjoint of conv3d: <conv3d(y, k), x> = <y, conv3d_transpose(x, k, y.shape)>", ["conv3d_transpose"], () =>
            Gen.Select(Gen.Int[1, 3].Array[3], Gen.Int[0, 2].Array[3], Gen.Int[1, 2].Array[3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Bool, Gen.Bool, Gen.Int).Sample((k, extra, s, cin, cout, same, cf, seed) =>
            {
                string pad = same ? "same" : "valid", fmt = cf ? "channels_first" : "channels_last";
                var sp = Enumerable.Range(0, 3).Select(i => k[i] + extra[i]).ToArray();
                int[] ys = cf ? [2, cin, .. sp] : [2, .. sp, cin];
                var y = R(seed, ys);
                var kernel = R(seed + 1, [.. k, cin, cout]);
                var conv = K.Conv3d(y, kernel, s, pad, fmt);
                var x = R(seed + 2, conv.Shape.ToArray());
                var t = K.Conv3dTranspose(x, kernel, [null, .. ys[1..].Select(v => (int?)v)], s, pad, fmt);
                True(t.Shape == new Shape(ys), $"conv3d_transpose shape {t.Shape}, want {Format.Py(ys)}");
                Near(Inner(conv, x), Inner(y, t), $"conv3d_transpose adjoint y.shape={Format.Py(ys)} k={Format.Py(k)} strides={Format.Py(s)} {pad} {fmt}", y.Size * k[0] * k[1] * k[2] * cout);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("local_conv2d / local_conv1d with one kernel repeated at every position are conv2d / conv1d", ["local_conv2d", "local_conv1d"], () =>
            Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3].Array[2], Gen.Int[0, 3].Array[2], Gen.Int[1, 2].Array[2], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Bool, Gen.Int).Sample((n, k, extra, s, c, o, cf, seed) =>
            {
                string fmt = cf ? "channels_first" : "channels_last";
                int h = k[0] + extra[0], w = k[1] + extra[1];
                var x = R(seed, cf ? [n, c, h, w] : [n, h, w, c]);
                var kernel = R(seed + 1, [k[0], k[1], c, o]);
                var conv = K.Conv2d(x, kernel, s, "valid", fmt);
                int oh = conv.Shape[cf ? 2 : 1], ow = conv.Shape[cf ? 3 : 2];
                // tf-keras' feature order: (row, col, channel) for channels_last, (channel, row, col) for channels_first.
                var features = cf ? K.Reshape(K.PermuteDimensions(kernel, [2, 0, 1, 3]), [c * k[0] * k[1], o]) : K.Reshape(kernel, [k[0] * k[1] * c, o]);
                var unshared = K.Tile(K.ExpandDims(features, 0), [oh * ow, 1, 1]);
                Close(conv, K.LocalConv2d(x, unshared, k, s, [oh, ow], fmt), $"local_conv2d x.shape={Format.Py(x.Shape.ToArray())} k={Format.Py(k)} strides={Format.Py(s)} {fmt}", k[0] * k[1] * c);
                var x1 = R(seed + 2, cf ? [n, c, w] : [n, w, c]);
                var k1 = R(seed + 3, [k[1], c, o]);
                var conv1 = K.Conv1d(x1, k1, s[1], "valid", fmt);
                int steps = conv1.Shape[cf ? 2 : 1];
                var f1 = cf ? K.Reshape(K.PermuteDimensions(k1, [1, 0, 2]), [c * k[1], o]) : K.Reshape(k1, [k[1] * c, o]);
                Close(conv1, K.LocalConv1d(x1, K.Tile(K.ExpandDims(f1, 0), [steps, 1, 1]), [k[1]], [s[1]], fmt), $"local_conv1d k={k[1]} strides={s[1]} {fmt}", k[1] * c);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("resize_images: nearest then f×f average pooling gives x back, bilinear keeps constants, formats agree, and the backprop op is the adjoint", ["resize_images", "resize_images_backprop"], () =>
            Gen.Select(Gen.Int[1, 2], Gen.Int[1, 4].Array[2], Gen.Int[1, 3].Array[2], Gen.Int[1, 3], Gen.Bool, Gen.Int).Sample((n, hw, f, c, bilinear, seed) =>
            {
                string how = bilinear ? "bilinear" : "nearest";
                var x = R(seed, [n, hw[0], hw[1], c]);
                var y = K.ResizeImages(x, f[0], f[1], "channels_last", how);
                True(y.Shape == new Shape(n, hw[0] * f[0], hw[1] * f[1], c), $"resize_images shape {y.Shape}");
                if (!bilinear) Close(x, K.Pool2d(y, f, f, "valid", "channels_last", "avg"), $"nearest resize then average pooling, factors {Format.Py(f)}", f[0] * f[1]);
                var flat = K.Add(K.Zeros([n, hw[0], hw[1], c], DType.Float32), K.Constant(2.5, DType.Float32));
                Close(K.Add(K.Zeros(y.Shape.ToArray(), DType.Float32), K.Constant(2.5, DType.Float32)), K.ResizeImages(flat, f[0], f[1], "channels_last", how), $"{how} resize of a constant");
                var first = K.ResizeImages(K.PermuteDimensions(x, [0, 3, 1, 2]), f[0], f[1], "channels_first", how);
                Close(y, K.PermuteDimensions(first, [0, 2, 3, 1]), $"{how} resize formats");
                var u = R(seed + 1, y.Shape.ToArray(), y.DType);
                Near(Inner(K.Cast(y, DType.Float64), K.Cast(u, DType.Float64)), Inner(x, K.Cast(K.ResizeImagesBackprop(x, u, f[0], f[1], "channels_last", how), DType.Float64)),
                    $"{how} resize adjoint x.shape={Format.Py(x.Shape.ToArray())} factors={Format.Py(f)}", bilinear ? 1e3 * y.Size : y.Size);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("resize_volumes over a depth-1 volume is nearest resize_images, and 3D average pooling undoes it", ["resize_volumes"], () =>
            Gen.Select(Gen.Int[1, 3].Array[3], Gen.Int[1, 3].Array[3], Gen.Bool, Gen.Int).Sample((s, f, cf, seed) =>
            {
                string fmt = cf ? "channels_first" : "channels_last";
                var x = R(seed, cf ? [1, 2, .. s] : [1, .. s, 2]);
                var y = K.ResizeVolumes(x, f[0], f[1], f[2], fmt);
                Close(x, K.Pool3d(y, f, f, "valid", fmt, "avg"), $"resize_volumes then pool3d avg, factors {Format.Py(f)} {fmt}", f[0] * f[1] * f[2]);
                var img = R(seed + 1, cf ? [1, 2, s[1], s[2]] : [1, s[1], s[2], 2]);
                var vol = K.ResizeVolumes(K.ExpandDims(img, cf ? 2 : 1), 1, f[1], f[2], fmt);
                Close(K.ResizeImages(img, f[1], f[2], fmt), K.Squeeze(vol, cf ? 2 : 1), $"resize_volumes depth 1 vs resize_images {fmt}");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];
}
