using System.Runtime.InteropServices;
using System.Text.Json;

namespace KerasBackend;

/// <summary>
/// What the configuration loader reads from the machine: environment variables, the home folder, the
/// fallback folder, a writability test and where warnings go. Tests inject their own; the process uses
/// <see cref="Process"/>.
/// </summary>
internal sealed record ConfigEnvironment(
    Func<string, string?> GetEnv,
    string? UserHome,
    string TempDir,
    Func<string, bool> IsWritable,
    Action<string, string> Warn)
{
    /// <summary>How long reading keras.json may take before it is given up (a named pipe with no writer blocks forever).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The real environment: process variables, the user's profile folder, <c>/tmp</c> (the temp folder on Windows), stderr warnings once per process.</summary>
    public static ConfigEnvironment Process { get; } = new(
        Environment.GetEnvironmentVariable,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp",
        Writable.Check,
        Warnings.Once);
}

/// <summary>
/// Reads keras.json and KERAS_BACKEND the way Keras does, with better errors:
/// <list type="number">
/// <item>Folder: <c>$KERAS_HOME</c> as given when set and non-empty; else <c>~/.keras</c> (<c>%USERPROFILE%\.keras</c>),
/// or <c>/tmp/.keras</c> when the home folder is not writable.</item>
/// <item>An existing file is read and never rewritten; keys we do not know are ignored (and so kept).
/// Malformed JSON warns once (file, line, column) and runs on the defaults. Invalid values are a
/// <see cref="KerasConfigException"/> naming the file, every invalid field, the value and the allowed values.</item>
/// <item>A missing file is created with the defaults (floatx, epsilon, image_data_format). The <c>backend</c> key is
/// left out on purpose: Python Keras shares the file and cannot import <c>cpu</c>; without the key each side uses its
/// own default. When the folder or file cannot be created we run on the defaults without failing.</item>
/// <item>A non-empty <c>KERAS_BACKEND</c> overrides the file's backend.</item>
/// </list>
/// </summary>
public static class KerasConfigFile
{
    /// <summary>The text written to a new keras.json (Python's <c>json.dumps(indent=4)</c> layout).</summary>
    internal const string DefaultFileText = "{\n    \"floatx\": \"float32\",\n    \"epsilon\": 1e-07,\n    \"image_data_format\": \"channels_last\"\n}";

    /// <summary>The folder keras.json lives in, by Keras' rules.</summary>
    internal static string KerasDir(ConfigEnvironment env)
    {
        var home = env.GetEnv("KERAS_HOME");
        if (!string.IsNullOrEmpty(home)) return home;
        var baseDir = env.UserHome;
        if (string.IsNullOrEmpty(baseDir) || !env.IsWritable(baseDir)) baseDir = env.TempDir;
        return Path.Combine(baseDir, ".keras");
    }

    /// <summary>Loads the configuration from the process environment.</summary>
    public static ConfigState Load() => Load(ConfigEnvironment.Process);

    internal static ConfigState Load(ConfigEnvironment env)
    {
        var dir = KerasDir(env);
        var path = Path.Combine(dir, "keras.json");
        var state = ConfigState.Defaults with { ConfigFile = path };
        if (File.Exists(path)) state = Read(path, state, env);
        else Create(dir, path);

        var fromEnv = env.GetEnv("KERAS_BACKEND");
        if (!string.IsNullOrEmpty(fromEnv))
            state = state with { Backend = fromEnv, Sources = state.Sources.SetItem("backend", ConfigSource.Environment) };
        return state;
    }

    /// <summary>The largest keras.json read (1 MiB; Keras' own file is about 100 bytes). A larger file warns and runs on the defaults.</summary>
    internal const int MaxFileBytes = 1 << 20;

