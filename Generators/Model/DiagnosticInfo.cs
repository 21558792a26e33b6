using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KerasBackend.Generators.Model;

/// <summary>
/// A diagnostic as plain data (descriptor id, file, span, message arguments), so it can live in the
/// cached model; turned into a <see cref="Diagnostic"/> only when reported.
/// </summary>
internal sealed record DiagnosticInfo(string Id, string File, int Line, int Column, int Offset, int Length, EquatableArray<string> Args)
{
    public Diagnostic ToDiagnostic()
    {
        var descriptor = Diagnostics.DiagnosticDescriptors.ById(Id);
        var start = new LinePosition(System.Math.Max(Line - 1, 0), System.Math.Max(Column - 1, 0));
        var location = File.Length == 0
            ? Location.None
            : Location.Create(File, new TextSpan(Offset, Length), new LinePositionSpan(start, start));
        return Diagnostic.Create(descriptor, location, System.Linq.Enumerable.ToArray<object>(Args));
    }
}

/// <summary>A value plus the diagnostics found while producing it.</summary>
internal sealed record Result<T>(T Value, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A value plus diagnostics of another kind (pending ones, located later).</summary>
internal sealed record Result<T, TDiagnostic>(T Value, EquatableArray<TDiagnostic> Diagnostics) where TDiagnostic : System.IEquatable<TDiagnostic>;
