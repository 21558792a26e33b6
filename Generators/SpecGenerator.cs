using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using KerasBackend.Generators.Binding;
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

        // Parse diagnostics on their own output, so that a moved line does not regenerate code.
        context.RegisterSourceOutput(files.Select(static (r, _) => r.Diagnostics), static (spc, diags) =>
        {
            foreach (var d in diags) spc.ReportDiagnostic(d.ToDiagnostic());
        });

        // Where every op is written: the only input that changes when lines move (ops compare without positions).
        var positions = files.Select(static (r, _) => r.Value.Positions).Collect()
            .Select(static (all, _) => all.SelectMany(p => p).ToEquatable())
            .WithTrackingName("Positions");

        var ops = files.Select(static (r, _) => r.Value).Collect()
            .Select(static (all, _) => Merge(all))
            .WithTrackingName("MergeSpec");

        // Every call the generated code makes (rules, checks, composite and gradient methods) bound to the compilation
        // first: an op that would not compile is a diagnostic on its spec line and is left out.
        var bound = ops.Select(static (r, _) => r.Value).Combine(context.CompilationProvider)
            .Select(static (pair, ct) => SpecBinder.Bind(pair.Left, pair.Right, ct))
            .WithTrackingName("Bind");
        var opList = bound.Select(static (b, _) => b.Ops).WithTrackingName("Ops");
        context.RegisterSourceOutput(opList.SelectMany(static (a, _) => a).WithTrackingName("Op"), static (spc, op) =>
            spc.AddSource($"K.{op.CSharpName}.g.cs", FacadeEmitter.Emit(op)));
        context.RegisterSourceOutput(opList, static (spc, all) =>
        {
            if (all.Count == 0) return;
            spc.AddSource("IBackend.g.cs", ContractEmitter.Emit(all));
            spc.AddSource("OpRegistry.g.cs", RegistryEmitter.Emit(all));
            spc.AddSource("DelegatingBackend.g.cs", DelegatingBackendEmitter.Emit(all));
            spc.AddSource("OpCallBackend.g.cs", OpCallBackendEmitter.Emit(all));
        });

        // Gradients: the table binding differentiable ops to KerasBackend.Autodiff.Gradients.<CSharp>.
        var gradientMethods = context.CompilationProvider.Select(static (c, ct) => GradientEmitter.Describe(c, ct)).WithTrackingName("GradientMethods");
        var withGradients = opList.Combine(gradientMethods);
        context.RegisterSourceOutput(withGradients, static (spc, pair) =>
        {
            if (!pair.Right.Present || pair.Left.Count == 0) return;
            spc.AddSource("GradientTable.g.cs", GradientEmitter.Emit(pair.Left, pair.Right));
        });

        // ONNX lowerings: the table from the spec's onnx fields, bound to KerasBackend.Onnx.Lowerings.<CSharp> for subgraphs.
        var loweringMethods = context.CompilationProvider.Select(static (c, ct) => OnnxEmitter.Describe(c, ct)).WithTrackingName("LoweringMethods");
        var withLowerings = opList.Combine(loweringMethods);
        context.RegisterSourceOutput(withLowerings, static (spc, pair) =>
        {
            if (!pair.Right.Present || pair.Left.Count == 0) return;
            spc.AddSource("OnnxLoweringTable.g.cs", OnnxEmitter.Emit(pair.Left, pair.Right));
        });
        var loweringDiagnostics = withLowerings.Select(static (pair, _) => OnnxEmitter.Diagnose(pair.Left, pair.Right));

        // Diagnostics about ops found after parsing, located against the current positions (cheap; emits no source).
        var pending = ops.Select(static (r, _) => r.Diagnostics)
            .Combine(bound.Select(static (b, _) => b.Diagnostics))
            .Select(static (pair, _) => pair.Left.Concat(pair.Right).ToEquatable())
            .Combine(loweringDiagnostics)
            .Select(static (pair, _) => pair.Left.Concat(pair.Right).ToEquatable());
        var located = pending.Combine(positions).Select(static (pair, _) => Locate(pair.Left, pair.Right)).WithTrackingName("LocateDiagnostics");
        context.RegisterSourceOutput(located, static (spc, diags) =>
        {
            foreach (var d in diags) spc.ReportDiagnostic(d.ToDiagnostic());
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

    private static Result<EquatableArray<OpModel>, PendingDiagnostic> Merge(ImmutableArray<SpecFileModel> files)
    {
        var byName = new Dictionary<string, OpRef>();
        var byCs = new Dictionary<string, OpRef>();
        var diags = new List<PendingDiagnostic>();
        var result = new List<OpModel>();
        foreach (var f in files.OrderBy(f => f.Path, System.StringComparer.Ordinal))
        {
            var seen = new Dictionary<string, int>();
            foreach (var op in f.Ops)
            {
                seen.TryGetValue(op.Name, out int k);
                seen[op.Name] = k + 1;
                var self = new OpRef(op.SpecFile, op.Name, k);
                if (byName.TryGetValue(op.Name, out var prev) || byCs.TryGetValue(op.CSharpName, out prev))
                {
                    diags.Add(new PendingDiagnostic("KB0006", self, "name", new[] { op.Name, prev.SpecFile }.ToEquatable(), prev));
                    continue;
                }
                byName[op.Name] = self;
                byCs[op.CSharpName] = self;
                result.Add(op);
            }
        }
        return new(result.ToEquatable(), diags.ToEquatable());
    }

    /// <summary>Turns pending diagnostics into located ones with the ops' current positions.</summary>
    internal static EquatableArray<DiagnosticInfo> Locate(EquatableArray<PendingDiagnostic> pending, EquatableArray<OpPositions> positions)
    {
        if (pending.Count == 0) return EquatableArray<DiagnosticInfo>.Empty;
        var table = new Dictionary<OpRef, OpPositions>();
        foreach (var p in positions) table[new OpRef(p.SpecFile, p.Op, p.Occurrence)] = p;
        SpecLocation? Find(OpRef op, string anchor)
        {
            if (!table.TryGetValue(op, out var p)) return null;
            foreach (var a in p.Anchors) if (a.Key == anchor) return a.Location;
            foreach (var a in p.Anchors) if (a.Key == "op") return a.Location;
            return null;
        }
        var result = new List<DiagnosticInfo>();
        foreach (var d in pending)
        {
            var args = d.Args.ToArray();
            if (d.Related is { } rel && args.Length > 0 && Find(rel, "op") is { } other)
                args[args.Length - 1] += " line " + other.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var at = Find(d.Op, d.Anchor);
            result.Add(at is null
                ? new DiagnosticInfo(d.Id, "", 0, 0, 0, 0, args.ToEquatable())
                : new DiagnosticInfo(d.Id, at.File, at.Line, at.Column, at.Offset, at.Length, args.ToEquatable()));
        }
        return result.ToEquatable();
    }
}
