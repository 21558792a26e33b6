using System.Text;
using KerasBackend.Cases;
using KerasBackend.Conformance.Cases;
using KerasBackend.Onnx;
using KerasBackend.OnnxRuntime;
using Xunit.Abstractions;

namespace KerasBackend.Conformance.Onnx;

/// <summary>
/// The <c>onnx</c> backend: the golden corpus replayed on it (every kernel a cached ONNX Runtime session built from the
/// op's lowering), its resolution by name, its errors, and K.Function compiled into one session with gradients and updates.
/// </summary>
[Collection(GlobalStateCollection.Name)]
public class OnnxBackendTests(ITestOutputHelper output)
{
    /// <summary>Ops drawing random numbers: on onnx they come from ONNX Runtime's generator (the backend says which), so their values differ from the Philox cases.</summary>
    private static bool Random(string op) => s_onnx.OwnRandomStream(op) is not null;

    private static readonly IOwnRandomStream s_onnx = (IOwnRandomStream)Backend.Create("onnx");

    [Fact]
    public void Golden_corpus_passes_on_the_onnx_backend()
    {
        var random = GoldenCorpus.Cases.Where(c => Random(c.Op) && c.ExpectError is null).ToList();
        var run = GoldenCorpus.Cases.Where(c => !random.Contains(c)).ToList();
        var results = new CaseRunner(Backend.Create("onnx")).RunAll(run);
        // An op without lowering yet (KB0015/KB0016: the spec says so at build time) raises a typed error naming it: listed, not failed.
        bool Unlowered(CaseResult r) => r.Got.Contains("has no ONNX lowering", StringComparison.Ordinal);
        var unlowered = results.Where(r => !r.Passed && Unlowered(r)).Select(r => r.Case.Op).Distinct().Order(StringComparer.Ordinal).ToList();
        var failures = results.Where(r => !r.Passed && !Unlowered(r)).ToList();
        var report = new StringBuilder($"{results.Count(r => r.Passed)} of {results.Count} golden cases pass on onnx ({results.Select(r => r.Case.Op).Distinct().Count()} ops).\n");
        report.AppendLine($"not compared by value: random ops (ONNX Runtime's generator): {string.Join(", ", random.Select(c => c.Op).Distinct().Order(StringComparer.Ordinal))}");
        if (unlowered.Count > 0)
        {
            report.AppendLine($"ops without an ONNX lowering yet (a typed error on onnx): {string.Join(", ", unlowered)}");
            // Only ops the build reports without a lowering may be excused, and only through an op of their own definition.
            foreach (var r in results.Where(r => !r.Passed && Unlowered(r)))
                Assert.Contains(OnnxExport.OpsWithoutLowering, m => r.Got.Contains($"{m}: ", StringComparison.Ordinal));
        }
        foreach (var f in failures.Take(30)) report.AppendLine($"FAIL {f.Case.Id}: {f.Reason} | want {f.Expected} | got {f.Got}");
        output.WriteLine(report.ToString());
        Assert.True(failures.Count == 0, report.ToString());
    }

    [Fact]
    public void Random_ops_on_onnx_draw_their_distribution_with_the_seed_repeatable()
    {
        using var _ = Backend.Use("onnx");
        var a = K.RandomUniform([400], minval: 2, maxval: 3, seed: 7);
        var b = K.RandomUniform([400], minval: 2, maxval: 3, seed: 7);
        Assert.Equal(DType.Float32, a.DType);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.All(a.ToArray<float>(), v => Assert.InRange(v, 2f, 3f));
        var n = K.RandomNormal([4000], mean: 1, stddev: 2, seed: 3).ToArray<float>();
        Assert.InRange(n.Average(), 0.8, 1.2);
        var bern = K.RandomBernoulli([1000], p: 0.25, seed: 1).ToArray<float>();
        Assert.All(bern, v => Assert.True(v is 0f or 1f));
        Assert.InRange(bern.Average(), 0.18, 0.32);
    }

