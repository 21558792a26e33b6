using KerasBackend.Graph;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>Marks the finite-difference property of one differentiable op (the coverage test reads it).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class GradientPropertyAttribute(string op) : Attribute
{
    public string Op { get; } = op;
}

/// <summary>
/// Compares K.Gradients with central finite differences in float64: the loss is Σ f(inputs) ⊙ W for fixed
/// random weights W (so a wrongly permuted or mis-broadcast gradient cannot pass), the analytic gradient is
/// the graph K.Gradients builds, run by the graph evaluator; the numeric one moves each element by ±h and
/// runs f eagerly on the same backend.
/// </summary>
internal static class GradCheck
{
    private const double H = 1e-5;

    /// <summary>Random values in [lo, hi] (magnitudes at least <paramref name="minAbs"/>), drawn from a seed.</summary>
    public static double[] Values(Random rnd, int[] shape, double lo = -2, double hi = 2, double minAbs = 0)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x;
            do x = lo + (hi - lo) * rnd.NextDouble(); while (Math.Abs(x) < minAbs);
            v[i] = x;
        }
        return v;
    }

    /// <summary>
    /// Values of <paramref name="shape"/> that are pairwise at least (hi − lo) / size apart (an evenly spaced grid in random
    /// order, each point jittered within its cell's middle half), for ops with a kink where two inputs tie (max, min): a
    /// finite difference across a near-tie measures the kink, not the gradient.
    /// </summary>
    public static double[] Distinct(Random rnd, int[] shape, double lo = -2, double hi = 2)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        var order = Enumerable.Range(0, n).OrderBy(_ => rnd.Next()).ToArray();
        double cell = (hi - lo) / Math.Max(n, 1);
        return order.Select(i => lo + cell * (i + 0.25 + 0.5 * rnd.NextDouble())).ToArray();
    }

    /// <param name="backend">Backend to run on.</param>
    /// <param name="repro">A description of the case (op, shapes, attributes), printed on failure.</param>
    /// <param name="f">The op under test, applied to the inputs (symbolic or concrete).</param>
    /// <param name="inputs">Input values (float64) and shapes.</param>
    /// <param name="seed">Seed of the loss weights.</param>
    /// <param name="unknownDims">Feed placeholders whose dimensions are all unknown (None), so shape plumbing runs at evaluation time.</param>
    /// <param name="differentiable">Which inputs to differentiate (default: all).</param>
    public static void Check(string backend, string repro, Func<IReadOnlyList<Tensor>, Tensor> f,
        IReadOnlyList<(double[] Values, int[] Shape)> inputs, int seed, bool unknownDims = false, bool[]? differentiable = null,
        double tolerance = 1e-5)
    {
        using var _ = Backend.Use(backend);
        var concrete = inputs.Select(i => Tensor.FromSpan<double>(i.Values, i.Shape)).ToArray();
        var outShape = f(concrete).Shape;
        var rnd = new Random(seed);
        var wValues = Values(rnd, outShape.ToArray(), -1, 1);
        var w = Tensor.FromSpan<double>(wValues, outShape.ToArray());

        double Loss(Tensor[] xs)
        {
            var o = f(xs);
            Assert.Equal(DType.Float64, o.DType);
            double s = 0;
            for (int i = 0; i < o.Size; i++) s += o.GetDouble(i) * wValues[i];
            return s;
        }

        var placeholders = inputs.Select((inp, i) => GraphBuilder.Placeholder(
            unknownDims ? Shape.Wrap(inp.Shape.Select(_ => Shape.Unknown).ToArray()) : new Shape(inp.Shape), DType.Float64, $"x{i}")).ToArray();
        var loss = K.Sum(K.Multiply(f(placeholders), w));
        var which = Enumerable.Range(0, inputs.Count).Where(i => differentiable is null || differentiable[i]).ToArray();
        var grads = K.Gradients(loss, which.Select(i => placeholders[i]).ToArray());
        var feed = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++) feed[placeholders[i]] = concrete[i];
        var values = new Plan(grads.Where(g => g.IsSymbolic)).Run(feed);

        for (int k = 0; k < which.Length; k++)
        {
            int i = which[k];
            var g = grads[k].IsSymbolic ? values[grads[k]] : grads[k];
            Assert.True(g.Shape == new Shape(inputs[i].Shape),
                $"{repro} on {backend}: gradient of input {i} has shape {g.Shape}, expected {new Shape(inputs[i].Shape)}");
            Assert.Equal(DType.Float64, g.DType);
            for (int j = 0; j < concrete[i].Size; j++)
            {
                var plus = concrete.Select(c => c).ToArray();
                var minus = concrete.Select(c => c).ToArray();
                plus[i] = Nudge(concrete[i], j, +H);
                minus[i] = Nudge(concrete[i], j, -H);
                double numeric = (Loss(plus) - Loss(minus)) / (2 * H), analytic = g.GetDouble(j);
                Assert.True(Math.Abs(numeric - analytic) <= tolerance * (1 + Math.Abs(numeric)),
                    $"{repro} on {backend}{(unknownDims ? " (unknown dims)" : "")}: d loss / d x{i}[{j}] = {analytic:R} by K.Gradients, {numeric:R} by central differences");
            }
        }
    }

    /// <summary>A copy of <paramref name="t"/> (float64) with element <paramref name="index"/> moved by <paramref name="by"/>.</summary>
    public static Tensor Nudge(Tensor t, int index, double by)
    {
        var v = t.ToArray<double>();
        v[index] += by;
        return Tensor.FromSpan<double>(v, t.Shape.ToArray());
    }

    public static string Show(int[] shape) => "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");
}
