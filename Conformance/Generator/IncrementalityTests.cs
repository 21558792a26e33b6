using KerasBackend.Generators.Model;
using KerasBackend.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KerasBackend.Conformance.Generator;

/// <summary>The pipeline's models are equatable, so unchanged specs are served from the cache.</summary>
public class IncrementalityTests
{
    private static readonly string Fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Generator", "Fixtures", "fixture.json"));

    [Fact]
    public void Parsing_the_same_text_twice_gives_equal_models()
    {
        var a = SpecParser.Parse("/repo/Spec/ops/fixture.json", Fixture);
        var b = SpecParser.Parse("/repo/Spec/ops/fixture.json", Fixture);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(3, a.Value.Ops.Count);
    }

    [Fact]
    public void An_unrelated_source_edit_reuses_every_cached_step()
    {
        var compilation = GeneratorHarness.Compilation(["class A { }"]);
        var driver = GeneratorHarness.Driver([GeneratorHarness.Spec("fixture.json", Fixture)]).RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }", new CSharpParseOptions(LanguageVersion.Preview)));
        var result = driver.RunGenerators(edited).GetRunResult().Results[0];

        foreach (var step in new[] { "ParseSpec", "MergeSpec", "Ops", "Op" })
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} not tracked");
            foreach (var run in result.TrackedSteps[step])
                foreach (var output in run.Outputs)
                    Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {step} re-ran ({output.Reason}) although no spec changed");
        }
    }

    [Fact]
    public void An_unrelated_source_edit_with_the_runtime_rebinds_but_regenerates_nothing()
    {
        // Against the runtime the ops are bound to the compilation (rules, checks, methods) on every edit; the bound ops
        // compare equal, so nothing downstream runs again.
        const string things = "namespace KerasBackend { internal static class Things { public static Tensor Make(object value, DType? dtype) => K.Zeros([1]); } }";
        const string gradients = "namespace KerasBackend.Autodiff { internal static partial class Gradients { public static Tensor?[] ScaleAdd(GradContext g) => []; } }";
        var compilation = GeneratorHarness.Compilation(["class A { }", things, gradients], GeneratorHarness.WithRuntime);
        var driver = GeneratorHarness.Driver([GeneratorHarness.Spec("fixture.json", Fixture)]).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }", new CSharpParseOptions(LanguageVersion.Preview)));
        var result = driver.RunGenerators(edited).GetRunResult().Results[0];
        Assert.Contains(result.TrackedSteps["Bind"].SelectMany(r => r.Outputs), o => o.Reason is IncrementalStepRunReason.Unchanged);
        foreach (var step in new[] { "Ops", "Op" })
            foreach (var output in result.TrackedSteps[step].SelectMany(r => r.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} re-ran ({output.Reason})");
        foreach (var (name, runs) in result.TrackedOutputSteps)
            foreach (var output in runs.SelectMany(r => r.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step {name} re-ran ({output.Reason})");
    }

    [Fact]
    public void Editing_one_op_regenerates_only_that_op()
    {
        var compilation = GeneratorHarness.Compilation([]);
        var spec = GeneratorHarness.Spec("fixture.json", Fixture);
        var driver = GeneratorHarness.Driver([spec]).RunGenerators(compilation);
        var changed = new InMemoryText(spec.Path, Fixture.Replace("Sum over axes.", "Sum over the given axes."));
        driver = driver.ReplaceAdditionalText(spec, changed).RunGenerators(compilation);
        var ops = driver.GetRunResult().Results[0].TrackedSteps["Op"];
        var reasons = ops.SelectMany(r => r.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(2, reasons.Count(r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached));
    }

    [Fact]
    public void Inserting_lines_above_an_op_regenerates_nothing()
    {
        var compilation = GeneratorHarness.Compilation([]);
        var spec = GeneratorHarness.Spec("fixture.json", Fixture);
        var driver = GeneratorHarness.Driver([spec]).RunGenerators(compilation);
        // Blank lines above the first op and inside the file: every op moves, none changes.
        var moved = new InMemoryText(spec.Path, Fixture.Replace("\"ops\": [", "\"ops\": [\n\n\n").Replace("    {\n      \"name\": \"total\"", "\n\n    {\n      \"name\": \"total\""));
        Assert.NotEqual(Fixture, moved.GetText()!.ToString());
        driver = driver.ReplaceAdditionalText(spec, moved).RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];

        // The parse step sees the new text (its positions changed), but the ops compare equal without them.
        Assert.Contains(result.TrackedSteps["ParseSpec"].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedSteps["Positions"].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        foreach (var step in new[] { "Ops", "Op" })
            foreach (var output in result.TrackedSteps[step].SelectMany(r => r.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} re-ran ({output.Reason})");
        // No output step (sources or diagnostics) runs again.
        Assert.NotEmpty(result.TrackedOutputSteps);
        foreach (var (name, runs) in result.TrackedOutputSteps)
            foreach (var output in runs.SelectMany(r => r.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step {name} re-ran ({output.Reason})");
    }

    [Fact]
    public void Diagnostics_found_after_parsing_follow_moved_lines()
    {
        const string gradients = "namespace KerasBackend.Autodiff { internal static partial class Gradients { public static object?[] Other(object g) => []; } }";
        var compilation = GeneratorHarness.Compilation([gradients], GeneratorHarness.WithRuntime);
        var spec = GeneratorHarness.Spec("fixture.json", Fixture);
        var driver = GeneratorHarness.Driver([spec]).RunGenerators(compilation);
        int Line(GeneratorDriver d) => Assert.Single(d.GetRunResult().Diagnostics, x => x.Id == "KB0008").Location.GetLineSpan().StartLinePosition.Line;
        int before = Line(driver);
        driver = driver.ReplaceAdditionalText(spec, new InMemoryText(spec.Path, "\n\n\n" + Fixture)).RunGenerators(compilation);
        Assert.Equal(before + 3, Line(driver));
    }
}