    private static ConfigState Read(string path, ConfigState state, ConfigEnvironment env)
    {
        // Only a regular file of at most MaxFileBytes, read within env.ReadTimeout: a link to an endless device
        // (/dev/zero) stops at the cap, a named pipe without a writer (open blocks) is abandoned on its own thread.
        var read = Task.Factory.StartNew(() => ReadCapped(path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        string? text, problem;
        if (read.Wait(env.ReadTimeout)) (text, problem) = read.Result;
        else (text, problem) = (null, $"it could not be read within {env.ReadTimeout.TotalSeconds:0.###} s (a named pipe or a device, not a regular file?)");
        if (text is null)
        {
            env.Warn("read:" + path, $"{path} was not read: {problem}; using the defaults. The file was left unchanged.");
            return state;
        }

        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e)
        {
            env.Warn("json:" + path,
                $"{path} is not valid JSON (line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}: {Reason(e)}); " +
                "using the defaults. The file was left unchanged.");
            return state;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                env.Warn("json:" + path, $"{path} does not hold a JSON object (found {root.ValueKind.ToString().ToLowerInvariant()}); using the defaults. The file was left unchanged.");
                return state;
            }

            // Every invalid field is reported at once, so one edit of the file fixes them all.
            var problems = new List<string>();
            if (root.TryGetProperty("floatx", out var fx))
            {
                if (fx.ValueKind == JsonValueKind.String && Config.FloatxValues.Contains(fx.GetString()!))
                    state = state with { Floatx = DTypes.Parse(fx.GetString()!), Sources = state.Sources.SetItem("floatx", ConfigSource.File) };
                else
                    problems.Add($"Invalid `floatx` configuration. Expected one of {PyText.Set(Config.FloatxValues)}. Received: floatx={PyText.Json(fx)}");
            }
            if (root.TryGetProperty("epsilon", out var ep))
            {
                if (ep.ValueKind == JsonValueKind.Number && ep.TryGetDouble(out var e) && double.IsFinite(e) && e >= 0)
                    state = state with { Epsilon = e, Sources = state.Sources.SetItem("epsilon", ConfigSource.File) };
                else
                    problems.Add($"Invalid `epsilon` configuration. Expected a non-negative float. Received: epsilon={PyText.Json(ep)}");
            }
            if (root.TryGetProperty("image_data_format", out var idf))
            {
                if (idf.ValueKind == JsonValueKind.String && Config.ImageDataFormats.Contains(idf.GetString()!))
                    state = state with { ImageDataFormat = idf.GetString()!, Sources = state.Sources.SetItem("image_data_format", ConfigSource.File) };
                else
                    problems.Add($"Invalid `image_data_format` configuration. Expected one of {PyText.Set(Config.ImageDataFormats)}. Received: image_data_format={PyText.Json(idf)}");
            }
            if (root.TryGetProperty("backend", out var be))
            {
                if (be.ValueKind == JsonValueKind.String)
                    state = state with { Backend = be.GetString()!, Sources = state.Sources.SetItem("backend", ConfigSource.File) };
                else
                    problems.Add($"Invalid `backend` configuration. Expected a string: {string.Join(", ", Backend.BuiltIn.Select(PyText.Repr))} or 'AssemblyPathOrName:Namespace.Type'. Received: backend={PyText.Json(be)}");
            }
            if (problems.Count > 0)
                throw new KerasConfigException($"{path}: " + string.Join("\n" + path + ": ", problems) +
                    "\nFix the file (it was left unchanged), or point KERAS_HOME at another folder.");
            return state;
        }
    }

    /// <summary>The file's text, or null and why not: not seekable (a pipe, socket or terminal), larger than <see cref="MaxFileBytes"/>, unreadable.</summary>
    private static (string? Text, string? Problem) ReadCapped(string path)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            if (!f.CanSeek) return (null, "it is not a regular file (a pipe, socket or terminal)");
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (buffer.Length <= MaxFileBytes)
            {
                int n = f.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxFileBytes + 1 - buffer.Length));
                if (n == 0) break;
                buffer.Write(chunk, 0, n);
            }
            if (buffer.Length > MaxFileBytes) return (null, $"it is larger than {MaxFileBytes} bytes (or an endless device)");
            buffer.Position = 0;
            using var reader = new StreamReader(buffer, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return (reader.ReadToEnd(), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return (null, $"it could not be read ({e.Message})");
        }
    }

    /// <summary>Python's json error names the problem first; System.Text.Json appends the position, which we print ourselves.</summary>
    private static string Reason(JsonException e)
    {
        var m = e.Message;
        int cut = m.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0) cut = m.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (cut > 0 ? m[..cut] : m).TrimEnd('.', ' ');
    }

    private static void Create(string dir, string path)
    {
        try
        {
            Directory.CreateDirectory(dir);
            // CreateNew: another process that wrote the file first wins, and its file is never overwritten.
            using var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            using var w = new StreamWriter(f, new System.Text.UTF8Encoding(false));
            w.Write(DefaultFileText);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            // As in Keras: a read-only home, a race or a bad path only means running on the defaults.
        }
    }
}

/// <summary>Whether the current user may write into a folder (Python's <c>os.access(path, os.W_OK)</c>).</summary>
internal static partial class Writable
{
    private const int W_OK = 2;

    [DllImport("libc", EntryPoint = "access", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int Access(string path, int mode);

    public static bool Check(string dir)
    {
        if (!Directory.Exists(dir)) return false;
        if (!OperatingSystem.IsWindows())
        {
            try { return Access(dir, W_OK) == 0; }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        return !new DirectoryInfo(dir).Attributes.HasFlag(FileAttributes.ReadOnly);
    }
}
