using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using KerasBackend.Generators.Emit;
using KerasBackend.Generators.Model;
using KerasBackend.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KerasBackend.Generators;

/// <summary>
/// The pipeline only: spec files (AdditionalFiles under Spec/ops) → parsed models → facade, kernel
/// contract and registry sources; classes marked [BackendImplementation] → a check that they implement
/// every kernel. Parsing lives in <see cref="SpecParser"/>, emitting in Emit/.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static f => f.Path.EndsWith(".json") && IsSpecPath(f.Path))
            .Select(static (f, ct) => SpecParser.Parse(f.Path, f.GetText(ct)?.ToString() ?? "", ct))
            .WithTrackingName("ParseSpec");

        // Diagnostics on their own output, so that a moved line does not regenerate code.
        context.RegisterSourceOutput(files.Select(static (r, _) => r.Diagnostics), static (spc, diags) =>
        {
            foreach (var d in diags) spc.ReportDiagnostic(d.ToDiagnostic());
        });

        var ops = files.Select(static (r, _) => r.Value).Collect()
            .Select(static (all, _) => Merge(all))
            .WithTrackingName("MergeSpec");

        context.RegisterSourceOutput(ops.Select(static (r, _) => r.Diagnostics), static (spc, diags) =>
        {
            foreach (var d in diags) spc.ReportDiagnostic(d.ToDiagnostic());
        });

        var opList = ops.Select(static (r, _) => r.Value).WithTrackingName("Ops");
        context.RegisterSourceOutput(opList.SelectMany(static (a, _) => a).WithTrackingName("Op"), static (spc, op) =>
            spc.AddSource($"K.{op.CSharpName}.g.cs", FacadeEmitter.Emit(op)));
        context.RegisterSourceOutput(opList, static (spc, all) =>
        {
            if (all.Count == 0) return;
            spc.AddSource("IBackend.g.cs", ContractEmitter.Emit(all));
            spc.AddSource("OpRegistry.g.cs", RegistryEmitter.Emit(all));
            spc.AddSource("DelegatingBackend.g.cs", DelegatingBackendEmitter.Emit(all));
        });

        // Gradients: the table binding differentiable ops to KerasBackend.Autodiff.Gradients.<CSharp>, and KB0008.
        var gradientMethods = context.CompilationProvider.Select(static (c, ct) => GradientEmitter.Describe(c, ct)).WithTrackingName("GradientMethods");
        context.RegisterSourceOutput(opList.Combine(gradientMethods), static (spc, pair) =>
        {
            if (!pair.Right.Present || pair.Left.Count == 0) return;
            foreach (var d in GradientEmitter.Check(pair.Left, pair.Right)) spc.ReportDiagnostic(d.ToDiagnostic());
            spc.AddSource("GradientTable.g.cs", GradientEmitter.Emit(pair.Left, pair.Right));
        });

        // Backend completeness: one diagnostic listing every missing kernel.
        var backends = context.SyntaxProvider.ForAttributeWithMetadataName(
                "KerasBackend.BackendImplementationAttribute",
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, _) => BackendCheck.Describe(ctx))
            .WithTrackingName("Backends");
        context.RegisterSourceOutput(backends.Combine(opList), static (spc, pair) =>
        {
            var d = BackendCheck.Check(pair.Left, pair.Right);
            if (d is not null) spc.ReportDiagnostic(d.ToDiagnostic());
        });
    }

    private static bool IsSpecPath(string path)
    {
        var p = path.Replace('\\', '/');
        return p.Contains("/Spec/ops/") || p.Contains("/spec/ops/") || p.StartsWith("Spec/ops/");
    }

    private static Result<EquatableArray<OpModel>> Merge(ImmutableArray<SpecFileModel> files)
    {
        var byName = new Dictionary<string, OpModel>();
        var byCs = new Dictionary<string, OpModel>();
        var diags = new List<DiagnosticInfo>();
        var result = new List<OpModel>();
        foreach (var f in files.OrderBy(f => f.Path, System.StringComparer.Ordinal))
        foreach (var op in f.Ops)
        {
            if (byName.TryGetValue(op.Name, out var prev) || byCs.TryGetValue(op.CSharpName, out prev))
            {
                diags.Add(new DiagnosticInfo("KB0006", op.SpecFile, op.Line, 1, 0, 0,
                    new[] { op.Name, $"{System.IO.Path.GetFileName(prev.SpecFile)} line {prev.Line}" }.ToEquatable()));
                continue;
            }
            byName[op.Name] = op;
            byCs[op.CSharpName] = op;
            result.Add(op);
        }
        return new(result.ToEquatable(), diags.ToEquatable());
    }
}
