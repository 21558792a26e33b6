using System.Globalization;
using System.Text.Json;

namespace KerasBackend.Tool.Commands;

/// <summary><c>kbackend info</c>: the active configuration and where each value came from.</summary>
internal sealed class InfoCommand : ICommand
{
    public string Name => "info";
    public string Summary => "show the active backend, floatx, epsilon, image_data_format and where each came from";
    public string Usage => "usage: kbackend info [--json]";

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.FirstOrDefault(a => a != "--json") is { } unknown)
        {
            stderr.WriteLine($"kbackend info: unknown argument '{unknown}'. {Usage}");
            return 2;
        }
        bool json = args.Contains("--json");
        ConfigState c;
        string backend;
        try
        {
            c = Config.Current;
            backend = Backend.CurrentName;
        }
        catch (KerasConfigException e)
        {
            // A broken configuration is exactly what people run `info` to diagnose: show the error, fail cleanly.
            if (json) stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?> { ["error"] = e.Message }));
            else stderr.WriteLine("kbackend info: " + e.Message);
            return 1;
        }
        var sources = new[] { "backend", "floatx", "epsilon", "image_data_format" }.ToDictionary(k => k, c.SourceOf);
        // A Python-only name was replaced by the default: say so, since the configured value is not what runs.
        bool replaced = Backend.PythonOnly.Contains(c.Backend) && backend != c.Backend;
        var backendSource = replaced ? $"{sources["backend"]}: '{c.Backend}' is Python-only" : sources["backend"];
        bool fileExists = c.ConfigFile is not null && File.Exists(c.ConfigFile);
        if (json)
        {
            var o = new Dictionary<string, object?>
            {
                ["backend"] = backend,
                ["backend_configured"] = c.Backend,
                ["floatx"] = c.Floatx.Name(),
                ["epsilon"] = c.Epsilon,
                ["image_data_format"] = c.ImageDataFormat,
                ["config_file"] = c.ConfigFile,
                ["config_file_exists"] = fileExists,
                ["keras_backend_env"] = Environment.GetEnvironmentVariable("KERAS_BACKEND"),
                ["sources"] = sources,
                ["learning_phase"] = Session.LearningPhase,
                ["available_backends"] = Backend.BuiltIn.Concat(Backend.Optional).ToArray(),
            };
            stdout.WriteLine(JsonSerializer.Serialize(o));
            return 0;
        }
        stdout.WriteLine($"backend            {backend,-24} ({backendSource})");
        stdout.WriteLine($"floatx             {c.Floatx.Name(),-24} ({sources["floatx"]})");
        stdout.WriteLine($"epsilon            {c.EpsilonText,-24} ({sources["epsilon"]})");
        stdout.WriteLine($"image_data_format  {c.ImageDataFormat,-24} ({sources["image_data_format"]})");
        stdout.WriteLine($"learning_phase     {Session.LearningPhase.ToString(CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"config file        {c.ConfigFile ?? "(none)"}{(c.ConfigFile is null ? "" : fileExists ? "" : " (missing)")}");
        var env = Environment.GetEnvironmentVariable("KERAS_BACKEND");
        stdout.WriteLine($"KERAS_BACKEND      {(string.IsNullOrEmpty(env) ? "(not set)" : env)}");
        stdout.WriteLine($"available backends {string.Join(", ", Backend.BuiltIn)}, {string.Join(", ", Backend.Optional)} (with KerasBackend.OnnxRuntime), or AssemblyPathOrName:Namespace.Type");
        return 0;
    }
}
