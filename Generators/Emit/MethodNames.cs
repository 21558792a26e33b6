using System;
using System.Linq;
using System.Threading;
using KerasBackend.Generators.Model;
using Microsoft.CodeAnalysis;

namespace KerasBackend.Generators.Emit;

/// <summary>
/// What a generated table needs from the compilation about the hand-written class it binds (the gradient methods, the ONNX
/// lowering methods), as plain data: whether the class is there, and the sorted names of its static methods of the table's
/// signature. Reducing the compilation to these names keeps the step cached across unrelated edits. Part of the pipeline's
/// cache key: keep it immutable and equatable.
/// </summary>
internal sealed record MethodNames(bool Present, EquatableArray<string> Names)
{
    public static readonly MethodNames None = new(false, EquatableArray<string>.Empty);

    /// <summary>
    /// The methods of <paramref name="metadataName"/> that <paramref name="signature"/> accepts; <see cref="None"/> without the
    /// class, or when <paramref name="ownAssemblyOnly"/> and the class comes from a referenced assembly.
    /// </summary>
    public static MethodNames Of(Compilation compilation, string metadataName, bool ownAssemblyOnly, Func<IMethodSymbol, bool> signature, CancellationToken ct)
    {
        var type = compilation.GetTypeByMetadataName(metadataName);
        if (type is null || (ownAssemblyOnly && !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly)))
            return None;
        ct.ThrowIfCancellationRequested();
        var names = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.IsStatic && m.MethodKind == MethodKind.Ordinary && signature(m))
            .Select(m => m.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal);
        return new MethodNames(true, names.ToEquatable());
    }
}
