using System.Text.RegularExpressions;
using KerasBackend.Conformance.Generator;
using KerasBackend.Tool.Commands;

namespace KerasBackend.Conformance.Docs;

/// <summary>
/// The documentation site (docs/, built by `./build.sh docs`), checked on its Markdown so that no docfx run is needed:
/// every op of the registry has a generated page with what a reader needs, and no internal link or table-of-contents
/// entry points at a page that does not exist.
/// </summary>
public sealed class DocsSiteTests : IDisposable
{
    private readonly string _generated = Path.Combine(Path.GetTempPath(), "kb-docs-" + Guid.NewGuid().ToString("N"));
    private static readonly string s_docs = Path.Combine(GeneratorHarness.RepoRoot, "docs");

    public DocsSiteTests() => OpDocs.Write(_generated, Path.Combine(s_docs, "diagnostics"));

    public void Dispose() => Directory.Delete(_generated, recursive: true);

    [Fact]
    public void Every_registry_op_has_a_page_with_signatures_rules_errors_and_cases()
    {
        foreach (var op in OpRegistry.All)
        {
            var path = Path.Combine(_generated, OpDocs.PagePath(op));
            Assert.True(File.Exists(path), $"no page for {op.Name}");
            var page = File.ReadAllText(path);
            Assert.StartsWith($"# {op.Name}\n", page.Replace("\r", ""));
            Assert.Contains($"`K.{op.CSharpName}`", page);
            Assert.Contains(op.Signature, page);
            Assert.Contains($"K.{op.CSharpName}(", page);                 // the C# signature
            foreach (var p in op.Params) Assert.Contains($"| `{p.Name}` |", page);
            foreach (var e in op.Errors) Assert.Contains($"| `{e[(e.IndexOf(':') + 1)..]}` | `{e[..e.IndexOf(':')]}`", page);
            Assert.Contains("golden cases (made by numpy): ", page);
            Assert.Contains($"origin `{op.Origin}`", page);
        }
    }

    [Fact]
    public void The_batch_dot_page_says_what_a_reader_needs()
    {
        var page = File.ReadAllText(Path.Combine(_generated, "ops", "batch_dot.md"));
        Assert.Contains("public static Tensor K.BatchDot(Tensor x, Tensor y", page);
        Assert.Contains("| `axes` | pair | `None` |", page);
        Assert.Contains("share the batch axis 0 and contract over `axes`", page);
        Assert.Contains("Keras' promotion of the dtypes of `x` and `y`", page);
        Assert.Contains("batch_dot: cannot do batch_dot on inputs with rank &lt; 2. Received: x.shape={x.shape}", page);
        Assert.Contains("```csharp\nvar z = K.BatchDot(", page.Replace("\r", ""));
        Assert.Contains("- `cpu`: kernel", page);
        Assert.DoesNotContain("golden cases (made by numpy): 0\n", page.Replace("\r", ""));
    }

    [Fact]
    public void The_site_has_no_broken_internal_links()
    {
        // Logical site paths (relative to docs/) -> files: the hand-written pages and the generated reference.
        var site = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.EnumerateFiles(s_docs, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(s_docs, f).Replace('\\', '/');
            if (rel.StartsWith("reference/") || rel.StartsWith("_site/") || rel.StartsWith("obj/")) continue;
            site[rel] = f;
        }
        foreach (var f in Directory.EnumerateFiles(_generated, "*", SearchOption.AllDirectories))
            site["reference/" + Path.GetRelativePath(_generated, f).Replace('\\', '/')] = f;
        // docfx.json also brings in the spec's README (a link target for the guides).
        site["../Spec/README.md"] = Path.Combine(GeneratorHarness.RepoRoot, "Spec", "README.md");

        var broken = new List<string>();
        int links = 0;
        foreach (var (rel, file) in site)
        {
            if (rel.StartsWith("../")) continue;
            IEnumerable<string> targets = rel.EndsWith(".md") ? MarkdownLinks(File.ReadAllText(file))
                : rel.EndsWith("toc.yml") ? Regex.Matches(File.ReadAllText(file), @"href:\s*(\S+)").Select(m => m.Groups[1].Value)
                : [];
            foreach (var target in targets)
            {
                if (target.Contains("://") || target.StartsWith("mailto:") || target.StartsWith('#')) continue;
                links++;
                var path = target.Split('#')[0];
                var resolved = Normalize(Path.GetDirectoryName(rel)!.Replace('\\', '/'), path);
                if (!site.ContainsKey(resolved)) broken.Add($"{rel}: {target}");
            }
        }
        Assert.True(links > OpRegistry.All.Count * 2, $"only {links} links checked");
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_link_check_finds_a_broken_link()
    {
        Assert.Equal(["ops/x.md", "../y.md"], MarkdownLinks("see [x](ops/x.md) and [y](../y.md), not `[z](code.md)`,\n```\n[w](fenced.md)\n```\n"));
        Assert.Equal("reference/ops/abs.md", Normalize("guides", "../reference/ops/abs.md"));
        Assert.Equal("../Spec/README.md", Normalize("guides", "../../Spec/README.md"));
    }

    /// <summary>Link targets of a Markdown text, outside code blocks and code spans.</summary>
    internal static List<string> MarkdownLinks(string md)
    {
        var text = Regex.Replace(md, "```.*?```", "", RegexOptions.Singleline);
        text = Regex.Replace(text, "`[^`\n]*`", "");
        return Regex.Matches(text, @"\[[^\]]*\]\(([^)\s]+)\)").Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>A relative link from folder <paramref name="dir"/> (relative to docs/) as a path relative to docs/.</summary>
    internal static string Normalize(string dir, string link)
    {
        var parts = new List<string>(dir.Length == 0 ? [] : dir.Split('/'));
        int above = 0;
        foreach (var p in link.Split('/'))
        {
            if (p is "." or "") continue;
            if (p == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                else above++;
            }
            else parts.Add(p);
        }
        return string.Concat(Enumerable.Repeat("../", above)) + string.Join('/', parts);
    }
}
