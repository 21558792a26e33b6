namespace KerasBackend;

/// <summary>Where a configuration value came from.</summary>
public enum ConfigSource { Default, File, Environment, Code }

/// <summary>
/// Process-wide Keras configuration: floatx, epsilon, image_data_format and the backend name, read once
/// from keras.json and KERAS_BACKEND (see <see cref="KerasConfigFile"/>) and changeable in code.
/// Reads are safe from any thread; setters are process-wide.
/// </summary>
public static class Config
{
    private static ConfigState? s_state;
    private static readonly Lock s_lock = new();

    /// <summary>The current configuration (loaded on first use).</summary>
    public static ConfigState Current
    {
        get
        {
            var s = Volatile.Read(ref s_state);
            if (s is not null) return s;
            lock (s_lock) return s_state ??= KerasConfigFile.Load(Environment.GetEnvironmentVariable, Console.Error);
        }
    }

    public static DType Floatx => Current.Floatx;
    public static double Epsilon => Current.Epsilon;
    public static string ImageDataFormat => Current.ImageDataFormat;

    internal static void Update(Func<ConfigState, ConfigState> change)
    {
        lock (s_lock) s_state = change(s_state ?? KerasConfigFile.Load(Environment.GetEnvironmentVariable, Console.Error));
    }

    /// <summary>Replaces the whole state (tests; reloading after KERAS_HOME changed).</summary>
    internal static void Reset(ConfigState? state = null)
    {
        lock (s_lock) s_state = state;
    }

    internal static void NoteBackendSetInCode(string name) =>
        Update(s => s with { Backend = name, Sources = s.Sources.SetItem("backend", ConfigSource.Code) });
}

/// <summary>An immutable snapshot of the configuration and where each value came from.</summary>
public sealed record ConfigState(
    DType Floatx,
    double Epsilon,
    string ImageDataFormat,
    string Backend,
    string? ConfigFile,
    System.Collections.Immutable.ImmutableDictionary<string, ConfigSource> Sources)
{
    public static ConfigState Defaults { get; } = new(DType.Float32, 1e-7, "channels_last", KerasBackend.Backend.Default, null,
        System.Collections.Immutable.ImmutableDictionary<string, ConfigSource>.Empty
            .Add("floatx", ConfigSource.Default).Add("epsilon", ConfigSource.Default)
            .Add("image_data_format", ConfigSource.Default).Add("backend", ConfigSource.Default));
}
