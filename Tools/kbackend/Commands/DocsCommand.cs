using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace KerasBackend.Tool.Commands;

/// <summary>
/// <c>kbackend docs</c>: writes the op reference of the documentation site as Markdown, one page per op of the
/// registry, from the spec entries compiled into KerasBackend, the facade's C# signatures, the built-in backends and
/// the golden corpus built into this tool. <c>./build.sh docs</c> runs it before docfx.
/// </summary>
internal sealed class DocsCommand : ICommand
{
    public string Name => "docs";
    public string Summary => "write the op reference (one Markdown page per op, from the spec) for the docs site";
    public string Usage => """
        usage: kbackend docs --out DIR [--diagnostics DIR]

        Writes DIR/index.md (the ops by category), DIR/ops/<op>.md (one page per op: Keras and C# signatures,
        parameters with defaults, shape and dtype rules in words, every declared error with its kind and message,
        the example, origin, the backends implementing it, its golden cases), DIR/diagnostics.md (an index of the
        pages in the --diagnostics folder, linked relative to DIR/..) and DIR/toc.yml for docfx.
        """;

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? outDir = null, diagnostics = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length: outDir = args[++i]; break;
                case "--diagnostics" when i + 1 < args.Length: diagnostics = args[++i]; break;
                default: stderr.WriteLine($"kbackend docs: unknown option '{args[i]}'.\n{Usage}"); return 2;
            }
        }
        if (outDir is null) { stderr.WriteLine($"kbackend docs: --out is required.\n{Usage}"); return 2; }
        int pages = OpDocs.Write(outDir, diagnostics);
        stdout.WriteLine($"kbackend docs: {pages} pages in {outDir}");
        return 0;
    }
}

/// <summary>The op reference pages (see <see cref="DocsCommand"/>).</summary>
internal static class OpDocs
{
    /// <summary>The page of an op, relative to the reference folder.</summary>
    public static string PagePath(OpInfo op) => $"ops/{op.Name}.md";

    /// <summary>Writes every page; returns how many files were written.</summary>
    public static int Write(string outDir, string? diagnosticsDir)
    {
        Directory.CreateDirectory(Path.Combine(outDir, "ops"));
        foreach (var stale in Directory.EnumerateFiles(Path.Combine(outDir, "ops"), "*.md")) File.Delete(stale);
        var spec = SpecEntries();
        var golden = CheckCommand.BuiltInCorpus().SelectMany(f => f.Cases).GroupBy(c => c.Op).ToDictionary(g => g.Key, g => g.Count());
        var backends = Backend.BuiltIn.Select(b => (Name: b, Instance: Backend.Create(b))).ToList();
        int written = 0;
        foreach (var op in OpRegistry.All)
        {
            File.WriteAllText(Path.Combine(outDir, PagePath(op)), OpPage(op, spec.GetValueOrDefault(op.Name), golden.GetValueOrDefault(op.Name), backends));
            written++;
        }
        File.WriteAllText(Path.Combine(outDir, "index.md"), Index(golden));
        File.WriteAllText(Path.Combine(outDir, "diagnostics.md"), Diagnostics(diagnosticsDir));
        File.WriteAllText(Path.Combine(outDir, "toc.yml"), Toc());
        return written + 3;
    }

    /// <summary>The spec entries compiled into KerasBackend (resources Spec/*.json), by Keras name.</summary>
    private static Dictionary<string, JsonElement> SpecEntries()
    {
        var asm = typeof(OpRegistry).Assembly;
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith("Spec/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            using var doc = JsonDocument.Parse(s);
            if (!doc.RootElement.TryGetProperty("ops", out var ops)) continue;
            foreach (var op in ops.EnumerateArray())
                if (op.TryGetProperty("name", out var n) && n.GetString() is { } opName) d[opName] = op.Clone();
        }
        return d;
    }

