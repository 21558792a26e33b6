using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

// Finite-difference properties of matmul, einsum, tensordot, sort and top_k.
public partial class GradientPropertyTests
{
    /// <summary>matmul operand shapes: 1-D or batched, batches broadcasting (a 1 against the other's size, or absent).</summary>
    private static readonly Gen<(int[] A, int[] B)> MatmulShapes =
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[0, 5], Gen.Int[0, 5]).Select((m, k, n, b, fa, fb) =>
        {
            int[] a = fa switch { 0 => [k], 1 => [m, k], 2 => [b, m, k], 3 => [1, m, k], _ => [2, b, m, k] };
            int[] bs = fb switch { 0 => [k], 1 => [k, n], 2 => [b, k, n], 3 => [1, k, n], _ => [b, k, n] };
            return (a, bs);
        });

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("matmul")]
    public void Matmul(string backend) =>
        Gen.Select(MatmulShapes, Gens.Case).Sample((p, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"matmul x1.shape={GradCheck.Show(p.A)} x2.shape={GradCheck.Show(p.B)}",
                xs => K.Matmul(xs[0], xs[1]), [(GradCheck.Values(rnd, p.A), p.A), (GradCheck.Values(rnd, p.B), p.B)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    /// <summary>einsum forms with their operand shapes: GEMM-shaped, transposed, diagonal, summed-alone, broadcast, ellipsis, three operands.</summary>
    private static readonly (string Subscripts, int[][] Shapes)[] EinsumForms =
    [
        ("ij,jk->ik", [[2, 3], [3, 2]]),
        ("ij,kj->ki", [[2, 3], [4, 3]]),
        ("bij,bjk->bik", [[2, 2, 3], [2, 3, 2]]),
        ("btnh,bsnh->bnts", [[1, 2, 2, 3], [1, 3, 2, 3]]),
        ("ii->i", [[3, 3]]),
        ("ii", [[3, 3]]),
        ("iij->j", [[2, 2, 3]]),
        ("ij,k->ik", [[2, 3], [2]]),
        ("ij,ij->ij", [[1, 3], [2, 3]]),
        ("...ij,...jk->...ik", [[2, 1, 2, 3], [3, 3, 2]]),
        ("ij,jk,kl->il", [[2, 3], [3, 2], [2, 2]]),
        ("i,i", [[4], [4]]),
        (",ij->ji", [[], [2, 3]]),
    ];

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("einsum")]
    public void Einsum(string backend) =>
        Gen.Select(Gen.Int[0, EinsumForms.Length - 1], Gens.Case).Sample((f, c) =>
        {
            var rnd = new Random(c.Seed);
            var (subscripts, shapes) = EinsumForms[f];
            GradCheck.Check(backend, $"einsum \"{subscripts}\" shapes {string.Join(" ", shapes.Select(GradCheck.Show))}",
                xs => K.Einsum(subscripts, xs), shapes.Select(s => (GradCheck.Values(rnd, s), s)).ToList(), c.Seed);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("tensordot")]
    public void Tensordot(string backend) =>
        Gen.Select(Gen.Int[0, 2], Gens.Case).Sample((form, c) =>
        {
            var rnd = new Random(c.Seed);
            var (a, b, axes) = form switch
            {
                0 => (new[] { 2, 3, 2 }, new[] { 3, 2, 2 }, new[] { 2 }),
                1 => (new[] { 2, 3 }, new[] { 3, 2 }, new[] { 1, 0 }),
                _ => (new[] { 3, 2, 2 }, new[] { 2, 3 }, new[] { 0, 1, 1, 0 }),
            };
            GradCheck.Check(backend, $"tensordot x1.shape={GradCheck.Show(a)} x2.shape={GradCheck.Show(b)} axes={Format.Py(axes)}",
                xs => K.Tensordot(xs[0], xs[1], axes), [(GradCheck.Values(rnd, a), a), (GradCheck.Values(rnd, b), b)], c.Seed);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sort")]
    public void Sort(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[-1, 2], Gens.Case).Sample((shape, pick, c) =>
        {
            // Distinct values (at least 0.1 apart) so that ±h never reorders them.
            var rnd = new Random(c.Seed);
            int? axis = pick < 0 ? null : pick % shape.Length;
            int n = shape.Aggregate(1, (a, b) => a * b);
            var values = Enumerable.Range(0, n).OrderBy(_ => rnd.Next()).Select(i => i * 0.1 - 1).ToArray();
            GradCheck.Check(backend, $"sort x.shape={GradCheck.Show(shape)} axis={Format.Py(axis)}",
                xs => K.Sort(xs[0], axis), [(values, shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("top_k")]
    public void TopK(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int[0, 4], Gens.Case).Sample((shape, kk, c) =>
        {
            var rnd = new Random(c.Seed);
            int k = Math.Min(kk, shape[^1]), n = shape.Aggregate(1, (a, b) => a * b);
            var values = Enumerable.Range(0, n).OrderBy(_ => rnd.Next()).Select(i => i * 0.1 - 1).ToArray();
            GradCheck.Check(backend, $"top_k x.shape={GradCheck.Show(shape)} k={k}",
                xs => K.TopK(xs[0], k)[0], [(values, shape)], c.Seed);
        }, iter: Iterations, threads: 1);
}
