using System.Text.Json;

namespace KerasBackend;

/// <summary>Reads keras.json and KERAS_BACKEND the way Keras does (see Spec/README.md, "Configuration").</summary>
public static class KerasConfigFile
{
    /// <summary>Loads the configuration. <paramref name="getEnv"/> reads environment variables; warnings go to <paramref name="warnings"/>.</summary>
    public static ConfigState Load(Func<string, string?> getEnv, TextWriter warnings)
    {
        var state = ConfigState.Defaults;
        var dir = getEnv("KERAS_HOME");
        if (string.IsNullOrEmpty(dir))
            dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".keras");
        var path = Path.Combine(dir, "keras.json");
        state = state with { ConfigFile = path };
        if (File.Exists(path))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                var root = doc.RootElement;
                if (root.TryGetProperty("floatx", out var fx))
                    state = state with { Floatx = DTypes.Parse(fx.GetString() ?? ""), Sources = state.Sources.SetItem("floatx", ConfigSource.File) };
                if (root.TryGetProperty("epsilon", out var ep))
                    state = state with { Epsilon = ep.GetDouble(), Sources = state.Sources.SetItem("epsilon", ConfigSource.File) };
                if (root.TryGetProperty("image_data_format", out var idf))
                    state = state with { ImageDataFormat = idf.GetString() ?? "channels_last", Sources = state.Sources.SetItem("image_data_format", ConfigSource.File) };
                if (root.TryGetProperty("backend", out var be))
                    state = state with { Backend = be.GetString() ?? Backend.Default, Sources = state.Sources.SetItem("backend", ConfigSource.File) };
            }
            catch (JsonException e)
            {
                warnings.WriteLine($"KerasBackend: warning: {path} is not valid JSON ({e.Message}); using the defaults. The file was left unchanged.");
            }
        }
        var env = getEnv("KERAS_BACKEND");
        if (!string.IsNullOrEmpty(env))
            state = state with { Backend = env, Sources = state.Sources.SetItem("backend", ConfigSource.Environment) };
        return state;
    }
}
