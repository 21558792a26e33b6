using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using KerasBackend.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace KerasBackend.Conformance.Generator;

/// <summary>An additional file held in memory (a spec file for the generator).</summary>
internal sealed class InMemoryText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;
    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Runs the spec generator on in-memory specs and sources.</summary>
internal static class GeneratorHarness
{
    /// <summary>The repository root (the folder holding KerasBackend.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "KerasBackend.sln"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("KerasBackend.sln not found above " + AppContext.BaseDirectory);
    }

    public static ImmutableArray<MetadataReference> FrameworkReferences { get; } =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll") && !p.Contains("KerasBackend"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();

    /// <summary>The built runtime (KerasBackend.dll): with it the generator binds rules, checks, composites and gradients.</summary>
    public static MetadataReference RuntimeReference { get; } = MetadataReference.CreateFromFile(typeof(KerasBackend.K).Assembly.Location);

    /// <summary>The framework plus the built runtime.</summary>
    public static ImmutableArray<MetadataReference> WithRuntime { get; } = FrameworkReferences.Add(RuntimeReference);

    public static CSharpCompilation Compilation(IEnumerable<string> sources, IEnumerable<MetadataReference>? refs = null) =>
        CSharpCompilation.Create("Fixture",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Preview), path: $"Source{i}.cs")),
            refs ?? FrameworkReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true)
                // Internal members of references too, so a fixture against the built runtime sees what the runtime's own compilation sees.
                .WithMetadataImportOptions(MetadataImportOptions.All));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> specs) =>
        CSharpGeneratorDriver.Create(
            [new SpecGenerator().AsSourceGenerator()],
            additionalTexts: specs,
            parseOptions: new CSharpParseOptions(LanguageVersion.Preview),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and returns its result and the compilation with the generated sources added.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> CompileDiagnostics) Run(
        IEnumerable<AdditionalText> specs, IEnumerable<string>? sources = null, IEnumerable<MetadataReference>? refs = null)
    {
        var compilation = Compilation(sources ?? [], refs);
        var driver = Driver(specs).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diags);
        return (driver.GetRunResult(), output, diags);
    }

    public static AdditionalText Spec(string fileName, string json) => new InMemoryText($"/repo/Spec/ops/{fileName}", json);
}
