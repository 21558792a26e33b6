using System.Reflection;
using System.Text;
using System.Text.Json;

namespace KerasBackend.Tool.Commands;

/// <summary>
/// <c>kbackend ops</c>: the op table from the registry (Keras name, C# name, signature, category, origin, and whether
/// each backend implements it), sized for a 100-column terminal; <c>--json</c> and <c>--markdown</c> for scripts and
/// docs; <c>--missing</c> lists the Keras 2 backend functions the registry lacks.
/// </summary>
internal sealed class OpsCommand : ICommand
{
    /// <summary>The terminal width the default table fits.</summary>
    internal const int Width = 100;

    /// <summary>The list of Keras 2's backend functions, one name per line (<c>#</c> starts a comment), built into the tool when present.</summary>
    internal const string Keras2ListResource = "Spec/keras2-backend-functions.txt";

    public string Name => "ops";
    public string Summary => "list the ops of the spec and which backends implement them";
    public string Usage => """
        usage: kbackend ops [--category NAME] [--backend NAME|assembly.dll:Type]... [--wide | --json | --markdown]
               kbackend ops --missing [--list FILE] [--json]

        Lists every op: its Keras name, its C# name (K.BatchDot), its signature with Keras' defaults, its category,
        where it comes from (origin) and, per backend (default: the built-in ones), whether the backend implements it.
        The table fits 100 columns, wrapping long signatures; --wide prints each op on one line.

          --category NAME   only the ops of one category (math, reduction, linalg, ...)
          --backend B       a backend column (repeatable): cpu, numpy or an external assembly.dll:Namespace.Type
          --wide            one line per op, whole signatures
          --json            one JSON object: every op with its parameters, errors, rules and kernel signature
          --markdown        a Markdown table
          --missing         the Keras 2 backend functions the registry lacks (from Spec/keras2-backend-functions.txt,
                            built into the tool, or --list FILE)
        """;

