using KerasBackend.Cases;

namespace KerasBackend.Conformance.Cases;

/// <summary>The committed golden corpus (Conformance/Golden/*.json.gz, copied next to the test assembly), read once.</summary>
public static class GoldenCorpus
{
    private static readonly Lazy<IReadOnlyList<CaseFile>> s_files = new(() =>
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Golden");
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.json.gz").Order(StringComparer.Ordinal).Select(CaseFile.Load).ToList();
    });

    /// <summary>Every corpus file.</summary>
    public static IReadOnlyList<CaseFile> Files => s_files.Value;

    /// <summary>Every case of every file.</summary>
    public static IEnumerable<Case> Cases => Files.SelectMany(f => f.Cases);

    /// <summary>The ops that have at least one golden case.</summary>
    public static IReadOnlySet<string> Ops => Cases.Select(c => c.Op).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Tests that change process-wide state (the configuration that the case runner resets before each case) run in
/// this collection, which xunit never runs in parallel with anything else.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalStateCollection
{
    public const string Name = "Global configuration state";
}
