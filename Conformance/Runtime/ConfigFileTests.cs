using System.Text.Json;

namespace KerasBackend.Conformance.Runtime;

/// <summary>keras.json and KERAS_BACKEND: location, creation, reading, validation, precedence.</summary>
[Collection(ConfigCollection.Name)]
public sealed class ConfigFileTests : IDisposable
{
    private readonly ConfigSandbox _box = new();

    public void Dispose() => _box.Dispose();

    [Fact]
    public void Missing_file_is_created_with_the_defaults_in_KERAS_HOME_as_given()
    {
        var dir = _box.KerasHome("given/as/is");
        var s = _box.Load();

        var path = Path.Combine(dir, "keras.json");   // no ".keras" appended to KERAS_HOME
        Assert.Equal(path, s.ConfigFile);
        Assert.True(File.Exists(path));
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("float32", doc.RootElement.GetProperty("floatx").GetString());
        Assert.Equal(1e-7, doc.RootElement.GetProperty("epsilon").GetDouble());
        Assert.Equal("channels_last", doc.RootElement.GetProperty("image_data_format").GetString());
        // No backend key: Python Keras shares the file and cannot import "cpu"; each side uses its own default.
        Assert.False(doc.RootElement.TryGetProperty("backend", out _));
        Assert.Contains("\"epsilon\": 1e-07", File.ReadAllText(path));

        Assert.Equal(DType.Float32, s.Floatx);
        Assert.Equal(1e-7, s.Epsilon);
        Assert.Equal("channels_last", s.ImageDataFormat);
        Assert.Equal("cpu", s.Backend);
        Assert.All(["floatx", "epsilon", "image_data_format", "backend"], k => Assert.Equal("default", s.SourceOf(k)));
        Assert.Equal("", _box.Warnings.ToString());
    }

    [Fact]
    public void Without_KERAS_HOME_the_folder_is_dot_keras_in_the_home_folder()
    {
        Directory.CreateDirectory(_box.Home);
        var s = _box.Load();
        Assert.Equal(Path.Combine(_box.Home, ".keras", "keras.json"), s.ConfigFile);
        Assert.True(File.Exists(s.ConfigFile));
    }

    [Fact]
    public void An_empty_KERAS_HOME_counts_as_unset()
    {
        _box.Env["KERAS_HOME"] = "";
        Directory.CreateDirectory(_box.Home);
        Assert.Equal(Path.Combine(_box.Home, ".keras", "keras.json"), _box.Load().ConfigFile);
    }

    [Fact]
    public void A_home_folder_that_is_not_writable_falls_back_to_tmp()
    {
        Directory.CreateDirectory(_box.Home);
        _box.HomeWritable = false;
        var s = _box.Load();
        Assert.Equal(Path.Combine(_box.Tmp, ".keras", "keras.json"), s.ConfigFile);
        Assert.True(File.Exists(s.ConfigFile));
        Assert.False(Directory.Exists(Path.Combine(_box.Home, ".keras")));
    }

    [Fact]
    public void The_writability_probe_sees_real_folders()
    {
        Assert.True(Writable.Check(_box.Root));
        Assert.False(Writable.Check(Path.Combine(_box.Root, "does-not-exist")));
    }

    [Fact]
    public void When_the_file_cannot_be_created_the_defaults_are_used_without_failing()
    {
        // A regular file where the folder should be: neither the folder nor keras.json can be made.
        var blocker = Path.Combine(_box.Root, "blocker");
        File.WriteAllText(blocker, "not a folder");
        _box.Env["KERAS_HOME"] = Path.Combine(blocker, "sub");
        var s = _box.Load();
        Assert.Equal(ConfigState.Defaults with { ConfigFile = s.ConfigFile }, s);
        Assert.Equal("not a folder", File.ReadAllText(blocker));
        Assert.Equal("", _box.Warnings.ToString());
    }

