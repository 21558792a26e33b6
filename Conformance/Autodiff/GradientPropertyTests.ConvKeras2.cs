using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>Finite-difference properties of depthwise, separable, transposed-3D and locally connected convolutions and the resize ops.</summary>
public partial class GradientPropertyTests
{
    /// <summary>A depthwise geometry: equal strides or dilation (TensorFlow's depthwise kernel takes nothing else), multiplier 1 or 2.</summary>
    private static readonly Gen<ConvCase> DepthwiseGeometryGen =
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3].Array[2], Gen.Int[0, 2].Array[2], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[0, 2], Gen.Bool, Gen.Bool)
            .Select((n, k, extra, cin, mult, mode, same, cf) =>
            {
                int[] s = mode == 1 ? [2, 2] : [1, 1];
                int[] d = mode == 2 ? [2, 1 + (extra[1] & 1)] : [1, 1];
                int h = (k[0] - 1) * d[0] + 1 + extra[0], w = (k[1] - 1) * d[1] + 1 + extra[1];
                return new ConvCase(n, h, w, cin, mult, k[0], k[1], s, d, same ? "same" : "valid", cf ? "channels_first" : "channels_last");
            });

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("depthwise_conv2d")]
    public void DepthwiseConv2d(string backend) =>
        Gen.Select(DepthwiseGeometryGen, Gens.Case).Sample((g, c) =>
        {
            // Kernel (kh, kw, in, multiplier): ConvCase's Cout is the multiplier here.
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"depthwise_conv2d {g}", t => K.DepthwiseConv2d(t[0], t[1], g.Strides, g.Padding, g.DataFormat, g.Dilation),
                [(GradCheck.Values(rnd, g.X), g.X), (GradCheck.Values(rnd, g.Kernel), g.Kernel)], c.Seed, c.Unknown);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("separable_conv2d")]
    public void SeparableConv2d(string backend) =>
        Gen.Select(DepthwiseGeometryGen, Gen.Int[1, 2], Gens.Case).Sample((g, o, c) =>
        {
            int[] pk = [1, 1, g.Cin * g.Cout, o];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"separable_conv2d {g} pointwise_kernel.shape={GradCheck.Show(pk)}", t => K.SeparableConv2d(t[0], t[1], t[2], g.Strides, g.Padding, g.DataFormat, g.Dilation),
                [(GradCheck.Values(rnd, g.X), g.X), (GradCheck.Values(rnd, g.Kernel), g.Kernel), (GradCheck.Values(rnd, pk), pk)], c.Seed, c.Unknown);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("separable_conv1d")]
    public void SeparableConv1d(string backend) =>
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3], Gen.Int[0, 3], Gen.Int[1, 2], Gen.Int[0, 2], Gen.Bool, Gen.Bool, Gens.Case)
            .Sample((n, k, extra, cin, mode, same, cf, c) =>
            {
                int s = mode == 1 ? 2 : 1, d = mode == 2 ? 2 : 1, steps = (k - 1) * d + 1 + extra;
                string padding = same ? "same" : "valid", format = cf ? "channels_first" : "channels_last";
                int[] xs = cf ? [n, cin, steps] : [n, steps, cin], dk = [k, cin, 2], pk = [1, 2 * cin, 2];
                var rnd = new Random(c.Seed);
                GradCheck.Check(backend, $"separable_conv1d x.shape={GradCheck.Show(xs)} depthwise_kernel.shape={GradCheck.Show(dk)} strides={s} padding={padding} data_format={format} dilation_rate={d}",
                    t => K.SeparableConv1d(t[0], t[1], t[2], s, padding, format, d),
                    [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, dk), dk), (GradCheck.Values(rnd, pk), pk)], c.Seed, c.Unknown);
            }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("conv3d_transpose")]
    public void Conv3dTranspose(string backend) =>
        Gen.Select(Gen.Int[1, 2].Array[3], Gen.Int[0, 1].Array[3], Gen.Int[1, 2].Array[3], Gen.Bool, Gen.Bool, Gens.Case).Sample((k, extra, s, same, cf, c) =>
        {
            // The transpose of conv3d(y): x has the conv's output shape, the result y's shape.
            string format = cf ? "channels_first" : "channels_last", padding = same ? "same" : "valid";
            var sp = Enumerable.Range(0, 3).Select(i => k[i] + extra[i]).ToArray();
            int[] ys = cf ? [1, 2, .. sp] : [1, .. sp, 2], ks = [.. k, 2, 2];
            int[] xs = K.Conv3d(K.Zeros(ys, DType.Float64), K.Zeros(ks, DType.Float64), s, padding, format).Shape.ToArray();
            int?[] outShape = [null, .. ys[1..].Select(v => (int?)v)];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"conv3d_transpose x.shape={GradCheck.Show(xs)} kernel.shape={GradCheck.Show(ks)} output_shape={GradCheck.Show(ys)} strides={Format.Py(s)} padding={padding} data_format={format}",
                t => K.Conv3dTranspose(t[0], t[1], outShape, s, padding, format),
                [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ks), ks)], c.Seed, c.Unknown);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("local_conv2d")]
    public void LocalConv2d(string backend) =>
        Gen.Select(Gen.Int[1, 2].Array[2], Gen.Int[0, 2].Array[2], Gen.Int[1, 2].Array[2], Gen.Int[1, 2], Gen.Bool, Gens.Case).Sample((k, extra, s, cin, cf, c) =>
        {
            string format = cf ? "channels_first" : "channels_last";
            int h = k[0] + extra[0], w = k[1] + extra[1], oh = (h - k[0]) / s[0] + 1, ow = (w - k[1]) / s[1] + 1;
            int[] xs = cf ? [2, cin, h, w] : [2, h, w, cin], ks = [oh * ow, k[0] * k[1] * cin, 2];
            var rnd = new Random(c.Seed);
            // The windows are cut from known spatial extents (output_shape is static), so only the batch may be unknown: none here.
            GradCheck.Check(backend, $"local_conv2d inputs.shape={GradCheck.Show(xs)} kernel.shape={GradCheck.Show(ks)} kernel_size={Format.Py(k)} strides={Format.Py(s)} data_format={format}",
                t => K.LocalConv2d(t[0], t[1], k, s, [oh, ow], format), [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ks), ks)], c.Seed);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("local_conv1d")]
    public void LocalConv1d(string backend) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, 3], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Bool, Gens.Case).Sample((k, extra, s, cin, cf, c) =>
        {
            string format = cf ? "channels_first" : "channels_last";
            int steps = k + extra, outLen = (steps - k) / s + 1;
            int[] xs = cf ? [2, cin, steps] : [2, steps, cin], ks = [outLen, k * cin, 2];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"local_conv1d inputs.shape={GradCheck.Show(xs)} kernel.shape={GradCheck.Show(ks)} kernel_size={k} strides={s} data_format={format}",
                t => K.LocalConv1d(t[0], t[1], [k], [s], format), [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ks), ks)], c.Seed);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("resize_images")]
    public void ResizeImages(string backend) =>
        Gen.Select(Gen.Int[1, 3].Array[2], Gen.Int[1, 3].Array[2], Gen.Bool, Gen.Bool, Gens.Case).Sample((hw, f, cf, bilinear, c) =>
        {
            string format = cf ? "channels_first" : "channels_last", how = bilinear ? "bilinear" : "nearest";
            int[] xs = cf ? [2, 2, hw[0], hw[1]] : [2, hw[0], hw[1], 2];
            var rnd = new Random(c.Seed);
            // bilinear's result is float32 (TensorFlow's ResizeBilinear): the op is linear, so it is checked at x = 0,
            // where float32 rounding scales with the nudge and the difference quotient stays exact to float32 precision.
            var values = bilinear ? new double[xs.Aggregate(1, (a, b) => a * b)] : GradCheck.Values(rnd, xs);
            GradCheck.Check(backend, $"resize_images x.shape={GradCheck.Show(xs)} height_factor={f[0]} width_factor={f[1]} data_format={format} interpolation={how}",
                t => K.Cast(K.ResizeImages(t[0], f[0], f[1], format, how), DType.Float64), [(values, xs)], c.Seed, c.Unknown, tolerance: bilinear ? 1e-4 : 1e-5);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("resize_volumes")]
    public void ResizeVolumes(string backend) =>
        Gen.Select(Gen.Int[1, 2].Array[3], Gen.Int[1, 2].Array[3], Gen.Bool, Gens.Case).Sample((s, f, cf, c) =>
        {
            string format = cf ? "channels_first" : "channels_last";
            int[] xs = cf ? [1, 2, .. s] : [1, .. s, 2];
            var rnd = new Random(c.Seed);
            // Built on repeat_elements, which takes at most one unknown dimension in a graph: known shapes here.
            GradCheck.Check(backend, $"resize_volumes x.shape={GradCheck.Show(xs)} factors={Format.Py(f)} data_format={format}",
                t => K.ResizeVolumes(t[0], f[0], f[1], f[2], format), [(GradCheck.Values(rnd, xs), xs)], c.Seed);
        }, iter: ConvIterations, threads: 1);
}
