using System.Linq;
using KerasBackend.Generators.Model;
using Microsoft.CodeAnalysis;

namespace KerasBackend.Generators.Emit;

/// <summary>
/// Emits <c>GradientTable.g.cs</c>: for every op marked <c>"differentiable": true</c>, an entry binding its
/// Keras name to <c>KerasBackend.Autodiff.Gradients.&lt;CSharp&gt;</c> (a differentiable op without that method,
/// or with another signature, is KB0008 / KB0011 from <c>SpecBinder</c>). Nothing is emitted in a compilation without the gradient class (an external
/// backend project, a generator fixture).
/// </summary>
internal static class GradientEmitter
{
    public const string GradientsMetadataName = "KerasBackend.Autodiff.Gradients";

    /// <summary>The gradient methods of the compilation (<see cref="MethodNames"/>).</summary>
    public static MethodNames Describe(Compilation compilation, System.Threading.CancellationToken ct) =>
        MethodNames.Of(compilation, GradientsMetadataName, ownAssemblyOnly: false, HasGradientSignature, ct);

    /// <summary>A gradient method: one <c>GradContext</c> parameter, an array of tensors back (what <c>GradientFunction</c> takes).</summary>
    public static bool HasGradientSignature(IMethodSymbol m) =>
        m.Parameters.Length == 1 && m.Parameters[0].Type.ToDisplayString() == "KerasBackend.Autodiff.GradContext"
        && m.ReturnType is IArrayTypeSymbol { ElementType.Name: "Tensor" };

    public static string Emit(EquatableArray<OpModel> ops, MethodNames methods)
    {
        var bound = ops.Where(o => o.Differentiable && methods.Names.Contains(o.CSharpName))
            .OrderBy(o => o.Name, System.StringComparer.Ordinal).ToList();
        var w = SourceWriter.File();
        w.Line("namespace KerasBackend.Autodiff;");
        w.Line();
        w.Line("/// <summary>Gradient of each differentiable op of the spec, by Keras name (declared next to the op in Gradients.&lt;Family&gt;.cs).</summary>");
        w.Open("internal static partial class GradientTable");
        w.Line(SourceWriter.GeneratedCode);
        w.Line("private static readonly global::System.Collections.Generic.Dictionary<string, global::KerasBackend.Autodiff.GradientFunction> s_spec =");
        w.Line("    new global::System.Collections.Generic.Dictionary<string, global::KerasBackend.Autodiff.GradientFunction>(global::System.StringComparer.Ordinal)");
        w.Line("{");
        foreach (var op in bound)
            w.Line($"    [{TypeMap.Literal(op.Name)}] = global::KerasBackend.Autodiff.Gradients.{op.CSharpName},");
        w.Line("};");
        w.Close();
        return w.ToString();
    }
}
