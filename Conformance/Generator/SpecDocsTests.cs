using System.Reflection;
using System.Text.Json;
using KerasBackend.Generators.Emit;
using KerasBackend.Generators.Parsing;

namespace KerasBackend.Conformance.Generator;

/// <summary>
/// The generator's type table and the runtime's rule classes are the only lists of spec types and rules; the schema
/// (editors) and Spec/README.md (contributors) must say the same.
/// </summary>
public class SpecDocsTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "Spec", "README.md"));
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "Spec", "op.schema.json"))).RootElement;

    private static string[] Enum(params string[] path)
    {
        var e = Schema.GetProperty("$defs");
        foreach (var p in path) e = e.GetProperty(p);
        return e.GetProperty("enum").EnumerateArray().Select(x => x.GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void The_schema_lists_the_generators_types_and_vocabulary()
    {
        Assert.Equal(TypeMap.ParamTypes.Select(t => t.Name).Order(StringComparer.Ordinal), Enum("param", "properties", "type"));
        Assert.Equal(TypeMap.ResultTypes.Select(t => t.Key).Order(StringComparer.Ordinal), Enum("op", "properties", "result", "properties", "type"));
        Assert.Equal(SpecParser.Origins.Order(StringComparer.Ordinal), Enum("op", "properties", "origin"));
        Assert.Equal(SpecParser.ErrorKinds.Order(StringComparer.Ordinal), Enum("error", "properties", "kind"));
        static string[] Fields(string def) => Schema.GetProperty("$defs").GetProperty(def).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(SpecParser.OpFields.Order(StringComparer.Ordinal), Fields("op"));
        Assert.Equal(SpecParser.ParamFields.Order(StringComparer.Ordinal), Fields("param"));
        Assert.Equal(SpecParser.RuleFields.Order(StringComparer.Ordinal), Fields("rule"));
        Assert.Equal(SpecParser.ErrorFields.Order(StringComparer.Ordinal), Fields("error"));
    }

    [Fact]
    public void The_readme_tables_list_every_type()
    {
        var missing = TypeMap.ParamTypes.Select(t => t.Name).Where(t => !Readme.Contains($"| `{t}` | `")).ToList();
        missing.AddRange(TypeMap.ResultTypes.Select(t => t.Key).Where(t => !Readme.Contains($"| `{t}` | `")));
        Assert.True(missing.Count == 0, "Spec/README.md's tables lack the types: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_readme_tables_list_every_rule_and_check()
    {
        static IEnumerable<string> Rules(Type t, Type returns) => t.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == returns && !m.IsSpecialName).Select(m => SpecBinderSnake(m.Name)).Distinct();
        var missing = Rules(typeof(ShapeRules), typeof(Shape)).Concat(Rules(typeof(DTypeRules), typeof(DType))).Concat(Rules(typeof(Checks), typeof(bool)))
            .Where(r => !Readme.Contains($"| `{r}` | `")).Distinct().ToList();
        Assert.True(missing.Count == 0, "Spec/README.md's rule tables lack: " + string.Join(", ", missing) + " (add a row per rule method)");
    }

    private static string SpecBinderSnake(string name) => KerasBackend.Generators.Binding.SpecBinder.Snake(name);
}