    [Fact]
    public void An_existing_file_is_read_and_never_rewritten_and_unknown_keys_are_kept()
    {
        const string text = "{\"floatx\": \"float64\", \"epsilon\": 0.001, \"image_data_format\": \"channels_first\",\n \"backend\": \"numpy\", \"nnx_enabled\": false, \"my_key\": [1, 2]}";
        var path = _box.WriteConfig(text);
        var stamp = File.GetLastWriteTimeUtc(path);

        var s = _box.Activate();
        Assert.Equal(DType.Float64, s.Floatx);
        Assert.Equal(0.001, s.Epsilon);
        Assert.Equal("channels_first", s.ImageDataFormat);
        Assert.Equal("numpy", s.Backend);
        Assert.All(["floatx", "epsilon", "image_data_format", "backend"], k => Assert.Equal("file", s.SourceOf(k)));
        Assert.Equal("numpy", K.Backend());
        Assert.Equal("float64", K.Floatx());

        // Setters change the process, not the file.
        K.SetFloatx("float16");
        K.SetEpsilon(0.5);
        K.SetImageDataFormat("channels_last");
        Assert.Equal(text, File.ReadAllText(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void Missing_keys_keep_their_defaults()
    {
        _box.WriteConfig("{\"epsilon\": 1}");
        var s = _box.Load();
        Assert.Equal(1.0, s.Epsilon);                 // a JSON integer is accepted (Keras 2's assert rejected it)
        Assert.Equal(DType.Float32, s.Floatx);
        Assert.Equal("default", s.SourceOf("floatx"));
        Assert.Equal("file", s.SourceOf("epsilon"));
    }

    [Fact]
    public void Malformed_json_warns_once_with_the_position_runs_on_defaults_and_leaves_the_file_alone()
    {
        const string text = "{\n  \"floatx\": \"float64\",\n  \"epsilon\": ,\n}";
        var path = _box.WriteConfig(text);

        var s = _box.Load();
        Assert.Equal(ConfigState.Defaults with { ConfigFile = path }, s);
        Assert.Equal(text, File.ReadAllText(path));
        var warning = _box.Warnings.ToString();
        Assert.Contains("warning", warning);
        Assert.Contains(path, warning);
        Assert.Contains("not valid JSON", warning);
        Assert.Contains("line 3, column 14", warning);
        Assert.Contains("using the defaults", warning);

        _box.Load();
        Assert.Single(_box.Warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_file_that_is_not_a_json_object_warns_and_runs_on_defaults()
    {
        var path = _box.WriteConfig("[\"float64\"]");
        var s = _box.Load();
        Assert.Equal(DType.Float32, s.Floatx);
        Assert.Contains(path, _box.Warnings.ToString());
        Assert.Contains("does not hold a JSON object (found array)", _box.Warnings.ToString());
    }

    [Theory]
    [InlineData("{\"floatx\": \"float8\"}", "Invalid `floatx` configuration. Expected one of {'float16', 'float32', 'float64'}. Received: floatx='float8'")]
    [InlineData("{\"floatx\": 32}", "Invalid `floatx` configuration. Expected one of {'float16', 'float32', 'float64'}. Received: floatx=32")]
    [InlineData("{\"epsilon\": \"small\"}", "Invalid `epsilon` configuration. Expected a non-negative float. Received: epsilon='small'")]
    [InlineData("{\"epsilon\": -1e-7}", "Invalid `epsilon` configuration. Expected a non-negative float. Received: epsilon=-1e-7")]
    [InlineData("{\"epsilon\": null}", "Invalid `epsilon` configuration. Expected a non-negative float. Received: epsilon=None")]
    [InlineData("{\"image_data_format\": \"channels_middle\"}", "Invalid `image_data_format` configuration. Expected one of {'channels_last', 'channels_first'}. Received: image_data_format='channels_middle'")]
    [InlineData("{\"backend\": true}", "Invalid `backend` configuration. Expected a string: 'cpu', 'numpy' or 'AssemblyPathOrName:Namespace.Type'. Received: backend=True")]
    public void Invalid_values_are_errors_naming_the_file_the_field_the_value_and_the_choices(string json, string expected)
    {
        var path = _box.WriteConfig(json);
        var e = Assert.Throws<KerasConfigException>(() => _box.Load());
        Assert.StartsWith($"{path}: {expected}\n", e.Message);
        Assert.Equal("ValueError", e.KerasKind);
        Assert.Equal(json, File.ReadAllText(path));
    }

    [Fact]
    public void Every_invalid_field_is_reported_at_once()
    {
        var path = _box.WriteConfig("{\"floatx\": \"float8\", \"epsilon\": \"x\", \"image_data_format\": \"nhwc\"}");
        var e = Assert.Throws<KerasConfigException>(() => _box.Load());
        var lines = e.Message.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Take(3), l => Assert.StartsWith(path + ": Invalid `", l));
        Assert.Contains("floatx='float8'", lines[0]);
        Assert.Contains("epsilon='x'", lines[1]);
        Assert.Contains("image_data_format='nhwc'", lines[2]);
    }

    [Fact]
    public void An_invalid_file_fails_the_first_use_of_the_configuration()
    {
        _box.WriteConfig("{\"floatx\": \"float8\"}");
        Config.Reset(null);
        var saved = Environment.GetEnvironmentVariable("KERAS_HOME");
        Environment.SetEnvironmentVariable("KERAS_HOME", _box.Env["KERAS_HOME"]);
        try
        {
            var e = Assert.Throws<KerasConfigException>(() => K.Floatx());
            Assert.Contains("Received: floatx='float8'", e.Message);
        }
        finally { Environment.SetEnvironmentVariable("KERAS_HOME", saved); }
    }

    [Fact]
    public void A_non_empty_KERAS_BACKEND_overrides_the_file()
    {
        _box.WriteConfig("{\"backend\": \"cpu\"}");
        _box.Env["KERAS_BACKEND"] = "numpy";
        var s = _box.Activate();
        Assert.Equal("numpy", s.Backend);
        Assert.Equal("environment", s.SourceOf("backend"));
        Assert.Equal("numpy", K.Backend());

        _box.Env["KERAS_BACKEND"] = "";
        s = _box.Load();
        Assert.Equal("cpu", s.Backend);
        Assert.Equal("file", s.SourceOf("backend"));
    }

    [Theory]
    [InlineData("tensorflow")]
    [InlineData("theano")]
    [InlineData("cntk")]
    [InlineData("jax")]
    [InlineData("torch")]
    [InlineData("openvino")]
    public void A_python_only_backend_in_the_file_warns_once_and_uses_cpu(string name)
    {
        var path = _box.WriteConfig($"{{\"backend\": \"{name}\"}}");
        _box.Activate();
        Assert.Equal("cpu", K.Backend());
        Assert.IsType<KerasBackend.Backends.Cpu.CpuBackend>(Backend.Current);
        var warning = _box.Warnings.ToString();
        Assert.Contains($"the backend '{name}' (from {path}) is a Python Keras backend", warning);
        Assert.Contains("KERAS_BACKEND=cpu", warning);

        Backend.Reset();
        Assert.Equal("cpu", K.Backend());
        Assert.Single(_box.Warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_python_only_backend_from_KERAS_BACKEND_names_the_variable()
    {
        _box.KerasHome();
        _box.Env["KERAS_BACKEND"] = "jax";
        _box.Activate();
        Assert.Equal("cpu", K.Backend());
        Assert.Equal("jax", Config.Current.Backend);
        Assert.Contains("'jax' (from the KERAS_BACKEND environment variable)", _box.Warnings.ToString());
    }

    [Fact]
    public void An_unknown_backend_is_an_error_listing_the_backends_and_how_to_choose()
    {
        var path = _box.WriteConfig("{\"backend\": \"cuda\"}");
        _box.Activate();
        var e = Assert.Throws<KerasConfigException>(() => K.Backend());
        Assert.Equal(
            $"Unknown backend 'cuda' (from {path}). Available backends: cpu, numpy, or an external backend written as \"AssemblyPathOrName:Namespace.Type\". " +
            "Choose one with the KERAS_BACKEND environment variable, the \"backend\" field of keras.json, or Backend.Set(name) in code.", e.Message);
    }

    [Fact]
    public void Python_only_names_are_errors_when_chosen_in_code()
    {
        var e = Assert.Throws<KerasConfigException>(() => Backend.Set("tensorflow"));
        Assert.StartsWith("The backend 'tensorflow' is a Python Keras backend; KerasBackend cannot run it. Available backends: cpu, numpy", e.Message);
        Assert.Throws<KerasConfigException>(() => Backend.Use("nope"));
    }
}
