using System.IO.Compression;
using System.Text.Json;

namespace KerasBackend.Cases;

/// <summary>
/// One case of a conformance file (format <c>kerasbackend-cases/1</c>, see the README's "Checking a backend"):
/// an op call by Keras name and the expected result or error kind. The JSON of the inputs, args and expectation
/// is kept as is; <see cref="CaseRunner"/> interprets it, so a malformed case fails when it runs instead of
/// hiding the rest of the file.
/// </summary>
/// <param name="Id">Unique id within its file (<c>dot/nd/3</c>).</param>
/// <param name="Op">Keras (snake_case) op name.</param>
/// <param name="Inputs">Tensor arguments by Keras parameter name (a TENSOR object or a JSON list of them).</param>
/// <param name="Args">Every other argument by Keras parameter name.</param>
/// <param name="Expect">The expected TENSOR (or list of TENSORs), or null when an error is expected.</param>
/// <param name="ExpectError">The expected Keras error kind (ValueError, TypeError, IndexError), or null.</param>
/// <param name="Rtol">Relative tolerance for floating results (0: exact).</param>
/// <param name="Atol">Absolute tolerance for floating results (0: exact).</param>
/// <param name="Note">Free text from the file.</param>
/// <param name="Source">The file (or resource) the case came from.</param>
/// <param name="Problem">Why the case could not be read, or null; such a case always fails.</param>
public sealed record Case(
    string Id,
    string Op,
    IReadOnlyDictionary<string, JsonElement> Inputs,
    IReadOnlyDictionary<string, JsonElement> Args,
    JsonElement? Expect,
    string? ExpectError,
    double Rtol,
    double Atol,
    string? Note,
    string Source,
    string? Problem = null);

/// <summary>A conformance case file: any file in the <c>kerasbackend-cases/1</c> format, gzip-compressed or not.</summary>
public sealed class CaseFile
{
    /// <summary>The format string every case file declares.</summary>
    public const string Format = "kerasbackend-cases/1";

    /// <summary>Where the file came from (a path or a resource name).</summary>
    public string Path { get; }

    /// <summary>The file's free-text <c>source</c> field (what made it).</summary>
    public string Source { get; }

    /// <summary>The cases, in file order.</summary>
    public IReadOnlyList<Case> Cases { get; }

    private CaseFile(string path, string source, IReadOnlyList<Case> cases) => (Path, Source, Cases) = (path, source, cases);

    /// <summary>Reads a case file from disk; <c>.gz</c> content is detected by its magic bytes, not its name.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON or not in the case format.</exception>
    public static CaseFile Load(string path)
    {
        using var s = File.OpenRead(path);
        return Read(s, path);
    }

    /// <summary>Reads a case file from a stream (gzip or plain UTF-8 JSON).</summary>
    /// <exception cref="InvalidDataException">The content is not JSON or not in the case format.</exception>
    public static CaseFile Read(Stream stream, string name)
    {
        var bytes = ReadAll(stream);
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            bytes = ReadAll(gz);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var fmt) || fmt.ValueKind != JsonValueKind.String || fmt.GetString() != Format)
                throw new InvalidDataException($"{name}: not a case file: the top-level object must have \"format\": \"{Format}\".");
            if (!root.TryGetProperty("cases", out var arr) || arr.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{name}: a case file needs a \"cases\" array.");
            string source = root.TryGetProperty("source", out var src) && src.ValueKind == JsonValueKind.String ? src.GetString()! : "";
            var cases = new List<Case>();
            int i = 0;
            foreach (var c in arr.EnumerateArray()) cases.Add(ParseCase(c.Clone(), name, i++));
            return new CaseFile(name, source, cases);
        }
    }

    private static byte[] ReadAll(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static Case ParseCase(JsonElement c, string file, int index)
    {
        static IReadOnlyDictionary<string, JsonElement> Members(JsonElement c, string key)
        {
            var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (c.TryGetProperty(key, out var o) && o.ValueKind == JsonValueKind.Object)
                foreach (var p in o.EnumerateObject()) d[p.Name] = p.Value;
            return d;
        }
        static string? Str(JsonElement c, string key) =>
            c.ValueKind == JsonValueKind.Object && c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        static double Num(JsonElement c, string key) =>
            c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

        string id = Str(c, "id") ?? $"#{index}";
        string op = Str(c, "op") ?? "";
        if (c.ValueKind != JsonValueKind.Object)
            return Broken(id, op, file, $"case #{index} is not a JSON object");
        if (op.Length == 0)
            return Broken(id, op, file, "the case has no \"op\"");
        JsonElement? expect = c.TryGetProperty("expect", out var e) ? e : null;
        string? error = Str(c, "expect_error");
        string? problem = (expect, error) switch
        {
            (null, null) => "the case has neither \"expect\" nor \"expect_error\"",
            ({ }, { }) => "the case has both \"expect\" and \"expect_error\"",
            _ => null,
        };
        if (c.TryGetProperty("inputs", out var ins) && ins.ValueKind != JsonValueKind.Object) problem ??= "\"inputs\" must be an object";
        if (c.TryGetProperty("args", out var args) && args.ValueKind != JsonValueKind.Object) problem ??= "\"args\" must be an object";
        return new Case(id, op, Members(c, "inputs"), Members(c, "args"), expect, error, Num(c, "rtol"), Num(c, "atol"), Str(c, "note"), file, problem);
    }

    private static Case Broken(string id, string op, string file, string problem) =>
        new(id, op, new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), null, null, 0, 0, null, file, problem);
}
