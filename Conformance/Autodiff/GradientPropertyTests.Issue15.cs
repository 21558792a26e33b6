using CsCheck;

namespace KerasBackend.Conformance.Autodiff;

// Finite-difference properties of the losses, the shape ops and the normalizations.
public partial class GradientPropertyTests
{
    /// <summary>A (batch, classes) problem with the class axis moved to <c>axis</c> of a rank-2 or rank-3 output.</summary>
    private static readonly Gen<(int[] Shape, int Axis, int Seed, bool Unknown)> ClassProblem =
        Gen.Select(Gen.Int[1, 3], Gen.Int[2, 5], Gen.Int[0, 3], Gen.Bool, Gens.Case).Select((b, c, pick, rank3, cs) =>
        {
            int[] shape = rank3 ? [b, c, 2] : [b, c];
            int axis = pick switch { 0 => -1, 1 => 1, 2 => 0, _ => -shape.Length };
            if (!rank3 && axis is 0 or -2) axis = 1;
            return (shape, axis, cs.Seed, cs.Unknown);
        });

    /// <summary>A categorical loss of (target, output, from_logits, axis): soft targets in [0, 1], logits or probabilities away from the clip bounds.</summary>
    private static void CategoricalLoss(string backend, string op, Func<Tensor, Tensor, bool, int, Tensor> loss) =>
        Gen.Select(ClassProblem, Gen.Bool).Sample((p, logits) =>
        {
            var rnd = new Random(p.Seed);
            var output = logits ? GradCheck.Values(rnd, p.Shape, -3, 3) : GradCheck.Values(rnd, p.Shape, 0.05, 1);
            GradCheck.Check(backend, $"{op} shape={GradCheck.Show(p.Shape)} axis={p.Axis} from_logits={logits}",
                xs => loss(xs[0], xs[1], logits, p.Axis),
                [(GradCheck.Values(rnd, p.Shape, 0, 1), p.Shape), (output, p.Shape)], p.Seed, p.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("categorical_crossentropy")]
    public void CategoricalCrossentropy(string backend) =>
        CategoricalLoss(backend, "categorical_crossentropy", (t, o, logits, axis) => K.CategoricalCrossentropy(t, o, logits, axis));

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("sparse_categorical_crossentropy")]
    public void SparseCategoricalCrossentropy(string backend) =>
        Gen.Select(ClassProblem, Gen.Bool, Gen.Bool).Sample((p, logits, ignore) =>
        {
            var rnd = new Random(p.Seed);
            int a = p.Axis < 0 ? p.Axis + p.Shape.Length : p.Axis;
            var rows = p.Shape.Where((_, i) => i != a).ToArray();
            var labels = K.Constant(Enumerable.Range(0, rows.Aggregate(1, (m, d) => m * d)).Select(_ => rnd.Next(p.Shape[a])).ToArray(), DType.Int32, rows);
            var output = logits ? GradCheck.Values(rnd, p.Shape, -3, 3) : GradCheck.Values(rnd, p.Shape, 0.05, 1);
            int? ignoreClass = ignore ? 0 : null;
            // The gradient needs the number of classes: the output's dimensions stay known.
            GradCheck.Check(backend, $"sparse_categorical_crossentropy shape={GradCheck.Show(p.Shape)} axis={p.Axis} from_logits={logits} ignore_class={ignoreClass}",
                xs => K.SparseCategoricalCrossentropy(labels, xs[0], logits, p.Axis, ignoreClass), [(output, p.Shape)], p.Seed);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("binary_crossentropy")]
    public void BinaryCrossentropy(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Bool, Gen.Bool, Gens.Case).Sample((shape, logits, broadcast, c) =>
        {
            var rnd = new Random(c.Seed);
            var ts = broadcast && !logits && shape.Length > 0 ? shape.Skip(1).ToArray() : shape;
            var output = logits ? GradCheck.Values(rnd, shape, -4, 4) : GradCheck.Values(rnd, shape, 0.05, 0.95);
            GradCheck.Check(backend, $"binary_crossentropy target.shape={GradCheck.Show(ts)} output.shape={GradCheck.Show(shape)} from_logits={logits}",
                xs => K.BinaryCrossentropy(xs[0], xs[1], logits),
                [(GradCheck.Values(rnd, ts, 0, 1), ts), (output, shape)], c.Seed, c.Unknown && !broadcast);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("categorical_focal_crossentropy")]
    public void CategoricalFocalCrossentropy(string backend) =>
        CategoricalLoss(backend, "categorical_focal_crossentropy", (t, o, logits, axis) => K.CategoricalFocalCrossentropy(t, o, 0.25, 2.0, logits, axis));

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("binary_focal_crossentropy")]
    public void BinaryFocalCrossentropy(string backend) =>
        Gen.Select(Gens.Shape(), Gen.Bool, Gen.Bool, Gens.Case).Sample((shape, logits, balanced, c) =>
        {
            var rnd = new Random(c.Seed);
            var output = logits ? GradCheck.Values(rnd, shape, -4, 4) : GradCheck.Values(rnd, shape, 0.05, 0.95);
            GradCheck.Check(backend, $"binary_focal_crossentropy shape={GradCheck.Show(shape)} from_logits={logits} balanced={balanced}",
                xs => K.BinaryFocalCrossentropy(xs[0], xs[1], balanced, 0.3, 1.5, logits),
                [(GradCheck.Values(rnd, shape, 0, 1), shape), (output, shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("slice")]
    public void Slice(string backend) =>
        Gen.Select(Gens.Shape(1, 3), Gen.Int.Array[3], Gen.Int.Array[3], Gens.Case).Sample((shape, a, b, c) =>
        {
            var start = shape.Select((d, i) => (a[i] % d + d) % d).ToArray();
            // Sizes from 0 to the rest of the axis, or -1 (to the end).
            var size = shape.Select((d, i) => (b[i] & 3) == 0 ? -1 : (b[i] % (d - start[i] + 1) + d - start[i] + 1) % (d - start[i] + 1)).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"slice x.shape={GradCheck.Show(shape)} start={Format.Py(start)} size={Format.Py(size)}", xs => K.Slice(xs[0], start, size),
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("flatten"), GradientProperty("batch_flatten")]
    public void Flatten(string backend)
    {
        Unary(backend, "flatten", K.Flatten);
        // batch_flatten needs the batch or the other dimensions known: shapes stay known.
        Gen.Select(Gens.Shape(1, 3), Gens.Case).Sample((shape, c) =>
            GradCheck.Check(backend, $"batch_flatten x.shape={GradCheck.Show(shape)}", xs => K.BatchFlatten(xs[0]),
                [(GradCheck.Values(new Random(c.Seed), shape), shape)], c.Seed), iter: Iterations, threads: 1);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("repeat"), GradientProperty("repeat_elements")]
    public void Repeat(string backend) =>
        Gen.Select(Gens.Shape(2, 2), Gen.Int[0, 3], Gen.Int[0, 3], Gens.Case).Sample((shape, n, pick, c) =>
        {
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"repeat x.shape={GradCheck.Show(shape)} n={n}", xs => K.Repeat(xs[0], n),
                [(GradCheck.Values(rnd, shape), shape)], c.Seed, c.Unknown);
            int axis = pick % 2 - (pick >= 2 ? 2 : 0);
            GradCheck.Check(backend, $"repeat_elements x.shape={GradCheck.Show(shape)} rep={n} axis={axis}", xs => K.RepeatElements(xs[0], n, axis),
                [(GradCheck.Values(rnd, shape), shape)], c.Seed);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("batch_normalization")]
    public void BatchNormalization(string backend) =>
        Gen.Select(Gens.Shape(2, 3), Gen.Bool, Gen.Int[0, 3], Gens.Case).Sample((shape, rank1, pick, c) =>
        {
            int axis = pick % shape.Length;
            var p = rank1 ? [shape[axis]] : shape.Select((d, i) => i == axis ? d : 1).ToArray();
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"batch_normalization x.shape={GradCheck.Show(shape)} params={GradCheck.Show(p)} axis={axis}",
                xs => K.BatchNormalization(xs[0], xs[1], xs[2], xs[3], xs[4], axis, 1e-3),
                [(GradCheck.Values(rnd, shape), shape), (GradCheck.Values(rnd, p), p), (GradCheck.Values(rnd, p, 0.2, 2), p),
                 (GradCheck.Values(rnd, p), p), (GradCheck.Values(rnd, p), p)], c.Seed, c.Unknown && !rank1);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("normalize_batch_in_training")]
    public void NormalizeBatchInTraining(string backend) =>
        Gen.Select(Gen.Int[2, 4], Gen.Int[1, 3], Gen.Int[0, 2], Gens.Case).Sample((b, f, which, c) =>
        {
            int[] shape = [b, f];
            var rnd = new Random(c.Seed);
            GradCheck.Check(backend, $"normalize_batch_in_training x.shape={GradCheck.Show(shape)} output {which}",
                xs => K.NormalizeBatchInTraining(xs[0], xs[1], xs[2], [0], 1e-3)[which],
                [(GradCheck.Values(rnd, shape), shape), (GradCheck.Values(rnd, [f]), [f]), (GradCheck.Values(rnd, [f]), [f])], c.Seed);
        }, iter: Iterations, threads: 1);

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends)), GradientProperty("l2_normalize")]
    public void L2Normalize(string backend) =>
        Reduction(backend, "l2_normalize", (x, a, _) => K.L2Normalize(x, a), minAbs: 0.1);
}
