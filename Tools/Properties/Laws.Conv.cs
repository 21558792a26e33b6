using CsCheck;

namespace KerasBackend.Properties;

// Laws of the convolution family: adjoint pairs (each gradient op is the transpose of its forward op), format
// and shape identities, causality, and agreement with the numpy backend on geometries large enough for the
// cpu backend's chunked and threaded paths.
public static partial class Laws
{
    /// <summary>A random 2D convolution geometry: spatial extents that hold the (dilated) kernel; strides or dilation, never both &gt; 1.</summary>
    private static readonly Gen<(int[] X, int[] K, int[] S, int[] D, string Padding, string Format)> ConvGen =
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 4].Array[2], Gen.Int[0, 6].Array[2], Gen.Int[1, 5].Array[2], Gen.Int[0, 2], Gen.Bool, Gen.Bool)
            .Select((n, k, extra, ch, mode, same, cf) =>
            {
                int[] s = mode == 1 ? [2, 1 + (extra[0] & 1)] : [1, 1];
                int[] d = mode == 2 ? [1 + (extra[1] & 1), 2] : [1, 1];
                int h = (k[0] - 1) * d[0] + 1 + extra[0], w = (k[1] - 1) * d[1] + 1 + extra[1];
                int[] x = cf ? [n, ch[0], h, w] : [n, h, w, ch[0]];
                return (x, new[] { k[0], k[1], ch[0], ch[1] }, s, d, same ? "same" : "valid", cf ? "channels_first" : "channels_last");
            });

    private static double Inner(Tensor a, Tensor b) => K.Sum(K.Multiply(a, b)).GetDouble(0);

    private static void Near(double want, double got, string what, double scale)
    {
        if (Math.Abs(want - got) > 1e-9 * (1 + scale)) throw new PropertyFailure($"{what}: {got:R}, want {want:R}");
    }

    private static string Show((int[] X, int[] K, int[] S, int[] D, string Padding, string Format) g) =>
        $"x.shape={Format.Py(g.X)} kernel.shape={Format.Py(g.K)} strides={Format.Py(g.S)} padding={g.Padding} data_format={g.Format} dilation_rate={Format.Py(g.D)}";

    private static IReadOnlyList<Law> ConvFamily =>
    [
        new("conv2d's backprop ops are its adjoints: <conv(x, k), g> = <x, dx(g)> = <k, dk(g)>", ["conv2d", "conv2d_backprop_input", "conv2d_backprop_filter"], () =>
            Gen.Select(ConvGen, Gen.Int).Sample((g, seed) =>
            {
                var x = R(seed, g.X);
                var k = R(seed + 1, g.K);
                var y = K.Conv2d(x, k, g.S, g.Padding, g.Format, g.D);
                var u = R(seed + 2, y.Shape.ToArray());
                double lhs = Inner(y, u), scale = y.Size * g.K[0] * g.K[1] * g.K[2];
                Near(lhs, Inner(x, K.Conv2dBackpropInput(x, k, u, g.S, g.Padding, g.Format, g.D)), "<x, conv2d_backprop_input> " + Show(g), scale);
                Near(lhs, Inner(k, K.Conv2dBackpropFilter(x, k, u, g.S, g.Padding, g.Format, g.D)), "<k, conv2d_backprop_filter> " + Show(g), scale);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("conv2d_transpose is the adjoint of conv2d: <conv2d(y, k), x> = <y, conv2d_transpose(x, k, y.shape)>", ["conv2d_transpose"], () =>
            Gen.Select(ConvGen, Gen.Int).Sample((g, seed) =>
            {
                // atrous_conv2d_transpose (dilation) takes one rate for both dimensions.
                if (g.D[0] != g.D[1]) return;
                var y = R(seed, g.X);
                var k = R(seed + 1, g.K);
                var x = R(seed + 2, K.Conv2d(y, k, g.S, g.Padding, g.Format, g.D).Shape.ToArray());
                int?[] outShape = [.. g.X.Select(d => (int?)d)];
                var t = K.Conv2dTranspose(x, k, outShape, g.S, g.Padding, g.Format, g.D);
                True(t.Shape == new Shape(g.X), $"conv2d_transpose shape {t.Shape}, want {Format.Py(g.X)}");
                Near(Inner(K.Conv2d(y, k, g.S, g.Padding, g.Format, g.D), x), Inner(y, t), "conv2d_transpose adjoint " + Show(g), y.Size * g.K[0] * g.K[1] * g.K[3]);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("conv2d channels_first is conv2d channels_last on transposed data", ["conv2d"], () =>
            Gen.Select(ConvGen, Gen.Int).Sample((g, seed) =>
            {
                if (g.Format == "channels_first") return;
                var x = R(seed, g.X);
                var k = R(seed + 1, g.K);
                var last = K.Conv2d(x, k, g.S, g.Padding, "channels_last", g.D);
                var first = K.Conv2d(K.PermuteDimensions(x, [0, 3, 1, 2]), k, g.S, g.Padding, "channels_first", g.D);
                Close(last, K.PermuteDimensions(first, [0, 2, 3, 1]), "conv2d formats " + Show(g), g.K[0] * g.K[1] * g.K[2] * 4);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("a 1×1 conv2d is a dot over the channel axis", ["conv2d"], () =>
            Gen.Select(Gen.Int[1, 4].Array[4], Gen.Int[1, 5], Gen.Int).Sample((s, o, seed) =>
            {
                var x = R(seed, s);
                var k = R(seed + 1, [1, 1, s[3], o]);
                Close(K.Dot(x, K.Reshape(k, [s[3], o])), K.Conv2d(x, k), "1x1 conv2d vs dot", s[3]);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("conv2d, its gradients and pool2d agree with the numpy backend on large geometries", ["conv2d", "conv2d_backprop_input", "conv2d_backprop_filter", "pool2d", "pool2d_backprop"], () =>
            Gen.Select(Gen.Int[1, 3], Gen.Int[6, 14], Gen.Int[1, 24], Gen.Int[1, 24], Gen.Int[1, 3], Gen.Bool, Gen.Bool, Gen.Int).Sample((n, hw, cin, cout, kk, same, cf, seed) =>
            {
                // The numpy backend is the reference here; on itself the comparison would be trivially true.
                if (Backend.CurrentName == "numpy") return;
                string pad = same ? "same" : "valid", fmt = cf ? "channels_first" : "channels_last";
                int k = 2 * kk - 1;
                int[] xs = cf ? [n, cin, hw, hw + 1] : [n, hw, hw + 1, cin];
                var x = R(seed, xs, DType.Float32);
                var kernel = R(seed + 1, [k, k, cin, cout], DType.Float32);
                int[] strides = [1 + (seed & 1), 1];
                var y = K.Conv2d(x, kernel, strides, pad, fmt);
                var u = R(seed + 2, y.Shape.ToArray(), DType.Float32);
                var dx = K.Conv2dBackpropInput(x, kernel, u, strides, pad, fmt);
                var dk = K.Conv2dBackpropFilter(x, kernel, u, strides, pad, fmt);
                var pm = K.Pool2d(x, [2, 3], [2, 2], pad, fmt, "max");
                var pa = K.Pool2d(x, [3, 2], [1, 2], pad, fmt, "avg");
                var bm = K.Pool2dBackprop(x, pm, [2, 3], [2, 2], pad, fmt, "max");
                using var _ = Backend.Use("numpy");
                string what = $"x.shape={Format.Py(xs)} kernel {k}x{k}x{cin}x{cout} strides={Format.Py(strides)} {pad} {fmt}";
                Close(K.Conv2d(x, kernel, strides, pad, fmt), y, "conv2d " + what, k * k * cin);
                Close(K.Conv2dBackpropInput(x, kernel, u, strides, pad, fmt), dx, "conv2d_backprop_input " + what, k * k * cout);
                Close(K.Conv2dBackpropFilter(x, kernel, u, strides, pad, fmt), dk, "conv2d_backprop_filter " + what, y.Size / cout);
                Close(K.Pool2d(x, [2, 3], [2, 2], pad, fmt, "max"), pm, "pool2d max " + what);
                Close(K.Pool2d(x, [3, 2], [1, 2], pad, fmt, "avg"), pa, "pool2d avg " + what, 6);
                Close(K.Pool2dBackprop(x, pm, [2, 3], [2, 2], pad, fmt, "max"), bm, "pool2d_backprop max " + what, 6);
            }, seed: Sampling.Seed, iter: Sampling.Iter(8), threads: 1)),
        new("conv1d is causal with causal padding and equals conv2d over a height-1 image", ["conv1d"], () =>
            Gen.Select(Gen.Int[1, 2], Gen.Int[3, 9], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 2], Gen.Int).Sample((n, steps, k, c, d, seed) =>
            {
                var x = R(seed, [n, steps, c]);
                var kernel = R(seed + 1, [k, c, 2]);
                var y = K.Conv1d(x, kernel, padding: "causal", dilationRate: d);
                True(y.Shape == new Shape(n, steps, 2), $"causal conv1d keeps the steps: {y.Shape}");
                // Changing the input at the last step changes only the last output step.
                var x2 = K.Concatenate([GradSlice(x, 0, steps - 1), R(seed + 2, [n, 1, c])], 1);
                var y2 = K.Conv1d(x2, kernel, padding: "causal", dilationRate: d);
                Close(GradSlice(y, 0, steps - 1), GradSlice(y2, 0, steps - 1), "causal conv1d: earlier outputs ignore the last input");
                var same = K.Conv1d(x, kernel, 1, "same", null, d);
                var viaConv2d = K.Squeeze(K.Conv2d(K.ExpandDims(x, 1), K.ExpandDims(kernel, 0), [1, 1], "same", null, [1, d]), 1);
                Close(viaConv2d, same, "conv1d vs conv2d on (n, 1, steps, c)", k * c);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("pool2d_backprop is the adjoint of pooling, and avg ≤ max", ["pool2d", "pool2d_backprop"], () =>
            Gen.Select(Gen.Int[1, 3].Array[2], Gen.Int[1, 3].Array[2], Gen.Int[0, 3].Array[2], Gen.Bool, Gen.Bool, Gen.Int).Sample((pool, strides, extra, same, cf, seed) =>
            {
                string pad = same ? "same" : "valid", fmt = cf ? "channels_first" : "channels_last";
                int h = pool[0] + extra[0], w = pool[1] + extra[1];
                int[] xs = cf ? [2, 3, h, w] : [2, h, w, 3];
                var x = R(seed, xs);
                var mx = K.Pool2d(x, pool, strides, pad, fmt, "max");
                var av = K.Pool2d(x, pool, strides, pad, fmt, "avg");
                var u = R(seed + 1, mx.Shape.ToArray());
                foreach (var (mode, y) in new[] { ("max", mx), ("avg", av) })
                    Near(Inner(y, u), Inner(x, K.Pool2dBackprop(x, u, pool, strides, pad, fmt, mode)), $"pool2d {mode} adjoint x.shape={Format.Py(xs)} pool={Format.Py(pool)} strides={Format.Py(strides)} {pad}", mx.Size * 4);
                True(K.Max(K.Subtract(av, mx)).GetDouble(0) <= 1e-12, "avg pool exceeds max pool");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("bias_add is x plus the bias reshaped onto the channel axis", ["bias_add"], () =>
            Gen.Select(Gen.Int[1, 4].Array[2, 5], Gen.Bool, Gen.Int).Sample((s, cf, seed) =>
            {
                string fmt = cf ? "channels_first" : "channels_last";
                int axis = cf && s.Length > 2 ? 1 : s.Length - 1;
                var x = R(seed, s);
                var b = R(seed + 1, [s[axis]]);
                var shape = s.Select((d, i) => i == axis ? d : 1).ToArray();
                Close(K.Add(x, K.Reshape(b, shape)), K.BiasAdd(x, b, fmt), $"bias_add x.shape={Format.Py(s)} {fmt}");
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("padding adds zeros only: the sums agree and the shape grows by the pads", ["temporal_padding", "spatial_2d_padding"], () =>
            Gen.Select(Gen.Int[1, 4].Array[4], Gen.Int[0, 3].Array[4], Gen.Bool, Gen.Int).Sample((s, p, cf, seed) =>
            {
                var x = K.Add(K.Abs(R(seed, s)), K.Constant(1.0, DType.Float64));
                var t = K.TemporalPadding(K.Reshape(x, [s[0], s[1], s[2] * s[3]]), [p[0], p[1]]);
                True(t.Shape == new Shape(s[0], s[1] + p[0] + p[1], s[2] * s[3]), $"temporal_padding shape {t.Shape}");
                Close(K.Sum(x), K.Sum(t), "temporal_padding keeps the sum", x.Size);
                Close(K.Sum(x), K.Sum(K.Abs(t)), "temporal_padding adds only zeros", x.Size);
                var sp = K.Spatial2dPadding(x, p, cf ? "channels_first" : "channels_last");
                int a = cf ? 2 : 1;
                True(sp.Shape[a] == s[a] + p[0] + p[1] && sp.Shape[a + 1] == s[a + 1] + p[2] + p[3], $"spatial_2d_padding shape {sp.Shape}");
                Close(K.Sum(x), K.Sum(K.Abs(sp)), "spatial_2d_padding adds only zeros", x.Size);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
        new("conv3d over a depth-1 volume is conv2d, and its backprop ops are its adjoints", ["conv3d", "conv3d_backprop_input", "conv3d_backprop_filter"], () =>
            Gen.Select(ConvGen, Gen.Int[1, 3], Gen.Int).Sample((g, depth, seed) =>
            {
                bool cf = g.Format == "channels_first";
                int[] xs = cf ? [g.X[0], g.X[1], 1, g.X[2], g.X[3]] : [g.X[0], 1, .. g.X[1..]];
                var x = R(seed, g.X);
                var k = R(seed + 1, g.K);
                int[] s3 = [1, .. g.S], d3 = [1, .. g.D];
                var y3 = K.Conv3d(K.Reshape(x, xs), K.Reshape(k, [1, .. g.K]), s3, g.Padding, g.Format, d3);
                var y2 = K.Conv2d(x, k, g.S, g.Padding, g.Format, g.D);
                Close(y2, K.Reshape(y3, y2.Shape.ToArray()), "conv3d depth 1 vs conv2d " + Show(g), g.K[0] * g.K[1] * g.K[2]);
                // A real depth: adjoint pairs.
                int[] xd = cf ? [g.X[0], g.X[1], depth + 1, g.X[2], g.X[3]] : [g.X[0], depth + 1, .. g.X[1..]];
                int[] kd = [Math.Min(2, depth + 1), .. g.K];
                var xv = R(seed + 3, xd);
                var kv = R(seed + 4, kd);
                int[] sd = [1 + (seed & 1) * (g.D[0] == 1 && g.D[1] == 1 ? 1 : 0), .. g.S];
                var y = K.Conv3d(xv, kv, sd, g.Padding, g.Format, d3);
                var u = R(seed + 5, y.Shape.ToArray());
                double lhs = Inner(y, u), scale = y.Size * kd.Aggregate(1, (a, b) => a * b);
                Near(lhs, Inner(xv, K.Conv3dBackpropInput(xv, kv, u, sd, g.Padding, g.Format, d3)), "<x, conv3d_backprop_input> " + Show(g), scale);
                Near(lhs, Inner(kv, K.Conv3dBackpropFilter(xv, kv, u, sd, g.Padding, g.Format, d3)), "<k, conv3d_backprop_filter> " + Show(g), scale);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("pool3d over a depth-1 volume is pool2d, and pool3d_backprop is its adjoint", ["pool3d", "pool3d_backprop"], () =>
            Gen.Select(Gen.Int[1, 3].Array[3], Gen.Int[1, 2].Array[3], Gen.Int[0, 2].Array[3], Gen.Bool, Gen.Bool, Gen.Bool, Gen.Int).Sample((pool, strides, extra, same, cf, max, seed) =>
            {
                string pad = same ? "same" : "valid", fmt = cf ? "channels_first" : "channels_last", mode = max ? "max" : "avg";
                var sp = Enumerable.Range(0, 3).Select(i => pool[i] + extra[i]).ToArray();
                int[] xs = cf ? [2, 2, .. sp] : [2, .. sp, 2];
                var x = R(seed, xs);
                var y = K.Pool3d(x, pool, strides, pad, fmt, mode);
                var u = R(seed + 1, y.Shape.ToArray());
                Near(Inner(y, u), Inner(x, K.Pool3dBackprop(x, u, pool, strides, pad, fmt, mode)), $"pool3d {mode} adjoint x.shape={Format.Py(xs)}", y.Size * 8);
                int[] x2 = cf ? [2, 2, sp[1], sp[2]] : [2, sp[1], sp[2], 2];
                var flat = R(seed + 2, x2);
                var p2 = K.Pool2d(flat, pool[1..], strides[1..], pad, fmt, mode);
                var p3 = K.Pool3d(K.ExpandDims(flat, cf ? 2 : 1), [1, .. pool[1..]], [1, .. strides[1..]], pad, fmt, mode);
                Close(p2, K.Reshape(p3, p2.Shape.ToArray()), $"pool3d depth 1 vs pool2d {mode}", 9);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter / 2), threads: 1)),
        new("spatial_3d_padding adds zeros only", ["spatial_3d_padding"], () =>
            Gen.Select(Gen.Int[1, 3].Array[5], Gen.Int[0, 2].Array[6], Gen.Bool, Gen.Int).Sample((s, p, cf, seed) =>
            {
                var x = K.Add(K.Abs(R(seed, s)), K.Constant(1.0, DType.Float64));
                var y = K.Spatial3dPadding(x, p, cf ? "channels_first" : "channels_last");
                int a = cf ? 2 : 1;
                for (int j = 0; j < 3; j++) True(y.Shape[a + j] == s[a + j] + p[2 * j] + p[2 * j + 1], $"spatial_3d_padding shape {y.Shape}");
                Close(K.Sum(x), K.Sum(K.Abs(y)), "spatial_3d_padding adds only zeros", x.Size);
            }, seed: Sampling.Seed, iter: Sampling.Iter(Iter), threads: 1)),
    ];

    /// <summary>x[:, start:start + length] along axis 1 (through gather, which every backend has).</summary>
    private static Tensor GradSlice(Tensor x, int start, int length) =>
        K.PermuteDimensions(K.Gather(K.PermuteDimensions(x, [1, 0, 2]), Tensor.FromSpan<int>(Enumerable.Range(start, length).ToArray(), [length])), [1, 0, 2]);
}
