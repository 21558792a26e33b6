using System.Collections.Generic;
using System.Linq;
using KerasBackend.Generators.Model;
using Microsoft.CodeAnalysis;

namespace KerasBackend.Generators.Emit;

/// <summary>
/// Emits <c>OnnxLoweringTable.g.cs</c> from the spec's <c>onnx</c> fields (Spec/README.md, "ONNX lowering"): per op,
/// one ONNX node with its attribute mapping, a subgraph method <c>KerasBackend.Onnx.Lowerings.&lt;CSharp&gt;</c>, or
/// "composite" (lowers through its definition); and the list of ops without a lowering. Reports KB0015 for each op
/// without one and KB0016 for a "subgraph" lowering whose method is missing: errors, so that no op lands without saying
/// how it lowers (the table still lists such ops, so that export names them).
/// </summary>
internal static class OnnxEmitter
{
    public const string LoweringsMetadataName = "KerasBackend.Onnx.Lowerings";
    public const string ContextType = "KerasBackend.Onnx.LoweringContext";

    /// <summary>
    /// The lowering methods of the compilation (<see cref="MethodNames"/>): only a compilation that declares the lowering
    /// class itself (KerasBackend) gets the table and the lowering diagnostics, not an external backend project or a
    /// generator fixture.
    /// </summary>
    public static MethodNames Describe(Compilation compilation, System.Threading.CancellationToken ct) =>
        MethodNames.Of(compilation, LoweringsMetadataName, ownAssemblyOnly: true,
            m => m.ReturnsVoid && m.Parameters.Length == 1 && m.Parameters[0].Type.ToDisplayString() == ContextType, ct);

    /// <summary>KB0015 for each op without a lowering, KB0016 for each subgraph lowering without its method.</summary>
    public static EquatableArray<PendingDiagnostic> Diagnose(EquatableArray<OpModel> ops, MethodNames methods)
    {
        if (!methods.Present) return EquatableArray<PendingDiagnostic>.Empty;
        var result = new List<PendingDiagnostic>();
        foreach (var op in ops)
        {
            var self = new OpRef(op.SpecFile, op.Name, 0);
            if (op.Onnx is null)
                result.Add(new PendingDiagnostic("KB0015", self, "op", new[] { op.Name }.ToEquatable()));
            else if (op.Onnx.Kind == "subgraph" && !methods.Names.Contains(op.CSharpName))
                result.Add(new PendingDiagnostic("KB0016", self, "onnx", new[] { op.Name, op.CSharpName }.ToEquatable()));
        }
        return result.ToEquatable();
    }

    private static bool Lowered(OpModel op, MethodNames methods) =>
        op.Onnx is not null && (op.Onnx.Kind != "subgraph" || methods.Names.Contains(op.CSharpName));

    public static string Emit(EquatableArray<OpModel> ops, MethodNames methods)
    {
        var sorted = ops.OrderBy(o => o.Name, System.StringComparer.Ordinal).ToList();
        var w = SourceWriter.File();
        w.Line("namespace KerasBackend.Onnx;");
        w.Line();
        w.Line("/// <summary>How each op of the spec lowers to ONNX (the spec's <c>onnx</c> fields), by Keras name.</summary>");
        w.Open("internal static partial class OnnxLoweringTable");
        w.Line(SourceWriter.GeneratedCode);
        w.Line("private static readonly global::System.Collections.Generic.Dictionary<string, global::KerasBackend.Onnx.OnnxLowering> s_spec =");
        w.Line("    new global::System.Collections.Generic.Dictionary<string, global::KerasBackend.Onnx.OnnxLowering>(global::System.StringComparer.Ordinal)");
        w.Line("{");
        foreach (var op in sorted.Where(o => Lowered(o, methods)))
        {
            var l = op.Onnx!;
            var inexact = l.Inexact is null ? "null" : TypeMap.Literal(l.Inexact);
            string entry = l.Kind switch
            {
                "composite" => "global::KerasBackend.Onnx.OnnxLowering.Composite(" + TypeMap.Literal(op.Name) + ")",
                "subgraph" => $"global::KerasBackend.Onnx.OnnxLowering.Subgraph({TypeMap.Literal(op.Name)}, global::KerasBackend.Onnx.Lowerings.{op.CSharpName}, {inexact})",
                _ => $"global::KerasBackend.Onnx.OnnxLowering.Node({TypeMap.Literal(op.Name)}, {TypeMap.Literal(l.OnnxOp!)}, {TypeMap.Literal(l.Inputs)}, new global::KerasBackend.Onnx.OnnxAttrMap[] {{ {string.Join(", ", l.Attrs.Select(a => Attr(op, a)))} }}, {inexact})",
            };
            w.Line($"    [{TypeMap.Literal(op.Name)}] = {entry},");
        }
        w.Line("};");
        w.Line();
        w.Line("/// <summary>Ops of the spec without an ONNX lowering (KB0015, KB0016).</summary>");
        w.Line(SourceWriter.GeneratedCode);
        w.Line("private static readonly string[] s_missing = new string[] { " + string.Join(", ", sorted.Where(o => !Lowered(o, methods)).Select(o => TypeMap.Literal(o.Name))) + " };");
        w.Close();
        return w.ToString();
    }

    /// <summary>One attribute: a literal, or the op's parameter by its index among the node's attributes (the non-tensor parameters, in spec order).</summary>
    private static string Attr(OpModel op, OnnxAttrSpec a)
    {
        if (a.Param is null)
        {
            bool integer = a.Literal!.All(ch => char.IsDigit(ch) || ch == '-');
            return $"global::KerasBackend.Onnx.OnnxAttrMap.Literal({TypeMap.Literal(a.Name)}, {(integer ? a.Literal + "L" : a.Literal + "d")})";
        }
        var attrs = op.Params.Where(p => !TypeMap.IsTensorLike(p)).ToList();
        var param = attrs.First(p => p.Name == a.Param);
        var tensors = op.Params.Where(TypeMap.IsTensorLike).ToList();
        int of = System.Math.Max(0, tensors.FindIndex(t => t.Name == (param.Of ?? "x")));
        return $"global::KerasBackend.Onnx.OnnxAttrMap.FromParam({TypeMap.Literal(a.Name)}, {attrs.IndexOf(param)}, {TypeMap.Literal(param.Type)}, {of})";
    }
}