    private static string Str(JsonElement? e, string prop) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(prop, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static string Md(string s) => s.Replace("|", "\\|").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string OpPage(OpInfo op, JsonElement? entry, int goldenCases, List<(string Name, IBackend Instance)> backends)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {op.Name}").AppendLine();
        sb.AppendLine($"`K.{op.CSharpName}` · category `{op.Category}` · origin `{op.Origin}` · {(op.IsKernel ? "kernel" : "composite")}" +
                      $"{(op.Differentiable ? " · differentiable" : "")}").AppendLine();
        sb.AppendLine(Md(op.Summary)).AppendLine();
        if (Str(entry, "remarks") is { Length: > 0 } remarks) sb.AppendLine(Md(remarks)).AppendLine();

        sb.AppendLine("## Signatures").AppendLine();
        sb.AppendLine("Keras (Python):").AppendLine().AppendLine("```python").AppendLine(op.Signature).AppendLine("```").AppendLine();
        sb.AppendLine("C#:").AppendLine().AppendLine("```csharp");
        foreach (var m in typeof(K).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == op.CSharpName).OrderBy(m => m.GetParameters().Length))
            sb.AppendLine(CSharpSignature(m));
        sb.AppendLine("```").AppendLine();

        if (op.Params.Count > 0)
        {
            sb.AppendLine("## Parameters").AppendLine();
            sb.AppendLine("| name | type | default | description |").AppendLine("|---|---|---|---|");
            foreach (var p in op.Params)
                sb.AppendLine($"| `{p.Name}` | {p.Type} | {(p.Default is null ? "required" : $"`{Md(PyDefault(p.Default))}`")} | {Md(p.Doc)} |");
            sb.AppendLine();
        }

        sb.AppendLine("## Result").AppendLine();
        var resultDoc = entry is { } r && r.TryGetProperty("result", out var res) ? Str(res, "doc") : "";
        sb.AppendLine($"{op.ResultType}{(resultDoc.Length > 0 ? ": " + Md(resultDoc) : ".")}").AppendLine();
        if (op.ShapeRule.Length > 0) sb.AppendLine($"- **Shape**: {ShapeInWords(op.ShapeRule, RuleArgs(entry, "shape"))}");
        if (op.DTypeRule.Length > 0) sb.AppendLine($"- **Dtype**: {DTypeInWords(op.DTypeRule, RuleArgs(entry, "dtype"))}");
        if (op.ShapeRule.Length > 0 || op.DTypeRule.Length > 0) sb.AppendLine();

        sb.AppendLine("## Errors").AppendLine();
        var errors = entry is { } e && e.TryGetProperty("errors", out var errs) && errs.ValueKind == JsonValueKind.Array ? errs.EnumerateArray().ToList() : [];
        if (errors.Count == 0) sb.AppendLine("No declared checks beyond the argument types (a missing or mistyped tensor is a `TypeError`).").AppendLine();
        else
        {
            sb.AppendLine("Checked in this order before anything runs; `{...}` stands for the values of the call.").AppendLine();
            sb.AppendLine("| check | kind | message |").AppendLine("|---|---|---|");
            foreach (var err in errors)
                sb.AppendLine($"| `{Str(err, "check")}` | `{Str(err, "kind")}` ({ExceptionOf(Str(err, "kind"))}) | {Md(Str(err, "message").Replace("{op}", op.Name))} |");
            sb.AppendLine();
        }

        if (Str(entry, "example") is { Length: > 0 } example)
            sb.AppendLine("## Example").AppendLine().AppendLine("```csharp").AppendLine(example).AppendLine("```").AppendLine();

