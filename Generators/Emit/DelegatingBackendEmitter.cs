using System.Linq;
using KerasBackend.Generators.Model;

namespace KerasBackend.Generators.Emit;

/// <summary>
/// Emits <c>DelegatingBackend.g.cs</c>: an abstract backend that forwards every kernel of the contract to an inner
/// backend after calling a hook, so that wrappers (call counters, tracers, external backends that override a few
/// kernels) keep compiling as ops are added to the spec.
/// </summary>
internal static class DelegatingBackendEmitter
{
    public static string Emit(EquatableArray<OpModel> ops)
    {
        var w = SourceWriter.File();
        w.Line("namespace KerasBackend;");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// A backend that forwards every kernel to <see cref=\"Inner\"/>, calling <see cref=\"OnKernel\"/> first with the op's Keras name.");
        w.Line("/// Derive from it to wrap a backend (count or trace calls) or to replace a few kernels (override them); kernels added");
        w.Line("/// to the spec later are forwarded automatically.");
        w.Line("/// </summary>");
        w.Line(SourceWriter.GeneratedCode);
        w.Open("public abstract class DelegatingBackend : global::KerasBackend.IBackend");
        w.Line("/// <summary>Wraps <paramref name=\"inner\"/>.</summary>");
        w.Open("protected DelegatingBackend(global::KerasBackend.IBackend inner)");
        w.Line("Inner = inner ?? throw new global::System.ArgumentNullException(nameof(inner));");
        w.Close();
        w.Line();
        w.Line("/// <summary>The backend every kernel is forwarded to.</summary>");
        w.Line("protected global::KerasBackend.IBackend Inner { get; }");
        w.Line();
        w.Line("/// <summary>The name this backend is chosen by; the inner backend's name unless overridden.</summary>");
        w.Line("public virtual string Name => Inner.Name;");
        w.Line();
        w.Line("/// <summary>Called before each kernel is forwarded, with the op's Keras name (<c>add</c>, <c>batch_dot</c>, ...).</summary>");
        w.Line("protected virtual void OnKernel(string name) { }");
        foreach (var op in ContractEmitter.KernelOps(ops))
        {
            var args = string.Join(", ", op.Params.Where(p => TypeMap.Kernel(p) is not null).Select(p => p.CSharpName).Concat(new[] { "output" }));
            w.Line();
            w.Line($"/// <summary>Forwards <c>{op.Name}</c> to <see cref=\"Inner\"/>.</summary>");
            w.Open($"public virtual void {op.CSharpName}({ContractEmitter.KernelParams(op)})");
            w.Line($"OnKernel({TypeMap.Literal(op.Name)});");
            w.Line($"Inner.{op.CSharpName}({args});");
            w.Close();
        }
        w.Close();
        return w.ToString();
    }
}