    [Fact]
    public void Onnx_resolves_by_name_and_reports_it()
    {
        var b = Backend.Create("onnx");
        Assert.Equal("onnx", b.Name);
        Assert.IsType<OnnxBackend>(b);
        using (Backend.Use("onnx")) Assert.Equal("onnx", Backend.CurrentName);
        Assert.Contains("onnx", Backend.Optional);
    }

    [Fact]
    public void Bad_input_raises_the_facade_error_as_on_cpu()
    {
        using var _ = Backend.Use("onnx");
        var e = Assert.Throws<KerasValueException>(() => K.Dot(K.Ones([2, 3]), K.Ones([4, 5])));
        Assert.Equal("dot", e.Op);
        using (Backend.Use("cpu"))
        {
            var cpu = Assert.Throws<KerasValueException>(() => K.Dot(K.Ones([2, 3]), K.Ones([4, 5])));
            Assert.Equal(cpu.Message, e.Message);
        }
    }

    [Fact]
    public void An_onnx_runtime_failure_is_a_typed_error_naming_the_op()
    {
        // gather with an index out of range: the facade does not read values, ONNX Runtime's Gather refuses it.
        using var _ = Backend.Use("onnx");
        var e = Assert.ThrowsAny<KerasValueException>(() => K.Gather(K.Ones([3, 2]), K.Constant(new[] { 0, 7 })));
        Assert.Equal("gather", e.Op);
        Assert.Contains("gather", e.Message);
    }

