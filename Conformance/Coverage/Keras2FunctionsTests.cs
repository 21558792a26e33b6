using KerasBackend.Conformance.Generator;

namespace KerasBackend.Conformance.Coverage;

/// <summary>
/// Keras 2's backend, kept as data in Spec/keras2-backend-functions.txt (163 names): every one must be an op of the
/// registry, or be pending below with who delivers it. The pending list may only shrink: a name leaves it when its op
/// lands (an entry whose op exists is dead and harmless, so landing an op never breaks this test); adding a name here
/// needs review.
/// </summary>
public class Keras2FunctionsTests
{
    internal static readonly IReadOnlyDictionary<string, string> Pending = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };

    internal static IReadOnlyList<string> Names { get; } =
        File.ReadLines(Path.Combine(GeneratorHarness.RepoRoot, "Spec", "keras2-backend-functions.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    [Fact]
    public void The_list_holds_the_163_functions_once_each()
    {
        Assert.Equal(163, Names.Count);
        Assert.Equal(Names.Count, Names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Names, n => Assert.Matches("^[a-z][a-z0-9_]*$", n));
    }

    [Fact]
    public void Every_keras2_function_is_in_the_registry_or_pending()
    {
        var missing = Names.Where(n => OpRegistry.Find(n) is null && !Pending.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} Keras 2 backend function(s) are neither ops of the spec nor pending: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Pending_names_are_keras2_functions()
    {
        var unknown = Pending.Keys.Where(k => !Names.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, $"pending names that are not Keras 2 backend functions: {string.Join(", ", unknown)}");
    }
}
