using KerasBackend.Onnx;
using KerasBackend.OnnxRuntime;

namespace KerasBackend.Conformance.Onnx;

/// <summary>K.Function(...).ExportOnnx: inputs, initializers, names, dtypes, symbolic dimensions, updates; and ONNX Runtime runs the result.</summary>
public class OnnxExportTests
{
    private static global::Onnx.ModelProto Parse(byte[] bytes) => global::Onnx.ModelProto.Parser.ParseFrom(bytes);

    [Fact]
    public void A_dense_layer_exports_with_symbolic_batch_and_runs_on_onnx_runtime()
    {
        var x = K.Placeholder([null, 3], name: "images");
        var w = K.Variable(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, name: "kernel");
        var b = K.Variable(new float[] { 0.5f, -1 }, name: "bias");
        var y = K.Softmax(K.Relu(K.Dot(x, w) + b));
        var f = K.Function([x], [y]);
        var bytes = f.ToOnnx();

        var m = Parse(bytes);
        Assert.Equal(17, m.OpsetImport.Single().Version);
        var input = Assert.Single(m.Graph.Input);
        Assert.Equal("images", input.Name);
        Assert.Equal(1, input.Type.TensorType.ElemType);
        Assert.Equal("batch", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(3, input.Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal(["bias", "kernel"], m.Graph.Initializer.Select(i => i.Name).Where(n => n is "kernel" or "bias").Order());
        Assert.Equal("output", Assert.Single(m.Graph.Output).Name);

        var feed = Tensor.FromArray(new float[,] { { 1, 0, -1 }, { 0.5f, 0.25f, 2 } });
        var want = f.Call(feed)[0];
        using var model = OnnxModel.Load(bytes);
        var got = model.Run(feed)[0];
        Assert.Equal(want.Shape, got.Shape);
        Assert.Equal(DType.Float32, got.DType);
        for (int i = 0; i < want.Size; i++) Assert.Equal(want.GetDouble(i), got.GetDouble(i), 6);
        // A batch of another size: the batch dimension is symbolic.
        var three = Tensor.FromArray(new float[,] { { 1, 1, 1 }, { 2, 2, 2 }, { 3, 3, 3 } });
        Assert.Equal(3, model.Run(three)[0].Shape[0]);
    }

    [Fact]
    public void Variables_become_inputs_by_option_and_outputs_keep_names_and_dtypes()
    {
        var x = K.Placeholder([2], dtype: DType.Int32, name: "n");
        var v = K.Variable(new double[] { 1.5, 2.5 }, dtype: DType.Float64, name: "scale");
        var f = K.Function([x], [K.Cast(x, DType.Float64) * v, K.Greater(x, K.ZerosLike(x))]);
        var bytes = f.ToOnnx(options: new OnnxExportOptions { VariablesAsInputs = true, OutputNames = ["scaled", "positive"] });
        var m = Parse(bytes);
        Assert.Equal(["n", "scale"], m.Graph.Input.Select(i => i.Name));
        Assert.DoesNotContain(m.Graph.Initializer, i => i.Name == "scale");
        Assert.Equal(["scaled", "positive"], m.Graph.Output.Select(o => o.Name));
        Assert.Equal([11, 9], m.Graph.Output.Select(o => o.Type.TensorType.ElemType)); // float64, bool
        using var model = OnnxModel.Load(bytes);
        var outs = model.Run(Tensor.FromArray(new[] { -1, 4 }), Tensor.FromArray(new[] { 2.0, 3.0 }));
        Assert.Equal([-2.0, 12.0], outs[0].ToArray<double>());
        Assert.Equal([false, true], outs[1].ToArray<bool>());
    }

    [Fact]
    public void Updates_are_refused_with_a_clear_error_or_exported_as_outputs()
    {
        var x = K.Placeholder([2], name: "x");
        var v = K.Variable(new float[] { 1, 2 }, name: "acc");
        var f = K.Function([x], [K.Sum(x)], updates: [K.UpdateAdd(v, x)]);
        var e = Assert.Throws<OnnxExportException>(() => f.ToOnnx());
        Assert.Contains("1 update(s)", e.Message);
        Assert.Contains("UpdatesAsOutputs", e.Message);
        Assert.IsAssignableFrom<KerasValueException>(e);

        var bytes = f.ToOnnx(options: new OnnxExportOptions { UpdatesAsOutputs = true });
        Assert.Equal(["output", "acc_new"], Parse(bytes).Graph.Output.Select(o => o.Name));
        using var model = OnnxModel.Load(bytes);
        var outs = model.Run(Tensor.FromArray(new float[] { 10, 20 }));
        Assert.Equal([11f, 22f], outs[1].ToArray<float>());
        Assert.Equal([1f, 2f], v.ToArray<float>()); // exporting does not assign
    }

    [Fact]
    public void The_learning_phase_is_baked_in_and_only_the_chosen_branch_is_written()
    {
        var x = K.Placeholder([null, 4], name: "x");
        var y = K.InTrainPhase(K.Dropout(x, 0.5, seed: 1), x);
        var f = K.Function([x], [y]);
        var m = Parse(f.ToOnnx(options: new OnnxExportOptions { LearningPhase = 0 }));
        Assert.DoesNotContain(m.Graph.Node, n => n.OpType.StartsWith("Random", StringComparison.Ordinal));
        using var model = OnnxModel.Load(f.ToOnnx(options: new OnnxExportOptions { LearningPhase = 0 }));
        var feed = Tensor.FromArray(new float[,] { { 1, 2, 3, 4 } });
        Assert.Equal(feed.ToArray<float>(), model.Run(feed)[0].ToArray<float>());
        // In the train phase the dropout mask is drawn by ONNX Runtime: kept values are doubled, dropped ones 0.
        using var train = OnnxModel.Load(f.ToOnnx(options: new OnnxExportOptions { LearningPhase = 1 }));
        var got = train.Run(feed)[0].ToArray<float>();
        Assert.All(got.Zip(feed.ToArray<float>()), p => Assert.True(p.First == 0 || p.First == 2 * p.Second));
    }

    [Fact]
    public void Exporting_to_a_file_and_bad_arguments()
    {
        var x = K.Placeholder([3], name: "x");
        var f = K.Function([x], [K.Exp(x)]);
        var path = Path.Combine(Path.GetTempPath(), $"kb-export-{Guid.NewGuid():N}.onnx");
        try
        {
            f.ExportOnnx(path);
            Assert.Equal(f.ToOnnx(), File.ReadAllBytes(path));
            using var s = new MemoryStream();
            f.ExportOnnx(s, opset: 18);
            Assert.Equal(18, Parse(s.ToArray()).OpsetImport.Single().Version);
        }
        finally { File.Delete(path); }
        var e = Assert.Throws<KerasValueException>(() => f.ToOnnx(opset: 11));
        Assert.Contains("opset must be in [17, 21]", e.Message);
    }
    /// <summary>Every internal node a gradient may record (the keys of GradOps' gradient table) has an ONNX lowering, so a
    /// training graph with a batch of unknown size exports and compiles on the onnx backend.</summary>
    [Fact]
    public void Every_internal_gradient_node_has_a_lowering()
    {
        var missing = KerasBackend.Autodiff.GradOps.Table.Keys.Where(op => Lowerings.Internal(op) is null).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"internal nodes without an ONNX lowering (add one to Runtime/Onnx/Lowerings.Internal.cs): {string.Join(", ", missing)}");
    }
}
