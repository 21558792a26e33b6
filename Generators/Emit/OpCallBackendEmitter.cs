using System.Linq;
using KerasBackend.Generators.Model;

namespace KerasBackend.Generators.Emit;

/// <summary>
/// Emits <c>OpCallBackend.g.cs</c>: an abstract backend that receives every kernel of the contract as one call by name
/// — the op's Keras name, its tensor inputs and its non-tensor arguments in spec order, as a graph node holds them —
/// so that a backend which runs ops through a graph engine (the <c>onnx</c> backend) lowers each call through the same
/// node lowerings as the exporter, and keeps compiling as ops are added to the spec.
/// </summary>
internal static class OpCallBackendEmitter
{
    public static string Emit(EquatableArray<OpModel> ops)
    {
        var w = SourceWriter.File();
        w.Line("namespace KerasBackend;");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// A backend that receives every kernel as one call of <see cref=\"RunOp\"/>: the op's Keras name, its tensor inputs in spec");
        w.Line("/// order (an absent optional tensor is null, a list contributes its elements) and its non-tensor arguments in spec order, as");
        w.Line("/// a graph node records them (axes arrive absolute; a <c>shape</c> or <c>dtype</c> argument, which kernels do not receive,");
        w.Line("/// is read from the output). Kernels added to the spec later arrive here automatically.");
        w.Line("/// </summary>");
        w.Line(SourceWriter.GeneratedCode);
        w.Open("public abstract class OpCallBackend : global::KerasBackend.IBackend");
        w.Line("/// <summary>The name this backend is chosen by.</summary>");
        w.Line("public abstract string Name { get; }");
        w.Line();
        w.Line("/// <summary>Runs the op <paramref name=\"op\"/> on checked arguments and fills <paramref name=\"output\"/> (already allocated with the inferred shape and dtype).</summary>");
        w.Line("protected abstract void RunOp(string op, global::KerasBackend.Tensor?[] inputs, object?[] attrs, global::KerasBackend.Tensor output);");
        foreach (var op in ContractEmitter.KernelOps(ops))
        {
            var output = ContractEmitter.OutputName(op);
            var tensors = op.Params.Where(TypeMap.IsTensorLike).ToList();
            string inputs = tensors.Count == 0 ? "global::System.Array.Empty<global::KerasBackend.Tensor?>()"
                : tensors.Count == 1 && tensors[0].Type == "tensors" ? $"global::System.Linq.Enumerable.ToArray({tensors[0].CSharpName})"
                : "new global::KerasBackend.Tensor?[] { " + string.Join(", ", tensors.Select(p => p.CSharpName)) + " }";
            var attrs = op.Params.Where(p => !TypeMap.IsTensorLike(p)).Select(p => TypeMap.Kernel(p) is not null ? p.CSharpName
                : p.Type == "shape" ? $"{output}.Shape.Dims.ToArray()"
                : p.Type == "dtype" ? $"(global::KerasBackend.DType?){output}.DType"
                : "null").ToList();
            var attrArray = attrs.Count == 0 ? "global::System.Array.Empty<object?>()" : "new object?[] { " + string.Join(", ", attrs) + " }";
            w.Line();
            w.Line($"/// <summary>Runs <c>{op.Name}</c> through <see cref=\"RunOp\"/>.</summary>");
            w.Line($"public void {op.CSharpName}({ContractEmitter.KernelParams(op)}) =>");
            w.Line($"    RunOp({TypeMap.Literal(op.Name)}, {inputs}, {attrArray}, {output});");
        }
        w.Close();
        return w.ToString();
    }
}
