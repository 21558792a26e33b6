using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

// Finite-difference properties of scatter and scatter_update: random targets of rank 1 to 3, index depth k in [1, rank],
// one or two batch axes of index rows, negative indices, and repeated rows (which add for scatter; for scatter_update
// the last one wins, so an overwritten update has gradient zero).
public partial class GradientPropertyTests
{
    private static (int[] Indices, int[] IndexShape, int[] SliceShape) ScatterRowsFor(Random rnd, int[] target, int k, int[] batch)
    {
        int count = batch.Aggregate(1, (a, b) => a * b);
        var idx = new int[count * k];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < k; j++)
            {
                // Row i repeats row 0 now and then, so repeated indices are common.
                idx[i * k + j] = i > 0 && rnd.Next(3) == 0 ? idx[j] : rnd.Next(-target[j], target[j]);
            }
        return (idx, [.. batch, k], [.. batch, .. target[k..]]);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("scatter")]
    public void Scatter(string backend) =>
        Gen.Select(Gen.Int[1, 3].Array[1, 3], Gen.Int[1, 3], Gen.Int[1, 4].Array[1, 2], Gens.Case).Sample((target, pick, batch, c) =>
        {
            var rnd = new Random(c.Seed);
            int k = 1 + pick % target.Length;
            var (idx, idxShape, valueShape) = ScatterRowsFor(rnd, target, k, batch);
            var indices = Tensor.FromSpan<int>(idx, idxShape);
            GradCheck.Check(backend, $"scatter indices={Format.Py(idx)} shape {GradCheck.Show(idxShape)} values.shape={GradCheck.Show(valueShape)} shape={GradCheck.Show(target)}",
                xs => K.Scatter(indices, xs[0], target), [(GradCheck.Values(rnd, valueShape), valueShape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("scatter_update")]
    public void ScatterUpdate(string backend) =>
        Gen.Select(Gen.Int[1, 3].Array[1, 3], Gen.Int[1, 3], Gen.Int[1, 4].Array[1, 2], Gens.Case).Sample((target, pick, batch, c) =>
        {
            var rnd = new Random(c.Seed);
            int k = 1 + pick % target.Length;
            var (idx, idxShape, updateShape) = ScatterRowsFor(rnd, target, k, batch);
            var indices = Tensor.FromSpan<int>(idx, idxShape);
            GradCheck.Check(backend, $"scatter_update inputs.shape={GradCheck.Show(target)} indices={Format.Py(idx)} shape {GradCheck.Show(idxShape)} updates.shape={GradCheck.Show(updateShape)}",
                xs => K.ScatterUpdate(xs[0], indices, xs[1]), [(GradCheck.Values(rnd, target), target), (GradCheck.Values(rnd, updateShape), updateShape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);
}
