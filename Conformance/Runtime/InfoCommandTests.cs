using System.Text.Json;
using KerasBackend.Tool;

namespace KerasBackend.Conformance.Runtime;

/// <summary><c>kbackend info</c> and <c>kbackend info --json</c> show every value and where it came from.</summary>
[Collection(ConfigCollection.Name)]
public sealed class InfoCommandTests : IDisposable
{
    private readonly ConfigSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        return (Program.Run(args, o, e), o.ToString(), e.ToString());
    }

    [Fact]
    public void Json_has_the_keras_field_names_the_file_and_the_sources()
    {
        var path = _box.WriteConfig("{\"floatx\": \"float64\", \"epsilon\": 0.001}");
        _box.Env["KERAS_BACKEND"] = "numpy";
        _box.Activate();
        K.SetImageDataFormat("channels_first");

        var (code, stdout, _) = Run("info", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("numpy", r.GetProperty("backend").GetString());
        Assert.Equal("float64", r.GetProperty("floatx").GetString());
        Assert.Equal(0.001, r.GetProperty("epsilon").GetDouble());
        Assert.Equal("channels_first", r.GetProperty("image_data_format").GetString());
        Assert.Equal(path, r.GetProperty("config_file").GetString());
        Assert.True(r.GetProperty("config_file_exists").GetBoolean());
        var src = r.GetProperty("sources");
        Assert.Equal("environment", src.GetProperty("backend").GetString());
        Assert.Equal("file", src.GetProperty("floatx").GetString());
        Assert.Equal("file", src.GetProperty("epsilon").GetString());
        Assert.Equal("code", src.GetProperty("image_data_format").GetString());
    }

    [Fact]
    public void Text_shows_each_value_with_its_source()
    {
        var path = _box.WriteConfig("{\"epsilon\": 0.0001}");
        _box.Activate();
        var (code, stdout, _) = Run("info");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n');
        Assert.Matches(@"^backend +cpu +\(default\)$", lines[0]);
        Assert.Matches(@"^floatx +float32 +\(default\)$", lines[1]);
        Assert.Matches(@"^epsilon +0\.0001 +\(file\)$", lines[2]);
        Assert.Matches(@"^image_data_format +channels_last +\(default\)$", lines[3]);
        Assert.Contains($"config file        {path}", stdout);
    }

    [Fact]
    public void A_python_only_backend_shows_what_runs_and_what_was_configured()
    {
        _box.WriteConfig("{\"backend\": \"tensorflow\"}");
        _box.Activate();
        var (_, stdout, _) = Run("info");
        Assert.Matches(@"^backend +cpu +\(file: 'tensorflow' is Python-only\)$", stdout.Split('\n')[0]);
        (_, stdout, _) = Run("info", "--json");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("cpu", doc.RootElement.GetProperty("backend").GetString());
        Assert.Equal("tensorflow", doc.RootElement.GetProperty("backend_configured").GetString());
    }

    [Fact]
    public void A_broken_configuration_is_reported_not_thrown()
    {
        _box.WriteConfig("{\"backend\": \"cuda\"}");
        _box.Activate();
        var (code, stdout, stderr) = Run("info");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("kbackend info: Unknown backend 'cuda'", stderr);
        (code, stdout, _) = Run("info", "--json");
        Assert.Equal(1, code);
        Assert.StartsWith("Unknown backend 'cuda'", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString());
    }
}