    /// <summary>What the origin column means.</summary>
    internal static readonly (string Origin, string Meaning)[] Origins =
    [
        ("seed", "in the founding list of Keras backend functions this library started from"),
        ("keras2", "a function of Keras 2's keras.backend (tf-keras backend.py)"),
        ("keras3", "from Keras 3's keras.ops (Keras 2 has it only as an operator or under another name)"),
        ("ours", "added by this library (no Keras function of that name)"),
    ];

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? category = null, list = null;
        var names = new List<string>();
        bool wide = false, json = false, markdown = false, missing = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--category" when i + 1 < args.Length: category = args[++i]; break;
                case "--backend" when i + 1 < args.Length: names.Add(args[++i]); break;
                case "--list" when i + 1 < args.Length: list = args[++i]; break;
                case "--wide": wide = true; break;
                case "--json": json = true; break;
                case "--markdown": markdown = true; break;
                case "--missing": missing = true; break;
                default: stderr.WriteLine($"kbackend ops: unknown option '{args[i]}'.\n{Usage}"); return 2;
            }
        }
        if ((wide ? 1 : 0) + (json ? 1 : 0) + (markdown ? 1 : 0) > 1)
        {
            stderr.WriteLine("kbackend ops: choose one of --wide, --json, --markdown.");
            return 2;
        }
        if (missing) return Missing(list, json, stdout, stderr);

        if (names.Count == 0) names.AddRange(Backend.BuiltIn);
        var backends = names.Select(Backend.Create).ToList();
        // An external backend's column is headed by its type's name, not the whole assembly:type reference.
        names = names.Select(n => !Backend.BuiltIn.Contains(n) && BackendLoader.SplitReference(n) is { } r ? r.Type[(r.Type.LastIndexOf('.') + 1)..] : n).ToList();
        var ops = OpRegistry.All.Where(o => category is null || o.Category == category).ToList();
        if (ops.Count == 0)
        {
            stderr.WriteLine($"kbackend ops: no op has category '{category}'. Categories: {string.Join(", ", OpRegistry.All.Select(o => o.Category).Distinct().Order(StringComparer.Ordinal))}.");
            return 1;
        }
        string Cell(OpInfo op, IBackend b) => !op.IsKernel ? "shared" : OpRegistry.Implements(b, op) ? "yes" : "no";

        if (json) stdout.WriteLine(Json(ops, names, backends, Cell));
        else if (markdown) WriteMarkdown(ops, names, backends, Cell, stdout);
        else WriteTable(ops, names, backends, Cell, wide, stdout);
        return 0;
    }

    private static void WriteTable(List<OpInfo> ops, List<string> names, List<IBackend> backends, Func<OpInfo, IBackend, string> cell, bool wide, TextWriter stdout)
    {
        // Columns: category, origin and the backends are sized to their content; the C# name gets at most 20 columns
        // (longer names break before a capital letter); the signature takes the rest of the 100 columns and wraps
        // after its opening parenthesis and its commas. --wide: every cell on one line.
        int csW = Math.Max("C#".Length, ops.Max(o => o.CSharpName.Length + 2));
        if (!wide) csW = Math.Min(csW, 20);
        int catW = Math.Max("category".Length, ops.Max(o => o.Category.Length));
        const int originW = 6;
        // The onnx column: the lowering's kind in the 100-column table (op, sub, comp), the ONNX operator itself with --wide.
        string OnnxCell(OpInfo o) => wide ? Onnx(o) : OnnxShort(o);
        int onnxW = Math.Max("onnx".Length, ops.Max(o => OnnxCell(o).Length));
        var backendW = names.Select(n => Math.Max(6, n.Length)).ToList();
        int fixedW = csW + 2 + catW + 2 + originW + 2 + onnxW + 2 + backendW.Sum(w => w + 1) - 1;
        int sigW = wide ? Math.Max("Keras op".Length, ops.Max(o => o.Signature.Length)) : Math.Max(24, Width - fixedW - 2);

        void Rows(IReadOnlyList<string> sig, IReadOnlyList<string> cs, string cat, string origin, string onnx, IReadOnlyList<string> cells)
        {
            for (int line = 0; line < Math.Max(sig.Count, cs.Count); line++)
            {
                string Cell(IReadOnlyList<string> c) => line < c.Count ? c[line] : "";
                var first = line == 0 || line >= sig.Count ? Cell(sig) : "  " + Cell(sig);
                var text = $"{first.PadRight(sigW)}  {Cell(cs).PadRight(csW)}  ";
                if (line == 0) text += $"{cat.PadRight(catW)}  {origin.PadRight(originW)}  {onnx.PadRight(onnxW)}  " + string.Join(" ", cells.Select((c, i) => c.PadRight(backendW[i])));
                stdout.WriteLine(text.TrimEnd());
            }
        }

        Rows(["Keras op"], ["C#"], "category", "origin", "onnx", names);
        foreach (var op in ops)
            Rows(wide ? [op.Signature] : Wrap(op.Signature, sigW), wide ? ["K." + op.CSharpName] : BreakName("K." + op.CSharpName, csW),
                op.Category, op.Origin, OnnxCell(op), backends.Select(b => cell(op, b)).ToList());
        stdout.WriteLine();
        stdout.WriteLine($"{ops.Count} ops ({ops.Count(o => o.IsKernel)} kernels, {ops.Count(o => !o.IsKernel)} composites built on other ops).");
        foreach (var line in Legend()) foreach (var w in WrapWords(line, wide ? int.MaxValue : Width)) stdout.WriteLine(w);
    }

    /// <summary>Breaks a PascalCase name into lines of at most <paramref name="width"/> characters, before capital letters where it can.</summary>
    internal static List<string> BreakName(string name, int width)
    {
        var lines = new List<string>();
        while (name.Length > width)
        {
            int cut = width;
            for (int i = width; i > 2; i--)
                if (char.IsUpper(name[i])) { cut = i; break; }
            lines.Add(name[..cut]);
            name = name[cut..];
        }
        lines.Add(name);
        return lines;
    }

    /// <summary>The op's ONNX lowering for the onnx column: the ONNX op type, subgraph, composite (* = inexact on ONNX Runtime), or - when it has none.</summary>
    internal static string Onnx(OpInfo op) => KerasBackend.Onnx.OnnxExport.LoweringOf(op.Name) ?? "-";

    /// <summary>The onnx column of the 100-column table: op (one ONNX operator), sub (subgraph), comp (composite), - (none); * = inexact.</summary>
    internal static string OnnxShort(OpInfo op) => Onnx(op) switch
    {
        "-" => "-",
        "composite" => "comp",
        var d when d.StartsWith("subgraph", StringComparison.Ordinal) => "sub" + (d.EndsWith('*') ? "*" : ""),
        var d => "op" + (d.EndsWith('*') ? "*" : ""),
    };

    /// <summary>The legend under the table: what origin and the backend columns mean.</summary>
    internal static IEnumerable<string> Legend()
    {
        yield return "origin: " + string.Join("; ", Origins.Select(o => $"{o.Origin} = {o.Meaning}")) + ".";
        yield return "onnx: how the op lowers to ONNX (Spec/README.md, 'ONNX lowering'): op = one ONNX operator (--wide names it); sub = a subgraph of a few ONNX nodes; " +
                     "comp = a composite, through the ops of its definition; * = ONNX Runtime does not compute it exactly (the onnx backend runs its " +
                     "definition); - = no lowering yet (export refuses graphs that use it). Without lowering: " +
                     (KerasBackend.Onnx.OnnxExport.OpsWithoutLowering.Count == 0 ? "none." : string.Join(", ", KerasBackend.Onnx.OnnxExport.OpsWithoutLowering) + ".");
        yield return "backend columns: yes = the backend has the op's kernel; no = it lacks it (K raises for that op on this " +
                     "backend, kbackend check fails); shared = a composite built from other ops, the same code on every backend.";
        yield return "Signatures are Keras' (Python) with its defaults; in C# the op is K.<C# name> with the same parameters.";
    }

    /// <summary>
    /// Splits a signature into lines of at most <paramref name="width"/> characters (continuation lines, indented by two
    /// when printed, <paramref name="width"/> - 2), breaking after the opening parenthesis or after a top-level comma.
    /// </summary>
    internal static List<string> Wrap(string signature, int width)
    {
        // Pieces: "name(", then "p1,", "p2,", ..., "pn)"; a piece after "(" joins without a space.
        var pieces = new List<string>();
        int open = signature.IndexOf('(');
        if (open < 0) pieces.Add(signature);
        else
        {
            pieces.Add(signature[..(open + 1)]);
            int depth = 0, start = open + 1;
            for (int i = open; i < signature.Length; i++)
            {
                char c = signature[i];
                if (c is '(' or '[' or '{') depth++;
                else if (c is ')' or ']' or '}') depth--;
                else if (c == ',' && depth == 1) { pieces.Add(signature[start..(i + 1)]); start = i + 2; }
            }
            if (start < signature.Length) pieces.Add(signature[start..]);
        }
        var lines = new List<string>();
        var current = new System.Text.StringBuilder();
        int Limit() => lines.Count == 0 ? width : width - 2;
        for (int p = 0; p < pieces.Count; p++)
        {
            var sep = current.Length == 0 || current[^1] == '(' ? "" : " ";
            if (current.Length > 0 && current.Length + sep.Length + pieces[p].Length > Limit())
            {
                lines.Add(current.ToString());
                current.Clear();
                sep = "";
            }
            current.Append(sep).Append(pieces[p]);
            while (current.Length > Limit())
            {
                int cut = Limit();
                lines.Add(current.ToString(0, cut));
                current.Remove(0, cut);
            }
        }
        if (current.Length > 0 || lines.Count == 0) lines.Add(current.ToString());
        return lines;
    }

    /// <summary>Word-wraps prose to <paramref name="width"/> columns.</summary>
    internal static IEnumerable<string> WrapWords(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear().Append("  ");
            }
            if (line.Length > 0 && line.ToString() != "  ") line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }

    private static void WriteMarkdown(List<OpInfo> ops, List<string> names, List<IBackend> backends, Func<OpInfo, IBackend, string> cell, TextWriter stdout)
    {
        static string Esc(string s) => s.Replace("|", "\\|");
        stdout.WriteLine($"| Keras op | C# | category | origin | onnx | {string.Join(" | ", names.Select(Esc))} | summary |");
        stdout.WriteLine($"|---|---|---|---|---|{string.Concat(names.Select(_ => "---|"))}---|");
        foreach (var op in ops)
            stdout.WriteLine($"| `{Esc(op.Signature)}` | `K.{op.CSharpName}` | {op.Category} | {op.Origin} | {Esc(Onnx(op))} | " +
                             $"{string.Join(" | ", backends.Select(b => cell(op, b)))} | {Esc(op.Summary)} |");
        stdout.WriteLine();
        foreach (var line in Legend()) stdout.WriteLine(line + "\n");
    }

    private static string Json(List<OpInfo> ops, List<string> names, List<IBackend> backends, Func<OpInfo, IBackend, string> cell)
    {
        var o = new Dictionary<string, object?>
        {
            ["backends"] = names,
            ["origins"] = Origins.ToDictionary(x => x.Origin, x => x.Meaning),
            ["ops"] = ops.Select(op => new Dictionary<string, object?>
            {
                ["name"] = op.Name,
                ["csharp"] = "K." + op.CSharpName,
                ["signature"] = op.Signature,
                ["category"] = op.Category,
                ["origin"] = op.Origin,
                ["summary"] = op.Summary,
                ["kind"] = op.IsKernel ? "kernel" : "composite",
                ["differentiable"] = op.Differentiable,
                ["result"] = op.ResultType,
                ["params"] = op.Params.Select(p => new Dictionary<string, object?>
                {
                    ["name"] = p.Name, ["type"] = p.Type, ["default"] = p.Default, ["doc"] = p.Doc,
                }).ToList(),
                ["errors"] = op.Errors,
                ["shape_rule"] = op.ShapeRule,
                ["dtype_rule"] = op.DTypeRule,
                ["spec_file"] = op.SpecFile,
                ["kernel"] = op.IsKernel ? KernelSignature(op) : null,
                ["onnx"] = KerasBackend.Onnx.OnnxExport.LoweringOf(op.Name),
                ["implemented"] = names.Zip(backends).ToDictionary(p => p.First, p => cell(op, p.Second)),
            }).ToList(),
        };
        return JsonSerializer.Serialize(o);
    }

    /// <summary>The op's kernel in <see cref="IBackend"/> (what a backend author implements), as name, return type and C# parameters.</summary>
    internal static Dictionary<string, object?>? KernelSignature(OpInfo op)
    {
        var m = typeof(IBackend).GetMethod(op.CSharpName);
        if (m is null) return null;
        var nullability = new NullabilityInfoContext();
        return new Dictionary<string, object?>
        {
            ["name"] = m.Name,
            ["returns"] = CSharpType(m.ReturnType),
            ["params"] = m.GetParameters().Select(p => new Dictionary<string, object?>
            {
                ["name"] = p.Name,
                ["type"] = CSharpType(p.ParameterType) +
                           (!p.ParameterType.IsValueType && nullability.Create(p).WriteState == NullabilityState.Nullable ? "?" : ""),
            }).ToList(),
        };
    }

    /// <summary>A type as C# source names it in a file with <c>using KerasBackend;</c> and <c>using System.Collections.Generic;</c>.</summary>
    internal static string CSharpType(Type t)
    {
        if (Nullable.GetUnderlyingType(t) is { } u) return CSharpType(u) + "?";
        if (t.IsArray) return CSharpType(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (t.IsGenericType)
            return $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(CSharpType))}>";
        return Type.GetTypeCode(t) switch
        {
            TypeCode.Boolean => "bool", TypeCode.Int32 => "int", TypeCode.Int64 => "long", TypeCode.Single => "float",
            TypeCode.Double => "double", TypeCode.String => "string", TypeCode.Byte => "byte", TypeCode.Int16 => "short",
            _ => t == typeof(void) ? "void" : t == typeof(object) ? "object" : t.Name,
        };
    }

    private static int Missing(string? list, bool json, TextWriter stdout, TextWriter stderr)
    {
        string? text;
        string source;
        if (list is not null)
        {
            text = File.ReadAllText(list);
            source = list;
        }
        else
        {
            using var s = typeof(OpsCommand).Assembly.GetManifestResourceStream(Keras2ListResource);
            text = s is null ? null : new StreamReader(s).ReadToEnd();
            source = Keras2ListResource;
        }
        if (text is null)
        {
            stderr.WriteLine($"kbackend ops: this build has no list of Keras 2 backend functions ({Keras2ListResource}); pass one with --list FILE.");
            return 1;
        }
        var wanted = ParseList(text);
        var have = OpRegistry.All.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var missing = wanted.Where(n => !have.Contains(n)).ToList();
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["list"] = source, ["functions"] = wanted.Count, ["present"] = wanted.Count - missing.Count, ["missing"] = missing,
            }));
            return 0;
        }
        stdout.WriteLine($"{wanted.Count - missing.Count} of the {wanted.Count} Keras 2 backend functions ({source}) are in the registry; {missing.Count} missing:");
        if (missing.Count == 0) return 0;
        // Names in columns across the 100-column width.
        int w = missing.Max(n => n.Length) + 2, perLine = Math.Max(1, Width / w);
        for (int i = 0; i < missing.Count; i += perLine)
            stdout.WriteLine(string.Concat(missing.Skip(i).Take(perLine).Select(n => n.PadRight(w))).TrimEnd());
        return 0;
    }

    /// <summary>Names from a list file: the first word of each line (a <c>keras.backend.</c> or <c>K.</c> prefix dropped); blank lines and <c>#</c> comments are skipped; duplicates once.</summary>
    internal static List<string> ParseList(string text) =>
        text.Split('\n')
            .Select(l => (l.IndexOf('#') is var h && h >= 0 ? l[..h] : l).Trim())
            .Where(l => l.Length > 0)
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0])
            .Select(w => w[(w.LastIndexOf('.') + 1)..].TrimEnd('(', ')', ','))
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
