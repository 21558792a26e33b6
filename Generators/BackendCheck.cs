using System.Collections.Generic;
using System.Linq;
using KerasBackend.Generators.Model;
using Microsoft.CodeAnalysis;

namespace KerasBackend.Generators;

/// <summary>What the generator needs to know about a class marked [BackendImplementation], as plain data.</summary>
internal sealed record BackendInfo(string Name, string File, int Line, int Column, int Offset, int Length,
    EquatableArray<string> Methods, EquatableArray<string> ReferencedKernels);

/// <summary>Checks that a backend class implements every kernel, listing all that are missing in one diagnostic.</summary>
internal static class BackendCheck
{
    public static BackendInfo Describe(GeneratorAttributeSyntaxContext ctx)
    {
        var type = (INamedTypeSymbol)ctx.TargetSymbol;
        var methods = new HashSet<string>();
        for (var t = type; t is not null; t = t.BaseType)
            foreach (var m in t.GetMembers().OfType<IMethodSymbol>())
                methods.Add(m.Name.Contains(".") ? m.Name.Substring(m.Name.LastIndexOf('.') + 1) : m.Name);

        // When the spec is not part of this compilation (an external backend project), the contract comes
        // from the referenced KerasBackend assembly instead.
        var contract = ctx.SemanticModel.Compilation.GetTypeByMetadataName("KerasBackend.IBackend");
        var referenced = contract is null || contract.Locations.Any(l => l.IsInSource)
            ? Enumerable.Empty<string>()
            : contract.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).Select(m => m.Name);

        var loc = ctx.TargetNode.GetLocation();
        var span = loc.GetLineSpan();
        return new BackendInfo(type.Name, span.Path ?? "", span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1,
            loc.SourceSpan.Start, loc.SourceSpan.Length,
            methods.OrderBy(x => x, System.StringComparer.Ordinal).ToEquatable(),
            referenced.Distinct().OrderBy(x => x, System.StringComparer.Ordinal).ToEquatable());
    }

    public static DiagnosticInfo? Check(BackendInfo b, EquatableArray<OpModel> ops)
    {
        IEnumerable<string> required = ops.Count > 0
            ? Emit.ContractEmitter.KernelOps(ops).Select(o => o.CSharpName)
            : b.ReferencedKernels;
        var missing = required.Where(k => !b.Methods.Contains(k)).OrderBy(x => x, System.StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return null;
        return new DiagnosticInfo("KB0100", b.File, b.Line, b.Column, b.Offset, b.Length,
            new[] { b.Name, missing.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", missing) }.ToEquatable());
    }
}
