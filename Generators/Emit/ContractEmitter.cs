using System.Linq;
using KerasBackend.Generators.Model;

namespace KerasBackend.Generators.Emit;

/// <summary>Emits <c>IBackend.g.cs</c>: one kernel member per kernel op. A kernel fills <c>output</c>, which the facade allocated with the shape and dtype the spec's rules inferred.</summary>
internal static class ContractEmitter
{
    public static string Emit(EquatableArray<OpModel> ops)
    {
        var w = SourceWriter.File();
        w.Line("namespace KerasBackend;");
        w.Line();
        w.Line("/// <summary>The kernels every backend provides, one per op of the spec. Arguments arrive checked and normalized (absolute, sorted axes); the output is allocated.</summary>");
        w.Open("public partial interface IBackend");
        foreach (var op in KernelOps(ops))
        {
            w.Line($"/// <summary>Kernel of <c>{op.Name}</c>: {TypeMap.Xml(op.Summary)}</summary>");
            w.Line(SourceWriter.GeneratedCode);
            w.Line($"void {op.CSharpName}({KernelParams(op)});");
        }
        w.Close();
        w.Line();
        w.Line("/// <summary>Names of every kernel of the contract (used to check external backends).</summary>");
        w.Line(SourceWriter.GeneratedCode);
        w.Open("public static partial class BackendContract");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<string> KernelNames { get; } = new string[]");
        w.Line("{");
        foreach (var op in KernelOps(ops))
            w.Line($"    \"{op.CSharpName}\",");
        w.Line("};");
        w.Close();
        return w.ToString();
    }

    /// <summary>The ops every backend implements (not composites), in a stable order.</summary>
    public static System.Collections.Generic.IEnumerable<OpModel> KernelOps(EquatableArray<OpModel> ops) =>
        ops.Where(o => o.Impl == "kernel").OrderBy(o => o.CSharpName, System.StringComparer.Ordinal);

    public static string KernelParams(OpModel op) => string.Join(", ",
        op.Params.Where(p => TypeMap.Kernel(p) is not null).Select(p => TypeMap.Kernel(p) + " " + p.CSharpName)
            .Concat(new[] { TypeMap.Tensor + " output" }));
}
