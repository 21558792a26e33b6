using System.Collections.Immutable;

namespace KerasBackend;

/// <summary>Where a configuration value came from.</summary>
public enum ConfigSource { Default, File, Environment, Code }

/// <summary>
/// Process-wide Keras configuration: floatx, epsilon, image_data_format and the backend name, read once
/// from keras.json and KERAS_BACKEND (see <see cref="KerasConfigFile"/>) and changeable in code.
/// </summary>
/// <remarks>
/// Thread safety: the state is one immutable <see cref="ConfigState"/> swapped atomically, so reads from any
/// thread see a consistent snapshot. The setters here (<see cref="SetFloatx(string)"/>, <see cref="SetEpsilon"/>,
/// <see cref="SetImageDataFormat"/>) are process-wide, as in Keras; the scoped settings are
/// <see cref="Backend.Use(string)"/>, <see cref="Session.LearningPhaseScope"/> and the symbolic/eager scopes.
/// </remarks>
public static class Config
{
    private static ConfigState? s_state;
    private static readonly Lock s_lock = new();

    /// <summary>Floatx values keras.json and <see cref="SetFloatx(string)"/> accept.</summary>
    public static IReadOnlyList<string> FloatxValues { get; } = ["float16", "float32", "float64"];

    /// <summary>image_data_format values keras.json and <see cref="SetImageDataFormat"/> accept.</summary>
    public static IReadOnlyList<string> ImageDataFormats { get; } = ["channels_last", "channels_first"];

    /// <summary>The current configuration (loaded on first use from keras.json and the environment).</summary>
    public static ConfigState Current
    {
        get
        {
            var s = Volatile.Read(ref s_state);
            if (s is not null) return s;
            lock (s_lock) return s_state ??= KerasConfigFile.Load(ConfigEnvironment.Process);
        }
    }

    /// <summary>The default float dtype (Keras <c>floatx()</c>).</summary>
    public static DType Floatx => Current.Floatx;
    /// <summary>The fuzz factor (Keras <c>epsilon()</c>).</summary>
    public static double Epsilon => Current.Epsilon;
    /// <summary><c>channels_last</c> or <c>channels_first</c> (Keras <c>image_data_format()</c>).</summary>
    public static string ImageDataFormat => Current.ImageDataFormat;

    /// <summary>Sets floatx process-wide. Accepts float16, float32, float64; anything else is a ValueError and leaves floatx unchanged.</summary>
    public static void SetFloatx(string value)
    {
        if (value is null || !FloatxValues.Contains(value))
            throw new KerasValueException("set_floatx", "value",
                $"Unknown `floatx` value: {PyText.Repr(value)}. Expected one of {PyText.Set(FloatxValues)}");
        var d = DTypes.Parse(value);
        Update(s => s with { Floatx = d, Sources = s.Sources.SetItem("floatx", ConfigSource.Code) });
    }

    /// <inheritdoc cref="SetFloatx(string)"/>
    public static void SetFloatx(DType value) => SetFloatx(value.Name());

    /// <summary>Sets epsilon process-wide. Keras does not validate it; we reject NaN, infinities and negative values (a ValueError).</summary>
    public static void SetEpsilon(double value)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new KerasValueException("set_epsilon", "value",
                $"`epsilon` must be a finite, non-negative number. Received: value={PyText.Float(value)}");
        Update(s => s with { Epsilon = value, Sources = s.Sources.SetItem("epsilon", ConfigSource.Code) });
    }

    /// <summary>Sets image_data_format process-wide; the value is lower-cased first, as in Keras 3.</summary>
    public static void SetImageDataFormat(string dataFormat)
    {
        var v = dataFormat?.ToLowerInvariant();
        if (v is null || !ImageDataFormats.Contains(v))
            throw new KerasValueException("set_image_data_format", "data_format",
                $"The `data_format` argument must be one of {PyText.Set(["channels_first", "channels_last"])}. Received: data_format={PyText.Repr(dataFormat)}");
        Update(s => s with { ImageDataFormat = v, Sources = s.Sources.SetItem("image_data_format", ConfigSource.Code) });
    }

    internal static void Update(Func<ConfigState, ConfigState> change)
    {
        lock (s_lock) Volatile.Write(ref s_state, change(s_state ?? KerasConfigFile.Load(ConfigEnvironment.Process)));
    }

    /// <summary>Replaces the whole state; null reloads from keras.json and the environment on next use (tests, a changed KERAS_HOME).</summary>
    internal static void Reset(ConfigState? state = null)
    {
        lock (s_lock) Volatile.Write(ref s_state, state);
    }

    internal static void NoteBackendSetInCode(string name) =>
        Update(s => s with { Backend = name, Sources = s.Sources.SetItem("backend", ConfigSource.Code) });
}

/// <summary>An immutable snapshot of the configuration and where each value came from.</summary>
/// <param name="Floatx">Default float dtype.</param>
/// <param name="Epsilon">Fuzz factor.</param>
/// <param name="ImageDataFormat"><c>channels_last</c> or <c>channels_first</c>.</param>
/// <param name="Backend">The backend name as configured (a built-in, a Python-only name, or an external reference).</param>
/// <param name="ConfigFile">The keras.json path that was consulted (it may not exist), or null.</param>
/// <param name="Sources">Where each of <c>floatx</c>, <c>epsilon</c>, <c>image_data_format</c>, <c>backend</c> came from.</param>
public sealed record ConfigState(
    DType Floatx,
    double Epsilon,
    string ImageDataFormat,
    string Backend,
    string? ConfigFile,
    ImmutableDictionary<string, ConfigSource> Sources)
{
    /// <summary>Keras' defaults (floatx float32, epsilon 1e-7, channels_last) with our default backend <c>cpu</c>.</summary>
    public static ConfigState Defaults { get; } = new(DType.Float32, 1e-7, "channels_last", KerasBackend.Backend.Default, null,
        ImmutableDictionary<string, ConfigSource>.Empty
            .Add("floatx", ConfigSource.Default).Add("epsilon", ConfigSource.Default)
            .Add("image_data_format", ConfigSource.Default).Add("backend", ConfigSource.Default));

    /// <summary>Where <paramref name="key"/> came from (<c>default</c>, <c>file</c>, <c>environment</c>, <c>code</c>).</summary>
    public string SourceOf(string key) =>
        (Sources.TryGetValue(key, out var s) ? s : ConfigSource.Default).ToString().ToLowerInvariant();

    /// <summary>Epsilon printed as Python prints it (<c>1e-07</c>).</summary>
    public string EpsilonText => PyText.Float(Epsilon);
}

/// <summary>Warnings printed once per process (keyed by their text), to stderr unless redirected (tests).</summary>
internal static class Warnings
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> s_seen = new();

    /// <summary>Where warnings go; stderr by default.</summary>
    internal static TextWriter Writer { get; set; } = Console.Error;

    /// <summary>Writes <paramref name="message"/> unless the same key was already warned about.</summary>
    public static void Once(string key, string message)
    {
        if (s_seen.TryAdd(key, 0)) Writer.WriteLine("KerasBackend: warning: " + message);
    }

    internal static void Reset() => s_seen.Clear();
}
