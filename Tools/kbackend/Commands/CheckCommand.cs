using System.Globalization;
using System.Text.Json;
using KerasBackend.Cases;
using KerasBackend.Properties;

namespace KerasBackend.Tool.Commands;

/// <summary>
/// <c>kbackend check</c>: replays conformance cases (the built-in numpy-made corpus, or any file in the
/// <c>kerasbackend-cases/1</c> format) against a backend; prints a table per op and the first failures, or one
/// JSON object with <c>--json</c>. Exits 1 when any case fails.
/// </summary>
internal sealed class CheckCommand : ICommand
{
    public string Name => "check";
    public string Summary => "replay conformance cases against a backend (built-in numpy corpus by default)";
    public string Usage =>
        "usage: kbackend check [--backend NAME|path/To.dll:Namespace.Type] [--cases FILE]... [--op NAME]... [--show N] [--json]\n\n" +
        "Replays every case of the built-in golden corpus (made by real numpy) or of each --cases FILE (any file in the\n" +
        "kerasbackend-cases/1 format, .json or .json.gz) against the backend (default: the configured one, see `kbackend info`).\n" +
        "Prints one row per op (cases, passed, failed, worst |got - expected| / max(|expected|, 1)) and the first N failures (default 10) with their\n" +
        "inputs, the expected value and what the backend returned. --op limits the run to some ops.\n" +
        "--json prints one object instead: {\"backend\", \"cases\", \"passed\", \"failed\", \"not_compared\", \"failures\": [{\"id\", \"op\", \"reason\"}...]}.\n" +
        "On a backend with a random generator of its own (onnx) the random ops' seeded value cases are not compared (listed).\n" +
        "Exit code: 0 when every case passed, 1 when any failed, 2 for bad options.\n\n" +
        "usage: kbackend check --properties [--backend B] [--op NAME]... [--property TEXT]... [--seed S] [--iterations N] [--json]\n\n" +
        "Runs the properties generated from the spec against the backend instead: agreement with the numpy reference backend\n" +
        "over generated shapes, dtypes and arguments, the declared error kind for every generated violation of a check, a\n" +
        "TypeError for a non-tensor argument, and the algebraic laws. A failure is shrunk to a small reproducer and printed\n" +
        "with its CsCheck seed; --seed S (with --property to pick the one) replays it. --iterations N sets the samples per\n" +
        "property (default: each property's own, 20-60). --property keeps the properties whose name contains TEXT.";

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? backendName = null;
        var files = new List<string>();
        var ops = new HashSet<string>(StringComparer.Ordinal);
        var propertyFilters = new List<string>();
        bool json = false, properties = false;
        int show = 10;
        int? iterations = null;
        string? seed = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--backend" when i + 1 < args.Length && backendName is null: backendName = args[++i]; break;
                case "--cases" when i + 1 < args.Length: files.Add(args[++i]); break;
                case "--op" when i + 1 < args.Length: ops.Add(args[++i]); break;
                case "--json": json = true; break;
                case "--properties": properties = true; break;
                case "--property" when i + 1 < args.Length: propertyFilters.Add(args[++i]); break;
                case "--seed" when i + 1 < args.Length: seed = args[++i]; break;
                case "--iterations" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    iterations = n; i++; break;
                case "--show" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out show): i++; break;
                default:
                    stderr.WriteLine($"kbackend check: unexpected argument '{args[i]}' (--backend may be given once).\n{Usage}");
                    return 2;
            }
        }

        if (properties)
        {
            if (files.Count > 0) { stderr.WriteLine("kbackend check: --cases and --properties do not go together."); return 2; }
            return RunProperties(backendName, ops, propertyFilters, seed, iterations, json, stdout);
        }
        if (propertyFilters.Count > 0 || seed is not null || iterations is not null)
        {
            stderr.WriteLine("kbackend check: --property, --seed and --iterations go with --properties.");
            return 2;
        }

        var corpus = new List<CaseFile>();
        if (files.Count == 0) corpus.AddRange(BuiltInCorpus());
        else
            foreach (var f in files)
            {
                if (!File.Exists(f)) { stderr.WriteLine($"kbackend check: no such case file: {f}"); return 2; }
                try { corpus.Add(CaseFile.Load(f)); }
                catch (InvalidDataException e) { stderr.WriteLine($"kbackend check: {e.Message}"); return 2; }
            }
        if (corpus.Count == 0) { stderr.WriteLine("kbackend check: this build has no built-in corpus; pass --cases FILE."); return 2; }

        var backend = backendName is null ? Backend.Current : Backend.Create(backendName);
        string shownName = backendName ?? Backend.CurrentName;
        var all = corpus.SelectMany(f => f.Cases).Where(c => ops.Count == 0 || ops.Contains(c.Op)).ToList();
        // A backend with a random generator of its own cannot reproduce the seeded values of the corpus: those value
        // cases are set apart and reported (neither passed nor failed); the ops' error cases still run.
        var own = backend as IOwnRandomStream;
        var notCompared = all.Where(c => c.ExpectError is null && own?.OwnRandomStream(c.Op) is not null).ToList();
        var cases = all.Except(notCompared).ToList();
        var results = new CaseRunner(backend).RunAll(cases);
        var failed = results.Where(r => !r.Passed).ToList();

        if (json) WriteJson(stdout, shownName, results, failed, notCompared);
        else WriteTable(stdout, shownName, corpus, results, failed, show, notCompared, own);
        return failed.Count == 0 ? 0 : 1;
    }

    private static int RunProperties(string? backendName, HashSet<string> ops, List<string> filters, string? seed, int? iterations, bool json, TextWriter o)
    {
        // Resolve the backend once up front, so that a bad reference fails here with the loader's message.
        string name = backendName ?? Backend.CurrentName;
        if (backendName is not null) Backend.Create(backendName);
        var selected = PropertyRunner.All()
            .Where(p => ops.Count == 0 || p.Op.Split(',').Any(ops.Contains))
            .Where(p => filters.Count == 0 || filters.Any(f => p.Name.Contains(f, StringComparison.Ordinal)))
            .ToList();
        if (selected.Count == 0) throw new ArgumentException("no property matches the --op/--property filters.");
        if (!json) o.WriteLine($"kbackend check --properties: backend {name}; {selected.Count} properties, " +
                               $"{(iterations is null ? "each property's own number of" : iterations.ToString())} samples each{(seed is null ? "" : ", seed " + seed)}");
        var results = new List<PropertyResult>();
        foreach (var r in PropertyRunner.Run(selected, name, seed, iterations))
        {
            results.Add(r);
            if (!json && !r.Passed) o.WriteLine($"FAIL {r.Property.Name}");
        }
        var failed = results.Where(r => !r.Passed).ToList();
        if (json)
        {
            o.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["backend"] = name, ["properties"] = results.Count, ["passed"] = results.Count - failed.Count, ["failed"] = failed.Count,
                ["seed"] = seed, ["iterations"] = iterations,
                ["failures"] = failed.Select(f => new Dictionary<string, object?>
                {
                    ["property"] = f.Property.Name, ["op"] = f.Property.Op, ["seed"] = f.Seed, ["failure"] = f.Failure,
                }).ToList(),
            }));
            return failed.Count == 0 ? 0 : 1;
        }
        o.WriteLine();
        foreach (var f in failed)
        {
            o.WriteLine($"- {f.Property.Name}");
            foreach (var line in (f.Failure ?? "").Split('\n')) o.WriteLine("    " + line.TrimEnd());
            if (f.Seed is not null)
                o.WriteLine($"    reproduce: kbackend check --properties --backend {Quote(name)} --property {Quote(f.Property.Name)} --seed {f.Seed}");
        }
        o.WriteLine(failed.Count == 0
            ? $"All {results.Count} properties held on {name}."
            : $"{failed.Count} of {results.Count} properties failed on {name}.");
        return failed.Count == 0 ? 0 : 1;
    }

    private static string Quote(string s) => s.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ':' or '\'' or '"') ? "'" + s.Replace("'", "'\\''") + "'" : s;

    /// <summary>The corpus compiled into this tool (Conformance/Golden/*.json.gz at build time).</summary>
    internal static IEnumerable<CaseFile> BuiltInCorpus()
    {
        var asm = typeof(CheckCommand).Assembly;
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith("Golden/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            yield return CaseFile.Read(s, "built-in " + name);
        }
    }

    private static void WriteTable(TextWriter o, string backend, List<CaseFile> corpus, IReadOnlyList<CaseResult> results, List<CaseResult> failed, int show,
        List<Case> notCompared, IOwnRandomStream? own)
    {
        o.WriteLine($"kbackend check: backend {backend}; {results.Count} cases from {corpus.Count} file(s)");
        foreach (var g in notCompared.GroupBy(c => own!.OwnRandomStream(c.Op)))
            o.WriteLine($"  not compared: {g.Count()} seeded value case(s) of " +
                string.Join(", ", g.GroupBy(c => c.Op).OrderBy(op => op.Key, StringComparer.Ordinal).Select(op => $"{op.Key} ({op.Count()})")) + $": {g.Key}");
        foreach (var f in corpus) o.WriteLine($"  {f.Path}{(f.Source.Length > 0 ? "  (" + f.Source + ")" : "")}");
        o.WriteLine();
        int w = Math.Max(2, results.Select(r => r.Case.Op.Length).DefaultIfEmpty(0).Max());
        o.WriteLine($"{"op".PadRight(w)}  {"cases",6} {"passed",7} {"failed",7}  worst error");
        foreach (var g in results.GroupBy(r => r.Case.Op).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int n = g.Count(), p = g.Count(r => r.Passed);
            double worst = g.Max(r => r.WorstError);
            o.WriteLine($"{g.Key.PadRight(w)}  {n,6} {p,7} {n - p,7}  {worst.ToString("G3", CultureInfo.InvariantCulture)}");
        }
        o.WriteLine($"{"total".PadRight(w)}  {results.Count,6} {results.Count - failed.Count,7} {failed.Count,7}");
        if (failed.Count == 0)
        {
            o.WriteLine($"\nAll {results.Count} cases passed on {backend}.");
            return;
        }
        o.WriteLine($"\n{failed.Count} case(s) failed on {backend}; the first {Math.Min(show, failed.Count)}:");
        foreach (var f in failed.Take(show))
        {
            o.WriteLine($"- {f.Case.Id} ({f.Case.Source}): {f.Reason}");
            o.WriteLine($"    inputs:   {f.Inputs}");
            o.WriteLine($"    expected: {f.Expected}");
            o.WriteLine($"    got:      {f.Got}");
        }
    }

    private static void WriteJson(TextWriter o, string backend, IReadOnlyList<CaseResult> results, List<CaseResult> failed, List<Case> notCompared)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = false }))
        {
            j.WriteStartObject();
            j.WriteString("backend", backend);
            j.WriteNumber("cases", results.Count);
            j.WriteNumber("passed", results.Count - failed.Count);
            j.WriteNumber("failed", failed.Count);
            j.WriteNumber("not_compared", notCompared.Count);
            j.WriteStartArray("failures");
            foreach (var f in failed)
            {
                j.WriteStartObject();
                j.WriteString("id", f.Case.Id);
                j.WriteString("op", f.Case.Op);
                j.WriteString("reason", f.Reason);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }
}
