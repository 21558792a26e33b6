using Microsoft.CodeAnalysis;

namespace KerasBackend.Conformance.Generator;

/// <summary>One test per generator diagnostic: the id, the file and line it points at, and the names in its message.</summary>
public class DiagnosticTests
{
    private const string GoodOp = """
        { "name": "neg", "csharp": "Neg", "category": "math", "origin": "ours", "summary": "Negation.",
          "params": [ { "name": "x", "type": "tensor", "doc": "Input." } ], "result": { "doc": "-x" },
          "dtype": { "rule": "same", "args": ["x"] }, "shape": { "rule": "same", "args": ["x"] } }
        """;

    private static Diagnostic Single(string json, string file = "bad.json", params (string, string)[] more)
    {
        var specs = new List<AdditionalText> { GeneratorHarness.Spec(file, json) };
        specs.AddRange(more.Select(m => GeneratorHarness.Spec(m.Item1, m.Item2)));
        var (result, _, _) = GeneratorHarness.Run(specs);
        return Assert.Single(result.Diagnostics);
    }

    private static string Op(string replace, string with) => "{ \"ops\": [ " + GoodOp.Replace(replace, with) + " ] }";

    [Fact]
    public void KB0001_invalid_json_points_at_the_error()
    {
        var d = Single("{\n  \"ops\": [\n    { \"name\": \"neg\", }\n  ]\n}");
        Assert.Equal("KB0001", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.EndsWith("bad.json", d.Location.GetLineSpan().Path);
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line); // line 3, 0-based
        Assert.Contains("line 3", d.GetMessage());
    }

    [Fact]
    public void KB0001_a_file_without_ops_array()
    {
        Assert.Equal("KB0001", Single("{ \"operations\": [] }").Id);
    }

    [Fact]
    public void KB0002_missing_required_field()
    {
        var d = Single(Op("\"summary\": \"Negation.\",", ""));
        Assert.Equal("KB0002", d.Id);
        Assert.Contains("'neg'", d.GetMessage());
        Assert.Contains("'summary'", d.GetMessage());
    }

    [Fact]
    public void KB0003_invalid_parameter_type()
    {
        var d = Single(Op("\"type\": \"tensor\"", "\"type\": \"matrix\""));
        Assert.Equal("KB0003", d.Id);
        Assert.Contains("params.x.type", d.GetMessage());
    }

    [Fact]
    public void KB0003_wrong_rule_arity()
    {
        var d = Single(Op("\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }", "\"shape\": { \"rule\": \"broadcast\", \"args\": [\"x\"] }"));
        Assert.Equal("KB0003", d.Id);
        Assert.Contains("takes 2 argument(s), got 1", d.GetMessage());
    }

    [Fact]
    public void KB0004_unknown_rule_lists_the_known_ones()
    {
        var d = Single(Op("\"rule\": \"same\", \"args\": [\"x\"] }, \"shape\"", "\"rule\": \"widest\", \"args\": [\"x\"] }, \"shape\""));
        Assert.Equal("KB0004", d.Id);
        Assert.Contains("'widest'", d.GetMessage());
        Assert.Contains("promote", d.GetMessage());
    }

    [Fact]
    public void KB0005_rule_argument_names_no_parameter()
    {
        var d = Single(Op("\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }", "\"shape\": { \"rule\": \"same\", \"args\": [\"z\"] }"));
        Assert.Equal("KB0005", d.Id);
        Assert.Contains("'z'", d.GetMessage());
    }

    [Fact]
    public void KB0006_duplicate_op_across_files()
    {
        var d = Single("{ \"ops\": [ " + GoodOp + " ] }", "a.json", ("b.json", "{ \"ops\": [ " + GoodOp + " ] }"));
        Assert.Equal("KB0006", d.Id);
        Assert.Contains("a.json line 1", d.GetMessage());
        Assert.EndsWith("b.json", d.Location.GetLineSpan().Path);
    }

    [Fact]
    public void KB0007_invalid_names()
    {
        var d = Single(Op("\"csharp\": \"Neg\"", "\"csharp\": \"neg_op\""));
        Assert.Equal("KB0007", d.Id);
        Assert.Contains("neg_op", d.GetMessage());
    }

    [Fact]
    public void KB0008_differentiable_op_without_gradient_method()
    {
        const string gradients = "namespace KerasBackend.Autodiff { internal static partial class Gradients { public static object?[] Other(object g) => []; } }";
        var (result, _, _) = GeneratorHarness.Run([GeneratorHarness.Spec("bad.json", Op("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"differentiable\": true,"))], [gradients]);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("KB0008", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith("differentiable op 'neg' has no gradient method Gradients.Neg: add 'public static Tensor?[] Neg(GradContext g)'", d.GetMessage());
        Assert.EndsWith("bad.json", d.Location.GetLineSpan().Path);
    }

    [Fact]
    public void KB0100_backend_missing_kernels_lists_all_of_them()
    {
        const string attribute = """
            namespace KerasBackend { public sealed class BackendImplementationAttribute : System.Attribute { public BackendImplementationAttribute(string name) { } } }
            """;
        const string backend = """
            [KerasBackend.BackendImplementation("mine")]
            public sealed class MyBackend { public void ScaleAdd() { } }
            """;
        var fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Generator", "Fixtures", "fixture.json"));
        var (result, _, _) = GeneratorHarness.Run([GeneratorHarness.Spec("fixture.json", fixture)], [attribute, backend]);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("KB0100", d.Id);
        Assert.Contains("'MyBackend' lacks 1 kernel(s)", d.GetMessage());
        Assert.Contains("Total", d.GetMessage());
        Assert.DoesNotContain("MakeThing", d.GetMessage()); // composites need no kernel
    }

    [Fact]
    public void An_unknown_id_has_no_descriptor()
    {
        var byId = typeof(KerasBackend.Generators.SpecGenerator).Assembly
            .GetType("KerasBackend.Generators.Diagnostics.DiagnosticDescriptors")!.GetMethod("ById")!;
        var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => byId.Invoke(null, ["KB9999"]));
        Assert.IsType<ArgumentException>(e.InnerException);
        Assert.Equal("KB0100", ((DiagnosticDescriptor)byId.Invoke(null, ["KB0100"])!).Id);
    }

    [Fact]
    public void Every_descriptor_has_a_help_link_and_a_page()
    {
        foreach (var d in Descriptors())
        {
            Assert.Equal($"docs/diagnostics/{d.Id}.md", d.HelpLinkUri);
            var page = Path.Combine(GeneratorHarness.RepoRoot, "docs", "diagnostics", d.Id + ".md");
            Assert.True(File.Exists(page), $"{d.Id} has no page {page}");
            Assert.StartsWith($"# {d.Id}", File.ReadAllText(page));
        }
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() => typeof(KerasBackend.Generators.SpecGenerator).Assembly
        .GetType("KerasBackend.Generators.Diagnostics.DiagnosticDescriptors")!
        .GetFields().Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    [Fact]
    public void Every_descriptor_has_a_test()
    {
        var ids = typeof(KerasBackend.Generators.SpecGenerator).Assembly
            .GetType("KerasBackend.Generators.Diagnostics.DiagnosticDescriptors")!
            .GetFields().Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id).ToHashSet();
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name.Split('_')[0]).Where(n => n.StartsWith("KB")).ToHashSet();
        Assert.Empty(ids.Except(tested));
    }
}
