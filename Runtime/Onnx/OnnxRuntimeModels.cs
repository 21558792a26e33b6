using Google.Protobuf;
using KerasBackend.Graph;
using Onnx;

namespace KerasBackend.Onnx;

/// <summary>
/// The ONNX models the <c>onnx</c> backend (assembly KerasBackend.OnnxRuntime) runs, written by the exporter's own lowerings:
/// one op call as a model (graph inputs <c>in0</c>, <c>in1</c>... for the present tensor inputs, output <c>out</c>), and a
/// whole <see cref="KFunction"/> with its variables as inputs and its updates as outputs.
/// </summary>
internal static class OnnxRuntimeModels
{
    public const int Opset = 17;

    /// <summary>The lowering of the spec op <paramref name="op"/>, or null when it has none.</summary>
    public static OnnxLowering? Lowering(string op) => OnnxLoweringTable.Get(op);

    /// <summary>
    /// One op call (a kernel's checked arguments: tensor inputs and non-tensor arguments in spec order) as an ONNX model:
    /// the inputs become graph inputs of their shapes and dtypes (a weak scalar stays weak, so promotion is the facade's),
    /// the op's lowering writes its nodes, the result is the output <c>out</c>.
    /// </summary>
    public static byte[] ForOp(string op, Tensor?[] inputs, object?[] attrs, Tensor output)
    {
        var lowering = OnnxLoweringTable.Get(op)
            ?? throw new OnnxExportException(op, $"the op '{op}' has no ONNX lowering (see `kbackend ops`, column onnx).");
        var w = new OnnxGraphWriter(Opset, new OnnxExportOptions());
        var stand = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is not { } t) continue;
            stand[i] = new Tensor(t.DType, t.Shape, new Node("placeholder", [], [], null), "in" + i) { IsWeak = t.IsWeak };
            w.AddInput(stand[i]!);
        }
        var node = new Node(op, stand, attrs, null);
        var c = new LoweringContext(w, node, output);
        lowering.Lower(c);
        w.AddOutput(output, "out", c.Result);
        return Wrap(w.Graph, op).ToByteArray();
    }

    /// <summary>
    /// <paramref name="f"/> as one model for ONNX Runtime: inputs (the function's placeholders, then its variables by
    /// name), outputs (the function's, then each update's new value), with the learning phase baked in when it is not an input.
    /// </summary>
    public static byte[] ForFunction(KFunction f, int learningPhase, out Dictionary<string, Variable> variableInputs)
    {
        var w = OnnxExport.Writer(f, Opset, new OnnxExportOptions { VariablesAsInputs = true, UpdatesAsOutputs = true, LearningPhase = learningPhase });
        variableInputs = w.VariableInputs.ToDictionary(p => p.Name, p => p.Variable, StringComparer.Ordinal);
        return Wrap(w.Graph, f.Name).ToByteArray();
    }

    /// <summary>The variables <paramref name="f"/>'s updates assign, one per update, in order (the extra outputs of <see cref="ForFunction"/>).</summary>
    public static Variable[] UpdatedVariables(KFunction f) => f.UpdateOperands.Select(u => (Variable)u.Operands[0]!).ToArray();

    /// <summary>The ops of a function's graph (its outputs and updates), for deciding whether it compiles as one model.</summary>
    public static IEnumerable<string> GraphOps(KFunction f) =>
        GraphBuilder.TopologicalOrder(f.Outputs.Concat(f.UpdateOperands.SelectMany(u => u.Operands).OfType<Tensor>())).Select(t => t.Node!.Op);

    internal static ModelProto Wrap(GraphProto graph, string name)
    {
        graph.Name = name;
        var model = new ModelProto { IrVersion = 8, ProducerName = "KerasBackend", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }
}
