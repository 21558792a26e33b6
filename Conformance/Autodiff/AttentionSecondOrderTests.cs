using KerasBackend.Graph;

namespace KerasBackend.Conformance.Autodiff;

/// <summary>
/// Second-order gradients through dot_product_attention, checked by central differences: a loss whose upstream gradient
/// depends on the inputs (Σ w ⊙ out²), its first gradient g = d loss / d (query, key, value, bias) built by K.Gradients,
/// a scalar function of it, H = Σ_i Σ (g_i ⊙ u_i)², and K.Gradients of H against differences of H. A backward pass
/// that treated the upstream gradient as a constant (a stop_gradient) gets these wrong.
/// </summary>
public class AttentionSecondOrderTests
{
    private const double Step = 1e-5;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var b in Backend.BuiltIn) for (int form = 0; form < 3; form++) data.Add(b, form);
        return data;
    }

    /// <param name="form">0: multi-head; 1: grouped heads with a bias and the causal rule; 2: a key mask and an explicit scale.</param>
    [Theory, MemberData(nameof(Cases))]
    public void Gradients_of_gradients_match_finite_differences(string backend, int form)
    {
        using var _ = Backend.Use(backend);
        var rnd = new Random(11 + form);
        int b = 1, t = 3, s = form == 1 ? 3 : 4, kv = form == 1 ? 1 : 2, n = 2, h = 2;
        int[] qs = [b, t, n, h], ks = [b, s, kv, h], bs = [n, t, s];
        var shapes = form == 1 ? new[] { qs, ks, ks, bs } : [qs, ks, ks];
        var values = shapes.Select(sh => Tensor.FromSpan<double>(GradCheck.Values(rnd, sh), sh)).ToArray();
        var xs = shapes.Select((sh, i) => GraphBuilder.Placeholder(new Shape(sh), DType.Float64, $"x{i}")).ToArray();
        var mask = form == 2 ? K.Constant(new[] { true, false, true, true }, DType.Bool, [s]) : null;
        var output = K.DotProductAttention(xs[0], xs[1], xs[2], form == 1 ? xs[3] : null, mask, scale: form == 2 ? 0.7 : null, isCausal: form == 1);
        var w = Tensor.FromSpan<double>(GradCheck.Values(rnd, qs), qs);
        var loss = K.Sum(K.Multiply(K.Square(output), w));
        var first = K.Gradients(loss, xs);
        var u = shapes.Select(sh => Tensor.FromSpan<double>(GradCheck.Values(rnd, sh), sh)).ToArray();
        var hh = first.Select((g, i) => K.Sum(K.Square(K.Multiply(g, u[i])))).Aggregate(K.Add);
        var second = K.Gradients(hh, xs);

        Dictionary<Tensor, Tensor> Run(Tensor[] at, IEnumerable<Tensor> outs)
        {
            var feed = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < xs.Length; i++) feed[xs[i]] = at[i];
            return new Plan(outs).Run(feed);
        }
        double H(Tensor[] at) => Run(at, [hh])[hh].GetDouble(0);

        var analytic = Run(values, second);
        for (int i = 0; i < xs.Length; i++)
            for (int j = 0; j < values[i].Size; j++)
            {
                var plus = values.ToArray();
                var minus = values.ToArray();
                plus[i] = GradCheck.Nudge(values[i], j, Step);
                minus[i] = GradCheck.Nudge(values[i], j, -Step);
                double numeric = (H(plus) - H(minus)) / (2 * Step), got = analytic[second[i]].GetDouble(j);
                Assert.True(Math.Abs(numeric - got) <= 1e-5 * (1 + Math.Abs(numeric)),
                    $"form {form} on {backend}: d H / d x{i}[{j}] = {got:R} by K.Gradients of K.Gradients, {numeric:R} by central differences");
            }
    }
}
