using CsCheck;

namespace KerasBackend.Conformance.Graph;

/// <summary>Property: evaluating a recorded graph through K.Function gives exactly what the same ops give eagerly.</summary>
public class GraphPropertyTests
{
    // A small expression over x (rows × cols) and a variable w (cols × k): ((x·w) op c) summed or averaged over an axis.
    private static readonly Gen<(int Rows, int Cols, int K, int Op, int Axis, bool Keep, int Seed)> Cases =
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 6], Gen.Int[1, 4], Gen.Int[0, 3], Gen.Int[0, 1], Gen.Bool, Gen.Int);

    private static Tensor Build(Tensor x, Tensor w, Tensor c, int op, int axis, bool keep)
    {
        var d = K.Dot(x, w);
        var e = op switch { 0 => d + c, 1 => d * c, 2 => K.Maximum(d, c), _ => d - c * 0.5 };
        return axis == 0 ? K.Sum(e, axis, keep) : K.Mean(e, axis, keep);
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Function_results_equal_eager_results(string backend)
    {
        Cases.Sample(cs =>
        {
            using var _ = Backend.Use(backend);
            var rnd = new Random(cs.Seed);
            float[] Rand(int n) => Enumerable.Range(0, n).Select(_ => (float)Math.Round(rnd.NextDouble() * 8 - 4, 2)).ToArray();
            var xv = K.Constant(Rand(cs.Rows * cs.Cols), shape: [cs.Rows, cs.Cols]);
            var w = K.Variable(K.Constant(Rand(cs.Cols * cs.K), shape: [cs.Cols, cs.K]));
            var c = K.Constant(Rand(cs.K), shape: [cs.K]);
            var eager = Build(xv, w, c, cs.Op, cs.Axis, cs.Keep);
            var x = K.Placeholder([null, cs.Cols]);
            var sym = Build(x, w, c, cs.Op, cs.Axis, cs.Keep);
            // static shape: the batch axis is unknown unless it was reduced away
            var expected = eager.Shape.ToArray().Select((d, i) => (int?)d).ToArray();
            if (cs.Axis == 1 || cs.Keep) expected[0] = cs.Axis == 0 ? 1 : null;
            Assert.Equal(expected, K.IntShape(sym));
            Assert.Equal(eager.DType, sym.DType);
            var got = K.Function([x], [sym]).Call(xv)[0];
            Assert.Equal(eager.Shape, got.Shape);
            Assert.Equal(eager.ToArray<float>(), got.ToArray<float>());
        }, iter: 60);
    }
}
