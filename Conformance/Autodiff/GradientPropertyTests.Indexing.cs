using CsCheck;
using KerasBackend.Properties;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>Finite-difference properties of numpy basic indexing (random integers, clamped and negative-step slices, new
/// axes, an ellipsis), through the C# indexer and x.At[...].Set, also with every dimension unknown in the graph.</summary>
public partial class GradientPropertyTests
{
    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("strided_slice")]
    public void StridedSlice(string backend) =>
        Gen.Select(Gens.Shape(1, 4), Gens.Case).Sample((shape, c) =>
        {
            var rnd = new Random(c.Seed);
            var idx = IndexGen.Draw(rnd, shape);
            GradCheck.Check(backend, $"x[{string.Join(", ", idx)}] x.shape={GradCheck.Show(shape)}", xs => xs[0][idx],
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("strided_slice_update")]
    public void StridedSliceUpdate(string backend) =>
        Gen.Select(Gens.Shape(1, 4), Gen.Int[0, 2], Gens.Case).Sample((shape, form, c) =>
        {
            var rnd = new Random(c.Seed);
            var idx = IndexGen.Draw(rnd, shape);
            using var _ = Backend.Use(backend);
            var region = K.Zeros(shape, DType.Float64)[idx].Shape.ToArray();
            // The value: the region's shape, a broadcast row of it (its last axis, or a scalar), or with a leading 1.
            int[] vShape = form switch { 0 => region, 1 => region.Length == 0 ? [] : [region[^1]], _ => [1, .. region] };
            GradCheck.Check(backend, $"x.At[{string.Join(", ", idx)}].Set(v) x.shape={GradCheck.Show(shape)} v.shape={GradCheck.Show(vShape)}",
                xs => xs[0].At[idx].Set(xs[1]), [(GradCheck.Values(rnd, shape), shape), (GradCheck.Values(rnd, vShape), vShape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);
}
