using KerasBackend.Conformance.Generator;

namespace KerasBackend.Conformance.Repository;

/// <summary>The repository must clone intact on case-insensitive file systems (Windows and macOS defaults).</summary>
public class RepositoryLayoutTests
{
    [Fact]
    public void No_two_paths_differ_only_by_case()
    {
        var root = GeneratorHarness.RepoRoot;
        var skip = new[] { ".git", "bin", "obj", "TestResults", "artifacts" };
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var clashes = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var name = Path.GetFileName(entry);
                if (skip.Contains(name, StringComparer.Ordinal)) continue;
                var rel = Path.GetRelativePath(root, entry).Replace('\\', '/');
                if (seen.TryGetValue(rel, out var other) && other != rel) clashes.Add($"{other} ~ {rel}");
                else seen[rel] = rel;
                if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) pending.Push(entry);
            }
        }
        Assert.True(clashes.Count == 0, "paths that differ only by case: " + string.Join(", ", clashes));
    }
}
