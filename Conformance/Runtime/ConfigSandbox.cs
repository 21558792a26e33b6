using System.Runtime.CompilerServices;

namespace KerasBackend.Conformance.Runtime;

/// <summary>Tests that change process-wide configuration run one at a time, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConfigCollection
{
    public const string Name = "Process-wide configuration";
}

/// <summary>Keeps the test process away from the machine's real ~/.keras: the suite gets its own KERAS_HOME.</summary>
internal static class TestEnvironment
{
#pragma warning disable CA2255 // a test assembly is the one place a module initializer belongs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseTemporaryKerasHome()
    {
        // A KERAS_HOME chosen by the caller (CI selecting a backend through keras.json) is respected.
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KERAS_HOME"))) return;
        var home = Directory.CreateTempSubdirectory("kb-test-home-").FullName;
        Environment.SetEnvironmentVariable("KERAS_HOME", home);
        // The folder (and the keras.json the runtime writes there) goes with the test process.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
    }
}

/// <summary>
/// A temporary folder, an injected environment (variables, home folder, writability) and captured warnings.
/// Disposing restores the configuration, the process-wide backend, the session and the warning state.
/// </summary>
internal sealed class ConfigSandbox : IDisposable
{
    private readonly ConfigState _saved = Config.Current;

    public ConfigSandbox()
    {
        Root = Directory.CreateTempSubdirectory("kb-config-").FullName;
        KerasBackend.Warnings.Reset();
        KerasBackend.Warnings.Writer = Warnings;
    }

    public string Root { get; }
    public Dictionary<string, string?> Env { get; } = new();
    public StringWriter Warnings { get; } = new();
    public string Home => Path.Combine(Root, "home");
    public string Tmp => Path.Combine(Root, "tmp");
    public bool HomeWritable { get; set; } = true;

    /// <summary>KERAS_HOME inside the sandbox (not created).</summary>
    public string KerasHome(string name = "kh")
    {
        var d = Path.Combine(Root, name);
        Env["KERAS_HOME"] = d;
        return d;
    }

    /// <summary>Writes keras.json into a sandbox KERAS_HOME and returns its path.</summary>
    public string WriteConfig(string json, string name = "kh")
    {
        var dir = KerasHome(name);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "keras.json");
        File.WriteAllText(path, json);
        return path;
    }

    public ConfigEnvironment Environment() => new(
        k => Env.GetValueOrDefault(k), Home, Tmp, _ => HomeWritable, KerasBackend.Warnings.Once);

    public ConfigState Load() => KerasConfigFile.Load(Environment());

    /// <summary>Loads the sandbox configuration and makes it the process's, with the backend resolved again from it.</summary>
    public ConfigState Activate()
    {
        var s = Load();
        Config.Reset(s);
        Backend.Reset();
        return s;
    }

    public void Dispose()
    {
        Config.Reset(_saved);
        Backend.Reset();
        Session.ClearSession(freeMemory: false);
        KerasBackend.Warnings.Writer = Console.Error;
        KerasBackend.Warnings.Reset();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
