using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>Finite-difference properties of the convolution family over random geometries (formats, paddings, strides, dilations).</summary>
public partial class GradientPropertyTests
{
    private const int ConvIterations = 10;

    /// <summary>A random 2D geometry: batch, spatial extents that hold the (dilated) kernel, channels, strides or dilation (never both > 1).</summary>
    private static readonly Gen<ConvCase> ConvGeometryGen =
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3].Array[2], Gen.Int[0, 2].Array[2], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[0, 2], Gen.Bool, Gen.Bool)
            .Select((n, k, extra, cin, cout, mode, same, cf) =>
            {
                int[] s = mode == 1 ? [2, 1 + (extra[0] & 1)] : [1, 1];
                int[] d = mode == 2 ? [2, 1 + (extra[1] & 1)] : [1, 1];
                int h = (k[0] - 1) * d[0] + 1 + extra[0], w = (k[1] - 1) * d[1] + 1 + extra[1];
                return new ConvCase(n, h, w, cin, cout, k[0], k[1], s, d, same ? "same" : "valid", cf ? "channels_first" : "channels_last");
            });

    internal sealed record ConvCase(int N, int H, int W, int Cin, int Cout, int Kh, int Kw, int[] Strides, int[] Dilation, string Padding, string DataFormat)
    {
        public bool ChannelsFirst => DataFormat == "channels_first";
        public int[] X => ChannelsFirst ? [N, Cin, H, W] : [N, H, W, Cin];
        public int[] Kernel => [Kh, Kw, Cin, Cout];
        public override string ToString() =>
            $"x.shape={GradCheck.Show(X)} kernel.shape={GradCheck.Show(Kernel)} strides={Format.Py(Strides)} padding={Padding} data_format={DataFormat} dilation_rate={Format.Py(Dilation)}";
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("conv2d")]
    public void Conv2d(string backend) =>
        Gen.Select(ConvGeometryGen, Gens.Case).Sample((g, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"conv2d {g}", t => K.Conv2d(t[0], t[1], g.Strides, g.Padding, g.DataFormat, g.Dilation),
                [(GradCheck.Values(rnd, g.X), g.X), (GradCheck.Values(rnd, g.Kernel), g.Kernel)], c.Seed, c.Unknown);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("conv1d")]
    public void Conv1d(string backend) =>
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3], Gen.Int[0, 3], Gen.Int[1, 2], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Bool, Gens.Case)
            .Sample((n, k, extra, cin, mode, pad, cf, c) =>
            {
                int s = mode == 1 ? 2 : 1, d = mode == 2 ? 2 : 1, steps = (k - 1) * d + 1 + extra;
                string padding = pad switch { 0 => "valid", 1 => "same", _ => "causal" };
                // tf-keras' causal padding pads axis 1, which is the channel axis with channels_first (an error): channels_last only.
                string format = cf && padding != "causal" ? "channels_first" : "channels_last";
                int[] xs = format == "channels_first" ? [n, cin, steps] : [n, steps, cin], ks = [k, cin, 2];
                var rnd = new Random(c.Seed);
                GradCheck.Check(backend, $"conv1d x.shape={GradCheck.Show(xs)} kernel.shape={GradCheck.Show(ks)} strides={s} padding={padding} data_format={format} dilation_rate={d}",
                    t => K.Conv1d(t[0], t[1], s, padding, format, d),
                    [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ks), ks)], c.Seed, c.Unknown && padding != "causal");
            }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("bias_add")]
    public void BiasAdd(string backend) =>
        Gen.Select(Gens.Shape(2, 4), Gen.Bool, Gen.Bool, Gens.Case).Sample((shape, full, cf, c) =>
        {
            bool fullBias = full && shape.Length >= 3;
            string format = cf ? "channels_first" : "channels_last";
            int channel = cf && shape.Length > 2 ? 1 : shape.Length - 1;
            // A full bias has x's shape without the batch axis, in tf-keras' order: channels last even for channels_first.
            int[] bias = fullBias ? (cf ? [.. shape[2..], shape[1]] : shape[1..]) : [shape[channel]];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"bias_add x.shape={GradCheck.Show(shape)} bias.shape={GradCheck.Show(bias)} data_format={format}",
                t => K.BiasAdd(t[0], t[1], format), [(GradCheck.Values(rnd, shape), shape), (GradCheck.Values(rnd, bias), bias)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("pool2d")]
    public void Pool2d(string backend) =>
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3].Array[2], Gen.Int[1, 2].Array[2], Gen.Int[0, 2].Array[2], Gen.Bool, Gen.Bool, Gen.Bool, Gens.Case)
            .Sample((n, pool, strides, extra, same, cf, max, c) =>
            {
                string format = cf ? "channels_first" : "channels_last", padding = same ? "same" : "valid", mode = max ? "max" : "avg";
                int h = pool[0] + extra[0], w = pool[1] + extra[1];
                int[] xs = cf ? [n, 2, h, w] : [n, h, w, 2];
                var rnd = new Random(c.Seed);
                // Values at least 1e-3 apart in practice (random doubles), so ±h never changes which cell is a window's maximum.
                GradCheck.Check(backend, $"pool2d x.shape={GradCheck.Show(xs)} pool_size={Format.Py(pool)} strides={Format.Py(strides)} padding={padding} data_format={format} pool_mode={mode}",
                    t => K.Pool2d(t[0], pool, strides, padding, format, mode), [(GradCheck.Values(rnd, xs), xs)], c.Seed, c.Unknown);
            }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("temporal_padding")]
    public void TemporalPadding(string backend) =>
        Gen.Select(Gen.Int[1, 3].Array[3], Gen.Int[0, 2].Array[2], Gens.Case).Sample((shape, pads, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"temporal_padding x.shape={GradCheck.Show(shape)} padding={Format.Py(pads)}",
                t => K.TemporalPadding(t[0], pads), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("spatial_2d_padding")]
    public void Spatial2dPadding(string backend) =>
        Gen.Select(Gen.Int[1, 3].Array[4], Gen.Int[0, 2].Array[4], Gen.Bool, Gens.Case).Sample((shape, pads, cf, c) =>
        {
            string format = cf ? "channels_first" : "channels_last";
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"spatial_2d_padding x.shape={GradCheck.Show(shape)} padding={Format.Py(pads)} data_format={format}",
                t => K.Spatial2dPadding(t[0], pads, format), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("conv3d")]
    public void Conv3d(string backend) =>
        Gen.Select(Gen.Int[1, 2].Array[3], Gen.Int[0, 1].Array[3], Gen.Int[0, 2], Gen.Bool, Gen.Bool, Gens.Case).Sample((k, extra, mode, same, cf, c) =>
        {
            int[] s = mode == 1 ? [2, 1, 2] : [1, 1, 1], d = mode == 2 ? [2, 1, 1] : [1, 1, 1];
            var sp = Enumerable.Range(0, 3).Select(i => (k[i] - 1) * d[i] + 1 + extra[i]).ToArray();
            string format = cf ? "channels_first" : "channels_last", padding = same ? "same" : "valid";
            int[] xs = cf ? [1, 2, .. sp] : [1, .. sp, 2], ks = [.. k, 2, 2];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"conv3d x.shape={GradCheck.Show(xs)} kernel.shape={GradCheck.Show(ks)} strides={Format.Py(s)} padding={padding} data_format={format} dilation_rate={Format.Py(d)}",
                t => K.Conv3d(t[0], t[1], s, padding, format, d), [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ks), ks)], c.Seed, c.Unknown);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("pool3d")]
    public void Pool3d(string backend) =>
        Gen.Select(Gen.Int[1, 2].Array[3], Gen.Int[1, 2].Array[3], Gen.Int[0, 1].Array[3], Gen.Bool, Gen.Bool, Gen.Bool, Gens.Case)
            .Sample((pool, strides, extra, same, cf, max, c) =>
            {
                string format = cf ? "channels_first" : "channels_last", padding = same ? "same" : "valid", mode = max ? "max" : "avg";
                var sp = Enumerable.Range(0, 3).Select(i => pool[i] + extra[i]).ToArray();
                int[] xs = cf ? [1, 2, .. sp] : [1, .. sp, 2];
                var rnd = new Random(c.Seed);
                GradCheck.Check(backend, $"pool3d x.shape={GradCheck.Show(xs)} pool_size={Format.Py(pool)} strides={Format.Py(strides)} padding={padding} data_format={format} pool_mode={mode}",
                    t => K.Pool3d(t[0], pool, strides, padding, format, mode), [(GradCheck.Values(rnd, xs), xs)], c.Seed, c.Unknown);
            }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("spatial_3d_padding")]
    public void Spatial3dPadding(string backend) =>
        Gen.Select(Gen.Int[1, 2].Array[5], Gen.Int[0, 2].Array[6], Gen.Bool, Gens.Case).Sample((shape, pads, cf, c) =>
        {
            string format = cf ? "channels_first" : "channels_last";
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"spatial_3d_padding x.shape={GradCheck.Show(shape)} padding={Format.Py(pads)} data_format={format}",
                t => K.Spatial3dPadding(t[0], pads, format), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: ConvIterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("conv2d_transpose")]
    public void Conv2dTranspose(string backend) =>
        Gen.Select(ConvGeometryGen, Gens.Case).Sample((g, c) =>
        {
            // The transpose of conv2d(g): x has the conv's output shape, the result the conv's input shape.
            int[] dilation = g.Dilation[0] != g.Dilation[1] ? [1, 1] : g.Dilation, strides = dilation[0] != 1 ? [1, 1] : g.Strides;
            var probe = K.Conv2d(K.Zeros(g.X, DType.Float64), K.Zeros(g.Kernel, DType.Float64), strides, g.Padding, g.DataFormat, dilation);
            int[] xs = probe.Shape.ToArray(), ks = [g.Kh, g.Kw, g.Cin, g.Cout];
            int?[] outShape = [null, .. g.X[1..].Select(d => (int?)d)];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"conv2d_transpose x.shape={GradCheck.Show(xs)} kernel.shape={GradCheck.Show(ks)} output_shape={GradCheck.Show(g.X)} strides={Format.Py(strides)} padding={g.Padding} data_format={g.DataFormat} dilation_rate={Format.Py(dilation)}",
                t => K.Conv2dTranspose(t[0], t[1], outShape, strides, g.Padding, g.DataFormat, dilation),
                [(GradCheck.Values(rnd, xs), xs), (GradCheck.Values(rnd, ks), ks)], c.Seed, c.Unknown);
        }, iter: ConvIterations, threads: 1);
}
