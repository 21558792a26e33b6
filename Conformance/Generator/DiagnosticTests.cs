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

    /// <summary>The one diagnostic of a run against the built runtime (so rules, checks and composites bind).</summary>
    private static Diagnostic Single(string json, string file = "bad.json", params (string, string)[] more) => SingleWith(json, [], file, more);

    private static Diagnostic SingleWith(string json, string[] sources, string file = "bad.json", params (string, string)[] more)
    {
        var specs = new List<AdditionalText> { GeneratorHarness.Spec(file, json) };
        specs.AddRange(more.Select(m => GeneratorHarness.Spec(m.Item1, m.Item2)));
        var (result, _, _) = GeneratorHarness.Run(specs, sources, GeneratorHarness.WithRuntime);
        return Assert.Single(result.Diagnostics);
    }

    /// <summary>The 0-based line of the first occurrence of <paramref name="text"/> in <paramref name="json"/>.</summary>
    private static int LineOf(string json, string text) => json.Substring(0, json.IndexOf(text, StringComparison.Ordinal)).Count(c => c == '\n');

    /// <summary>GoodOp laid out one field per line, so that a test can tell which line a diagnostic points at.</summary>
    private static string Multiline(string op) => "{ \"ops\": [\n" + op.Replace(", \"", ",\n \"") + "\n] }";

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
    public void KB0003_required_parameter_after_an_optional_one()
    {
        var d = Single(Op("{ \"name\": \"x\", \"type\": \"tensor\", \"doc\": \"Input.\" }",
            "{ \"name\": \"k\", \"type\": \"int\", \"default\": 1, \"doc\": \"K.\" }, { \"name\": \"x\", \"type\": \"tensor\", \"doc\": \"Input.\" }"));
        Assert.Equal("KB0003", d.Id);
        Assert.Contains("the required parameter 'x' follows the optional 'k'", d.GetMessage());
    }

    [Fact]
    public void KB0012_rule_given_the_wrong_number_of_arguments()
    {
        var d = Single(Op("\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }", "\"shape\": { \"rule\": \"broadcast\", \"args\": [\"x\"] }"));
        Assert.Equal("KB0012", d.Id);
        Assert.Contains("the shape rule 'broadcast' cannot take the arguments (Tensor x)", d.GetMessage());
        Assert.Contains("ShapeRules.Broadcast(Tensor x, Tensor y)", d.GetMessage());
    }

    [Fact]
    public void KB0012_rule_argument_of_the_wrong_type()
    {
        var json = Op("\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }", "\"shape\": { \"rule\": \"reduce\", \"args\": [\"x\", 1.5, true] }");
        var d = Single(json);
        Assert.Equal("KB0012", d.Id);
        Assert.Contains("(Tensor x, double 1.5, bool true)", d.GetMessage());
        Assert.Equal(LineOf(json, "\"shape\""), d.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void KB0004_unknown_rule_lists_the_known_ones()
    {
        var d = Single(Op("\"rule\": \"same\", \"args\": [\"x\"] }, \"shape\"", "\"rule\": \"widest\", \"args\": [\"x\"] }, \"shape\""));
        Assert.Equal("KB0004", d.Id);
        Assert.Contains("'widest'", d.GetMessage());
        Assert.Contains("promote", d.GetMessage());
        Assert.Contains("to DTypeRules", d.GetMessage());
    }

    [Fact]
    public void KB0004_unknown_check()
    {
        var d = Single(Op("\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }",
            "\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }, \"errors\": [ { \"check\": \"is_positive\", \"args\": [\"x\"], \"kind\": \"ValueError\", \"param\": \"x\", \"message\": \"{op}: bad\" } ]"));
        Assert.Equal("KB0004", d.Id);
        Assert.Contains("unknown check rule 'is_positive'", d.GetMessage());
        Assert.Contains("axes_valid", d.GetMessage());
    }

    [Fact]
    public void KB0005_rule_argument_names_no_parameter()
    {
        var d = Single(Op("\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }", "\"shape\": { \"rule\": \"same\", \"args\": [\"z\"] }"));
        Assert.Equal("KB0005", d.Id);
        Assert.Contains("'z'", d.GetMessage());
    }

    [Fact]
    public void KB0005_of_names_no_tensor_parameter()
    {
        var d = Single(Op("{ \"name\": \"x\", \"type\": \"tensor\", \"doc\": \"Input.\" }",
            "{ \"name\": \"x\", \"type\": \"tensor\", \"doc\": \"Input.\" }, { \"name\": \"axis\", \"type\": \"axis\", \"default\": -1, \"of\": \"y\", \"doc\": \"Axis.\" }"));
        Assert.Equal("KB0005", d.Id);
        Assert.Contains("'axis.of' refers to 'y'", d.GetMessage());
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
        var json = Multiline(GoodOp.Replace("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"differentiable\": true,"));
        var d = SingleWith(json, [gradients]);
        Assert.Equal("KB0008", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith("differentiable op 'neg' has no gradient method Gradients.Neg: add 'public static Tensor?[] Neg(GradContext g)'", d.GetMessage());
        Assert.EndsWith("bad.json", d.Location.GetLineSpan().Path);
        Assert.Equal(LineOf(json, "\"differentiable\""), d.Location.GetLineSpan().StartLinePosition.Line);
    }

    private static string Composite(string method) => Multiline(GoodOp
        .Replace("\"dtype\": { \"rule\": \"same\", \"args\": [\"x\"] }, \"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }",
            "\"impl\": \"composite\", \"method\": \"" + method + "\""));

    [Fact]
    public void KB0009_composite_method_not_found()
    {
        var json = Composite("Composites.MathOps.Neg");
        var d = Single(json);
        Assert.Equal("KB0009", d.Id);
        Assert.Contains("there is no class KerasBackend.Composites.MathOps", d.GetMessage());
        Assert.Contains("add 'public static Tensor Neg(Tensor x)'", d.GetMessage());
        Assert.Equal(LineOf(json, "\"method\""), d.Location.GetLineSpan().StartLinePosition.Line);

        const string ops = "namespace KerasBackend.Composites { internal static class MathOps { public static KerasBackend.Tensor Other(KerasBackend.Tensor x) => x; } }";
        var d2 = SingleWith(json, [ops]);
        Assert.Equal("KB0009", d2.Id);
        Assert.Contains("KerasBackend.Composites.MathOps has no static method Neg", d2.GetMessage());
    }

    [Fact]
    public void KB0010_composite_method_with_the_wrong_signature()
    {
        const string ops = "namespace KerasBackend.Composites { internal static class MathOps { public static KerasBackend.Tensor Neg(KerasBackend.Tensor x, int k) => x; } }";
        var json = Composite("Composites.MathOps.Neg");
        var d = SingleWith(json, [ops]);
        Assert.Equal("KB0010", d.Id);
        Assert.Contains("found: MathOps.Neg(Tensor x, int k)", d.GetMessage());
        Assert.Contains("declare it as 'public static Tensor Neg(Tensor x)'", d.GetMessage());
        Assert.Equal(LineOf(json, "\"method\""), d.Location.GetLineSpan().StartLinePosition.Line);

        // The right signature binds, and the op is generated.
        const string good = "namespace KerasBackend.Composites { internal static class MathOps { public static KerasBackend.Tensor Neg(KerasBackend.Tensor x) => x; } }";
        var (result, _, _) = GeneratorHarness.Run([GeneratorHarness.Spec("bad.json", json)], [good], GeneratorHarness.WithRuntime);
        Assert.Empty(result.Diagnostics);
        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith("K.Neg.g.cs"));
    }

    [Fact]
    public void KB0011_gradient_method_with_the_wrong_signature()
    {
        const string gradients = "namespace KerasBackend.Autodiff { internal static partial class Gradients { public static object?[] Neg(object g) => []; } }";
        var d = SingleWith(Op("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"differentiable\": true,"), [gradients]);
        Assert.Equal("KB0011", d.Id);
        Assert.Contains("Gradients.Neg(object g)", d.GetMessage());
        Assert.Contains("'public static Tensor?[] Neg(GradContext g)'", d.GetMessage());
    }

    [Fact]
    public void KB0013_message_placeholder_naming_no_parameter()
    {
        var d = Single(Op("\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }",
            "\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }, \"errors\": [ { \"check\": \"float_dtype\", \"args\": [\"x\"], \"kind\": \"TypeError\", \"param\": \"x\", \"message\": \"{op}: floats only. Received: {y.dtype}\" } ]"));
        Assert.Equal("KB0013", d.Id);
        Assert.Contains("{y.dtype}", d.GetMessage());
        Assert.Contains("'y' is not a parameter", d.GetMessage());
    }

    [Fact]
    public void KB0013_unknown_placeholder_property()
    {
        var d = Single(Op("\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }",
            "\"shape\": { \"rule\": \"same\", \"args\": [\"x\"] }, \"errors\": [ { \"check\": \"float_dtype\", \"args\": [\"x\"], \"kind\": \"TypeError\", \"param\": \"x\", \"message\": \"{op}: floats only. Received: {x.rank}\" } ]"));
        Assert.Equal("KB0013", d.Id);
        Assert.Contains("'.rank' is not a placeholder property", d.GetMessage());
    }

    [Fact]
    public void KB0014_unknown_field()
    {
        var json = Multiline(GoodOp.Replace("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"differentiabel\": true,"));
        var d = Single(json);
        Assert.Equal("KB0014", d.Id);
        Assert.Contains("unknown field 'differentiabel' in an op", d.GetMessage());
        Assert.Contains("differentiable", d.GetMessage());
        Assert.Equal(LineOf(json, "\"differentiabel\""), d.Location.GetLineSpan().StartLinePosition.Line);
    }

    /// <summary>A compilation that declares the lowering class, as KerasBackend does (lowering diagnostics are reported only there).</summary>
    private const string LoweringsSource = """
        namespace KerasBackend.Onnx
        {
            public sealed class LoweringContext { }
            internal static partial class Lowerings { public static void Halve(LoweringContext c) { } }
        }
        """;

    private static Diagnostic SingleLowering(string json)
    {
        var (result, _, _) = GeneratorHarness.Run([GeneratorHarness.Spec("bad.json", json)], [LoweringsSource]);
        return Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void KB0015_op_without_onnx_lowering_is_an_error_naming_it()
    {
        var json = Multiline(GoodOp);
        var d = SingleLowering(json);
        Assert.Equal("KB0015", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("Op 'neg' has no ONNX lowering", d.GetMessage());
        Assert.Equal(LineOf(json, "\"name\""), d.Location.GetLineSpan().StartLinePosition.Line);
        // With a lowering: nothing to report, and the table has the entry.
        var fixedJson = Op("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"onnx\": { \"op\": \"Neg\" },");
        var (result, _, _) = GeneratorHarness.Run([GeneratorHarness.Spec("ok.json", fixedJson)], [LoweringsSource]);
        Assert.Empty(result.Diagnostics);
        var table = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("OnnxLoweringTable.g.cs")).GetText().ToString();
        Assert.Contains("[\"neg\"] = global::KerasBackend.Onnx.OnnxLowering.Node(\"neg\", \"Neg\", \"result\"", table);
        Assert.Contains("s_missing = new string[] {  }", table);
    }

    [Fact]
    public void KB0015_is_not_reported_outside_KerasBackend()
    {
        // A fixture or an external backend project declares no lowering class: no table, no lowering diagnostic.
        var (result, _, _) = GeneratorHarness.Run([GeneratorHarness.Spec("ok.json", Op("x", "x"))]);
        Assert.Empty(result.Diagnostics);
        Assert.DoesNotContain(result.GeneratedTrees, t => t.FilePath.EndsWith("OnnxLoweringTable.g.cs"));
    }

    [Fact]
    public void KB0016_subgraph_lowering_without_its_method()
    {
        var json = Multiline(GoodOp.Replace("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"onnx\": \"subgraph\","));
        var d = SingleLowering(json);
        Assert.Equal("KB0016", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'public static void Neg(LoweringContext c)'", d.GetMessage());
        Assert.Equal(LineOf(json, "\"onnx\""), d.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void KB0003_composite_lowering_on_a_kernel_op_and_bad_onnx_values()
    {
        Assert.Contains("this op is a kernel", Single(Op("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"onnx\": \"composite\",")).GetMessage());
        Assert.Equal("KB0003", Single(Op("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"onnx\": { \"op\": \"Neg\", \"inputs\": \"cast\" },")).Id);
        Assert.Equal("KB0005", Single(Op("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"onnx\": { \"op\": \"Neg\", \"attrs\": { \"axis\": \"axes\" } },")).Id);
        Assert.Equal("KB0014", Single(Op("\"summary\": \"Negation.\",", "\"summary\": \"Negation.\", \"onnx\": { \"op\": \"Neg\", \"atrs\": {} },")).Id);
    }

    [Fact]
    public void The_real_spec_binds_without_diagnostics()
    {
        // The whole spec against the built runtime: every rule, check, composite and gradient method exists and fits.
        var specs = Directory.EnumerateFiles(Path.Combine(GeneratorHarness.RepoRoot, "Spec", "ops"), "*.json")
            .Select(p => GeneratorHarness.Spec(Path.GetFileName(p), File.ReadAllText(p))).ToList();
        var (result, _, _) = GeneratorHarness.Run(specs, [], GeneratorHarness.WithRuntime);
        Assert.Empty(result.Diagnostics.Select(x => x.ToString()));
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
        var index = File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "docs", "diagnostics", "README.md"));
        Assert.All(Descriptors(), d => Assert.Contains($"[{d.Id}]({d.Id}.md)", index));
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
