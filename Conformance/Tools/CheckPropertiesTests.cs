using System.Text.Json;

namespace KerasBackend.Conformance.Tools;

/// <summary>An external backend with one wrong kernel (abs returns -x): the properties must catch it.</summary>
public sealed class NegatingAbsBackend() : DelegatingBackend(Backend.Create("cpu"))
{
    public override string Name => "negating-abs";
    public override void Abs(Tensor x, Tensor output) => Inner.Negative(x, output);
}

[Collection(Cases.GlobalStateCollection.Name)]
public class CheckPropertiesTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args) => ToolRun.Run(args);

    private static readonly string Broken = typeof(NegatingAbsBackend).Assembly.Location + ":" + typeof(NegatingAbsBackend).FullName;

    [Fact]
    public void Properties_hold_on_a_builtin_backend()
    {
        var (code, stdout, stderr) = Run("check", "--properties", "--backend", "numpy", "--op", "abs", "--op", "sum", "--iterations", "5");
        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"All \d+ properties held on numpy\.", stdout);
    }

    [Fact]
    public void A_wrong_kernel_in_an_external_backend_fails_with_a_shrunk_reproducer_and_its_seed()
    {
        var (code, stdout, _) = Run("check", "--properties", "--backend", Broken, "--op", "abs", "--iterations", "30", "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        // The agreement property catches it (so may the laws that involve abs).
        var failure = Assert.Single(doc.RootElement.GetProperty("failures").EnumerateArray(),
            f => f.GetProperty("property").GetString() == "agrees with numpy: abs");
        Assert.Contains("abs(x=", failure.GetProperty("failure").GetString());
        var seed = failure.GetProperty("seed").GetString();
        Assert.False(string.IsNullOrEmpty(seed));

        // The seed replays the failure; the text output says how.
        var (again, text, _) = Run("check", "--properties", "--backend", Broken, "--property", "agrees with numpy: abs", "--seed", seed!, "--iterations", "1");
        Assert.Equal(1, again);
        Assert.Contains("reproduce: kbackend check --properties", text);
        Assert.Contains("1 of 1 properties failed", text);
    }

    [Fact]
    public void Property_options_need_properties_and_filters_must_match()
    {
        Assert.Equal(2, Run("check", "--seed", "x").code);
        Assert.Equal(2, Run("check", "--properties", "--cases", "x.json").code);
        Assert.Equal(1, Run("check", "--properties", "--backend", "numpy", "--property", "no such property").code);
    }
}
