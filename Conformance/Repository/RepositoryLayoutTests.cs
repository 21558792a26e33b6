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

    /// <summary>A clone is all a user has: no file of the repository may point outside it (a sibling shared/ folder, a build machine's path).</summary>
    [Fact]
    public void No_file_refers_outside_the_repository()
    {
        var root = GeneratorHarness.RepoRoot;
        var skip = new[] { ".git", "bin", "obj", "TestResults", "artifacts", "BenchmarkDotNet.Artifacts", "_site" };
        var text = new[] { ".cs", ".csproj", ".props", ".targets", ".sh", ".ps1", ".py", ".md", ".json", ".txt", ".yml", ".config", "" };
        // Spelled in pieces so that this file does not match itself.
        var forbidden = new[] { "../" + "shared/", "..\\" + "shared\\", "/" + "work/" };
        var hits = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
                if (!skip.Contains(Path.GetFileName(sub), StringComparer.Ordinal)) pending.Push(sub);
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (!text.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) || new FileInfo(file).Length > 4_000_000) continue;
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                    if (forbidden.FirstOrDefault(f => lines[i].Contains(f, StringComparison.Ordinal)) is { } f)
                        hits.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {f}");
            }
        }
        Assert.True(hits.Count == 0, "files that refer outside the repository:\n" + string.Join("\n", hits));
    }
}