        sb.AppendLine("## Backends and conformance").AppendLine();
        foreach (var (name, b) in backends)
            sb.AppendLine($"- `{name}`: {(!op.IsKernel ? "shared composite (built from other ops)" : OpRegistry.Implements(b, op) ? "kernel" : "**missing**")}");
        sb.AppendLine($"- golden cases (made by numpy): {goldenCases}");
        sb.AppendLine($"- origin `{op.Origin}`: {OpsCommand.Origins.FirstOrDefault(o => o.Origin == op.Origin).Meaning ?? "see the legend of `kbackend ops`"}");
        sb.AppendLine($"- spec: `Spec/ops/{op.SpecFile}`").AppendLine();
        sb.AppendLine("[All ops](../index.md)");
        return sb.ToString();
    }

    private static string[] RuleArgs(JsonElement? entry, string prop) =>
        entry is { } e && e.TryGetProperty(prop, out var r) && r.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(x => x.ToString()).ToArray()
            : [];

    private static string Arg(string[] a, int i, string fallback) => i < a.Length ? $"`{a[i]}`" : fallback;

    /// <summary>A shape rule of the spec in words.</summary>
    internal static string ShapeInWords(string rule, string[] a) => rule switch
    {
        "same" => $"the shape of {Arg(a, 0, "the input")}.",
        "broadcast" => $"{Arg(a, 0, "x")} and {Arg(a, 1, "y")} broadcast together (numpy's rule: shapes aligned from the last axis; each pair of sizes equal, or one of them 1).",
        "reduce" => $"the shape of {Arg(a, 0, "x")} without the axes in {Arg(a, 1, "axis")} (all of them when it is null); with {Arg(a, 2, "keepdims")} true those axes stay, with size 1.",
        "dot" => $"Theano/numpy dot: the last axis of {Arg(a, 0, "x")} contracts with the second-to-last of {Arg(a, 1, "y")} (its only one when rank 1); the result has the other axes of {Arg(a, 0, "x")}, then those of {Arg(a, 1, "y")}.",
        "batch_dot" => $"{Arg(a, 0, "x")} and {Arg(a, 1, "y")} share the batch axis 0 and contract over {Arg(a, 2, "axes")}; the result is the batch size, then the remaining axes of {Arg(a, 0, "x")}, then those of {Arg(a, 1, "y")}, and (batch, 1) when that would be rank 1.",
        "concat" => $"the common shape of {Arg(a, 0, "the inputs")}, with the sizes along {Arg(a, 1, "axis")} added (every other size must agree).",
        "transpose" => $"the shape of {Arg(a, 0, "x")} reversed.",
        "permute" => $"the axes of {Arg(a, 0, "x")} reordered by {Arg(a, 1, "pattern")}.",
        "from_shape" => $"the shape given by {Arg(a, 0, "shape")}.",
        "gather" => $"the shape of {Arg(a, 1, "indices")}, followed by the shape of {Arg(a, 0, "reference")} without its first axis.",
        "eye" => $"(n, n) when {Arg(a, 0, "size")} is n, (n, m) when it is (n, m).",
        "custom" => "computed by the op's own rule (see the result above).",
        _ => $"rule `{rule}`({string.Join(", ", a)}).",
    };

    /// <summary>A dtype rule of the spec in words.</summary>
    internal static string DTypeInWords(string rule, string[] a) => rule switch
    {
        "same" => $"the dtype of {Arg(a, 0, "the input")}.",
        "promote" => $"Keras' promotion of the dtypes of {string.Join(" and ", a.Select(x => $"`{x}`"))} (Keras 3 rules: int32 with float16 gives float16, uint8 with int8 gives int16).",
        "sum" => $"the dtype of {Arg(a, 0, "x")}, except that bool, int8, int16 and uint8 accumulate in int32.",
        "to_float" => $"the dtype of {Arg(a, 0, "x")} when it is a float type, else floatx().",
        "param" => $"the dtype given by {Arg(a, 0, "dtype")}.",
        "param_or_floatx" => $"the dtype given by {Arg(a, 0, "dtype")}, or floatx() when it is null.",
        "param_or_same" => $"the dtype given by {Arg(a, 0, "dtype")}, or the dtype of {Arg(a, 1, "x")} when it is null.",
        "custom" => "computed by the op's own rule (see the result above).",
        _ => $"rule `{rule}`({string.Join(", ", a)}).",
    };

    private static string ExceptionOf(string kind) => kind switch
    {
        "ValueError" => "`KerasValueException`",
        "TypeError" => "`KerasTypeException`",
        "IndexError" => "`KerasIndexException`",
        _ => "a Keras exception",
    };

    private static string PyDefault(string json) => json switch
    {
        "null" => "None", "true" => "True", "false" => "False",
        _ when json.StartsWith('"') => $"'{json.Trim('"')}'",
        _ => json,
    };

    /// <summary>A facade method as C# source declares it, defaults included.</summary>
    internal static string CSharpSignature(MethodInfo m)
    {
        var nullability = new NullabilityInfoContext();
        string Type(ParameterInfo p) => OpsCommand.CSharpType(p.ParameterType) +
            (!p.ParameterType.IsValueType && nullability.Create(p).WriteState == NullabilityState.Nullable ? "?" : "");
        string Default(ParameterInfo p) => !p.HasDefaultValue ? "" : " = " + p.DefaultValue switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            string s => $"\"{s}\"",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var v => v.ToString(),
        };
        var ps = m.GetParameters().Select(p =>
            (p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "") + $"{Type(p)} {p.Name}{Default(p)}");
        var ret = OpsCommand.CSharpType(m.ReturnType) +
                  (!m.ReturnType.IsValueType && m.ReturnType != typeof(void) && nullability.Create(m.ReturnParameter).ReadState == NullabilityState.Nullable ? "?" : "");
        return $"public static {ret} K.{m.Name}({string.Join(", ", ps)})";
    }

    private static string Index(Dictionary<string, int> golden)
    {
        var sb = new StringBuilder("# Op reference\n\n");
        sb.AppendLine($"{OpRegistry.All.Count} ops ({OpRegistry.All.Count(o => o.IsKernel)} kernels, which every backend implements, and " +
                      $"{OpRegistry.All.Count(o => !o.IsKernel)} composites built from other ops), by category. Each page is generated from the op's entry " +
                      "in `Spec/ops/*.json`, the same entry the source generator builds `K` from.").AppendLine();
        sb.AppendLine("Origin: " + string.Join("; ", OpsCommand.Origins.Select(o => $"`{o.Origin}` {o.Meaning}")) + ".").AppendLine();
        foreach (var g in OpRegistry.All.GroupBy(o => o.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.AppendLine($"## {g.Key}").AppendLine();
            sb.AppendLine("| op | C# | kind | origin | golden cases | summary |").AppendLine("|---|---|---|---|---|---|");
            foreach (var op in g)
                sb.AppendLine($"| [{op.Name}]({PagePath(op)}) | `K.{op.CSharpName}` | {(op.IsKernel ? "kernel" : "composite")} | {op.Origin} | {golden.GetValueOrDefault(op.Name)} | {Md(op.Summary)} |");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string Diagnostics(string? dir)
    {
        var sb = new StringBuilder("# Diagnostics\n\n");
        sb.AppendLine("The source generator reports these at compile time: KB00xx for mistakes in the spec (each on the spec line), " +
                      "KB0100 for a backend class that lacks kernels. A consumer of the `KerasBackend` package sees KB0100 for its own " +
                      "classes marked `[BackendImplementation]`.").AppendLine();
        var pages = dir is not null && Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.md").Order(StringComparer.Ordinal).ToList() : [];
        if (pages.Count == 0)
        {
            sb.AppendLine("This build has no diagnostic pages; `Generators/AnalyzerReleases.Unshipped.md` lists the ids.");
            return sb.ToString();
        }
        sb.AppendLine("| id | title |").AppendLine("|---|---|");
        foreach (var p in pages)
        {
            var title = File.ReadLines(p).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..] ?? Path.GetFileNameWithoutExtension(p);
            var id = Path.GetFileNameWithoutExtension(p);
            var rest = title.StartsWith(id + ":", StringComparison.Ordinal) ? title[(id.Length + 1)..].Trim() : title;
            sb.AppendLine($"| [{id}](../{Path.GetFileName(dir!.TrimEnd('/', '\\'))}/{Path.GetFileName(p)}) | {Md(rest)} |");
        }
        return sb.ToString();
    }

    private static string Toc()
    {
        var sb = new StringBuilder();
        sb.AppendLine("- name: All ops").AppendLine("  href: index.md");
        foreach (var g in OpRegistry.All.GroupBy(o => o.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.AppendLine($"- name: {g.Key}").AppendLine("  items:");
            foreach (var op in g) sb.AppendLine($"  - name: {op.Name}").AppendLine($"    href: {PagePath(op)}");
        }
        sb.AppendLine("- name: Diagnostics").AppendLine("  href: diagnostics.md");
        return sb.ToString();
    }
}