    [Fact]
    public void A_function_with_gradients_and_updates_trains_as_one_session_as_on_cpu()
    {
        float[] Train(string backend)
        {
            using var _ = Backend.Use(backend);
            var w = K.Variable(new float[,] { { 0.1f }, { -0.2f }, { 0.3f } }, name: "w");
            var bias = K.Variable(new[] { 0f }, name: "b");
            var x = K.Placeholder([null, 3], name: "x");
            var y = K.Placeholder([null, 1], name: "y");
            var loss = K.Mean(K.Square(K.Dot(x, w) + bias - y));
            var grads = K.Gradients(loss, [w, bias]);
            var step = K.Function([x, y], [loss], [K.UpdateSub(w, 0.1f * grads[0]), K.UpdateSub(bias, 0.1f * grads[1])]);
            var xs = K.Constant(new float[,] { { 1, 2, 3 }, { 0, 1, 0 }, { 2, 0, 1 }, { 1, 1, 1 } });
            var ys = K.Constant(new float[,] { { 1 }, { 0 }, { 2 }, { 1 } });
            for (int i = 0; i < 20; i++) step.Call(xs, ys);
            return [.. w.ToArray<float>(), .. bias.ToArray<float>()];
        }
        var cpu = Train("cpu");
        int before = OnnxBackend.CompiledFunctions;
        var onnx = Train("onnx");
        Assert.Equal(before + 1, OnnxBackend.CompiledFunctions);
        for (int i = 0; i < cpu.Length; i++) Assert.Equal(cpu[i], onnx[i], 4);
    }
    /// <summary>scatter's and scatter_update's gradients, first and second order (their internal _scatter_gather and
    /// _scatter_add_back nodes, with and without scatter_update's last-write rule, k = 1 and k = 0), compiled into one
    /// ONNX Runtime session: the same values as on cpu.</summary>
    [Fact]
    public void Scatter_gradients_of_first_and_second_order_run_as_one_session_as_on_cpu()
    {
        float[][] Run(string backend)
        {
            using var _ = Backend.Use(backend);
            var idx = K.Constant(new long[,] { { 0 }, { -1 }, { 0 }, { 2 } }, dtype: DType.Int64); // a repeated row and a negative index
            var whole = K.Constant(new long[2, 0], dtype: DType.Int64); // k = 0: every row addresses the whole target
            var w = K.Constant(new float[,] { { 1, -2 }, { 3, 0.5f }, { -1, 2 }, { 0.25f, 4 } });
            var v = K.Placeholder([4, 2], name: "v");
            var inputs = K.Placeholder([4, 2], name: "inputs");
            var v0 = K.Placeholder([2, 4, 2], name: "v0");
            var outs = new List<Tensor>();
            foreach (var (scattered, wrt) in new (Func<Tensor> F, Tensor[] Wrt)[]
            {
                (() => K.Scatter(idx, v, [4, 2]), [v]),
                (() => K.ScatterUpdate(inputs, idx, v), [inputs, v]),
                (() => K.Scatter(whole, v0, [4, 2]), [v0]),
                (() => K.ScatterUpdate(inputs, whole, v0), [inputs, v0]),
            }.Select(p => (p.F(), p.Wrt)))
            {
                var loss = K.Sum(K.Square(scattered) * w);
                var first = K.Gradients(loss, wrt);
                outs.AddRange(first);
                // Second order: the gradient of a function of the first gradient (the gather's gradient is the add-back and back).
                outs.AddRange(K.Gradients(K.Sum(K.Square(first[^1]) * K.Sum(first[^1])), [wrt[^1]]));
            }
            var f = K.Function([v, inputs, v0], outs);
            Assert.Empty(new[] { "_scatter_gather", "_scatter_add_back" }.Except(OnnxRuntimeModels.GraphOps(f)));
            var r = new Random(5);
            Tensor Draw(params int[] shape) => K.Constant(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), shape: shape);
            return f.Call(Draw(4, 2), Draw(4, 2), Draw(2, 4, 2)).Select(t => t.ToArray<float>()).ToArray();
        }
        var cpu = Run("cpu");
        int before = OnnxBackend.CompiledFunctions;
        var onnx = Run("onnx");
        Assert.Equal(before + 1, OnnxBackend.CompiledFunctions); // one session, not the node-by-node fallback
        Assert.Equal(cpu.Length, onnx.Length);
        for (int i = 0; i < cpu.Length; i++)
        {
            Assert.Equal(cpu[i].Length, onnx[i].Length);
            for (int j = 0; j < cpu[i].Length; j++) Assert.True(Math.Abs(cpu[i][j] - onnx[i][j]) <= 1e-4 * Math.Max(1, Math.Abs(cpu[i][j])), $"output {i}[{j}]: cpu {cpu[i][j]}, onnx {onnx[i][j]}");
        }
        // The updates' gradient of scatter_update zeroes the overwritten row (row 0; row 2 wrote the same slice later).
        Assert.Equal([0f, 0f], cpu[3][..2]);
    }
    /// <summary>Gradients through ops whose adjoint needs a size known only when the graph runs (batch None): concatenate
    /// (_concat_part), temporal and spatial padding (_crop, and _uncrop in second order), tile (_untile), gather
    /// (_scatter_rows), take and take_along_axis (_take_scatter, _take_along_axis_scatter; with an axis and flattened, and a
    /// broadcast x), compiled into one ONNX Runtime session, first and second order: the same values as on cpu.</summary>
    [Fact]
    public void Gradients_with_unknown_batch_compile_into_one_session_as_on_cpu()
    {
        float[][] Run(string backend)
        {
            using var _ = Backend.Use(backend);
            var a = K.Placeholder([null, 3], name: "a");
            var b = K.Placeholder([null, 2], name: "b");
            var seq = K.Placeholder([2, null, 1], name: "seq");
            var img = K.Placeholder([2, null, null, 1], name: "img");
            var emb = K.Variable(new float[,] { { 0.5f, -1 }, { 2, 0.25f }, { -0.75f, 1.5f } }, name: "emb");
            var ids = K.Placeholder([null], dtype: DType.Int32, name: "ids");
            var w = K.Constant(new[] { 1f, -2, 0.5f });
            var cat = K.Concatenate([a, K.Square(a)], axis: 0);                     // (None, 3): the parts' sizes are unknown
            var padded = K.TemporalPadding(seq, [1, 2]);                            // (2, None, 1)
            var pad2 = K.Spatial2dPadding(img, [1, 0, 0, 2]);                       // (2, None, None, 1)
            var tiled = K.Tile(b, [1, 3]);                                          // (None, 6)
            var looked = K.Gather(emb, ids);                                        // (None, 2)
            var row = K.Variable(new float[,] { { 0.3f, -0.6f, 1.2f } }, name: "row");
            var taken = K.Take(a, K.Constant(new[] { 2, -1, 0, 2 }, dtype: DType.Int32), axis: 1);              // (None, 4)
            var takenFlat = K.Take(a, K.Constant(new[] { 5, -2, 0, 5 }, dtype: DType.Int32), axis: null);       // (4,)
            var along = K.TakeAlongAxis(a, K.Constant(new[,] { { 2, 0 } }, dtype: DType.Int32), axis: 1);      // (None, 2)
            var alongRow = K.TakeAlongAxis(row, K.Constant(new[,] { { 1, -1 }, { 0, 0 }, { 2, 1 } }, dtype: DType.Int32), axis: 1); // row broadcast: (3, 2)
            var alongFlat = K.TakeAlongAxis(a, K.Constant(new[] { 1, 7, 1 }, dtype: DType.Int32), axis: null); // (3,)
            var loss = K.Sum(K.Square(cat) * w) + K.Sum(K.Square(padded) * K.Sum(padded)) + K.Sum(K.Square(pad2) * K.Sum(pad2))
                + K.Sum(K.Square(tiled) * K.Sum(b)) + K.Sum(K.Square(looked) * K.Sum(looked))
                + K.Sum(K.Square(taken) * K.Sum(taken)) + K.Sum(K.Square(takenFlat)) + K.Sum(K.Square(along) * K.Sum(along))
                + K.Sum(K.Square(alongRow) * K.Sum(alongRow)) + K.Sum(K.Square(alongFlat));
            var first = K.Gradients(loss, [a, b, seq, img, emb, row]);
            // Second order: the adjoints' own gradients (_uncrop, tile, concatenate, gather) in the graph too.
            var second = K.Gradients(first.Aggregate(K.Constant(0f), (acc, g) => acc + K.Sum(K.Square(g))), [a, b, seq, img]);
            var f = K.Function([a, b, seq, img, ids], [.. first, .. second]);
            var recorded = OnnxRuntimeModels.GraphOps(f).ToHashSet();
            Assert.Empty(new[] { "_concat_part", "_crop", "_uncrop", "_untile", "_scatter_rows", "_take_scatter", "_take_along_axis_scatter" }.Except(recorded));
            var r = new Random(9);
            Tensor Draw(params int[] shape) => K.Constant(Enumerable.Range(0, shape.Aggregate(1, (p, q) => p * q)).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), shape: shape);
            return f.Call(Draw(4, 3), Draw(4, 2), Draw(2, 3, 1), Draw(2, 2, 3, 1), K.Constant(new[] { 2, 0, -1, 2 }, dtype: DType.Int32)).Select(t => t.ToArray<float>()).ToArray();
        }
        var cpu = Run("cpu");
        int before = OnnxBackend.CompiledFunctions;
        var onnx = Run("onnx");
        Assert.Equal(before + 1, OnnxBackend.CompiledFunctions); // one session, not the node-by-node fallback
        Assert.Equal(cpu.Length, onnx.Length);
        for (int i = 0; i < cpu.Length; i++)
        {
            Assert.Equal(cpu[i].Length, onnx[i].Length);
            for (int j = 0; j < cpu[i].Length; j++) Assert.True(Math.Abs(cpu[i][j] - onnx[i][j]) <= 1e-4 * Math.Max(1, Math.Abs(cpu[i][j])), $"output {i}[{j}]: cpu {cpu[i][j]}, onnx {onnx[i][j]}");
        }
    }
}
