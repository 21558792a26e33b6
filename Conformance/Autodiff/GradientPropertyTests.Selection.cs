using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

// Finite-difference properties of take, take_along_axis and dot_product_attention.
public partial class GradientPropertyTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("take")]
    public void Take(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[1, 3].Array[0, 2], Gen.Int[-1, 2], Gens.Case).Sample((shape, idxShape, pick, c) =>
        {
            // Indices in [-n, n), repeats included, so gradients accumulate; axis null (pick -1) or one of x's axes.
            var rnd = new Random(c.Seed);
            int? axis = pick < 0 ? null : pick % shape.Length - (pick % 2) * shape.Length;
            int n = axis is null ? shape.Aggregate(1, (a, b) => a * b) : shape[axis.Value < 0 ? axis.Value + shape.Length : axis.Value];
            int count = idxShape.Aggregate(1, (a, b) => a * b);
            var idx = Enumerable.Range(0, count).Select(_ => rnd.Next(-n, n)).ToArray();
            var indices = Tensor.FromSpan<int>(idx, idxShape);
            GradCheck.Check(backend, $"take x.shape={GradCheck.Show(shape)} indices={Format.Py(idx)} shape {GradCheck.Show(idxShape)} axis={Format.Py(axis)}",
                xs => K.Take(xs[0], indices, axis), [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("take_along_axis")]
    public void TakeAlongAxis(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[0, 2], Gen.Int[1, 4], Gen.Int[0, 7], Gens.Case).Sample((shape, pick, m, ones, c) =>
        {
            // Indices of x's rank with m entries on the axis; some other axes of x or of the indices set to 1 (broadcast).
            var rnd = new Random(c.Seed);
            int axis = pick % shape.Length;
            var xs0 = shape.Select((d, i) => i != axis && (ones & (1 << i)) != 0 ? 1 : d).ToArray();
            var idxShape = shape.Select((d, i) => i == axis ? m : i != axis && (ones & (2 << i)) != 0 ? 1 : d).ToArray();
            int count = idxShape.Aggregate(1, (a, b) => a * b), n = shape[axis];
            var idx = Enumerable.Range(0, count).Select(_ => rnd.Next(-n, n)).ToArray();
            var indices = Tensor.FromSpan<int>(idx, idxShape);
            GradCheck.Check(backend, $"take_along_axis x.shape={GradCheck.Show(xs0)} indices={Format.Py(idx)} shape {GradCheck.Show(idxShape)} axis={axis}",
                xs => K.TakeAlongAxis(xs[0], indices, axis), [(GradCheck.Values(rnd, xs0), xs0)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("dot_product_attention")]
    public void DotProductAttention(string backend) =>
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 3], Gen.Int[1, 4], Gen.Int[1, 2], Gen.Int[1, 2], Gen.Int[1, 3], Gen.Int[0, 7], Gens.Case)
            .Sample((b, t, s, kv, g, h, flags, c) =>
            {
                // Optional bias (differentiated too), key padding mask and causal rule; grouped heads when g > 1.
                var rnd = new Random(c.Seed);
                int n = kv * g;
                bool withBias = (flags & 1) != 0, withMask = (flags & 2) != 0, causal = (flags & 4) != 0;
                int[] qs = [b, t, n, h], ks = [b, s, kv, h], bs = [n, t, s];
                var keep = Enumerable.Range(0, s).Select(j => j == 0 || rnd.Next(3) > 0).ToArray();
                Tensor? mask = withMask ? K.Constant(keep, DType.Bool, [s]) : null;
                var inputs = new List<(double[], int[])> { (GradCheck.Values(rnd, qs), qs), (GradCheck.Values(rnd, ks), ks), (GradCheck.Values(rnd, ks), ks) };
                if (withBias) inputs.Add((GradCheck.Values(rnd, bs), bs));
                GradCheck.Check(backend, $"dot_product_attention query {GradCheck.Show(qs)} key {GradCheck.Show(ks)} bias={withBias} mask={Format.Py(withMask ? keep.Select(z => z ? 1 : 0).ToArray() : null)} is_causal={causal}",
                    xs => K.DotProductAttention(xs[0], xs[1], xs[2], withBias ? xs[3] : null, mask, isCausal: causal), inputs, c.Seed);
            }, iter: Iterations, threads: 1);
}
