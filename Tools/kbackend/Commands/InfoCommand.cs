namespace KerasBackend.Tool.Commands;

/// <summary><c>kbackend info</c>: the active configuration and where each value came from.</summary>
internal sealed class InfoCommand : ICommand
{
    public string Name => "info";
    public string Summary => "show the active backend, floatx, epsilon, image_data_format and where each came from";
    public string Usage => "usage: kbackend info [--json]";

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        bool json = args.Contains("--json");
        var c = Config.Current;
        var backend = Backend.CurrentName;
        if (json)
        {
            var o = new Dictionary<string, object?>
            {
                ["backend"] = backend,
                ["floatx"] = c.Floatx.Name(),
                ["epsilon"] = c.Epsilon,
                ["image_data_format"] = c.ImageDataFormat,
                ["config_file"] = c.ConfigFile,
                ["sources"] = c.Sources.ToDictionary(kv => kv.Key, kv => kv.Value.ToString().ToLowerInvariant()),
                ["available_backends"] = Backend.BuiltIn,
            };
            stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(o));
            return 0;
        }
        string Src(string key) => c.Sources.TryGetValue(key, out var s) ? s.ToString().ToLowerInvariant() : "default";
        stdout.WriteLine($"backend            {backend,-22} ({Src("backend")})");
        stdout.WriteLine($"floatx             {c.Floatx.Name(),-22} ({Src("floatx")})");
        stdout.WriteLine($"epsilon            {c.Epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture),-22} ({Src("epsilon")})");
        stdout.WriteLine($"image_data_format  {c.ImageDataFormat,-22} ({Src("image_data_format")})");
        stdout.WriteLine($"config file        {c.ConfigFile ?? "(none)"}");
        stdout.WriteLine($"available backends {string.Join(", ", Backend.BuiltIn)}, or AssemblyPathOrName:Namespace.Type");
        return 0;
    }
}
