using System.Text.Json;
using KerasBackend.Conformance.Tools;
using Xunit.Abstractions;

namespace KerasBackend.Conformance.Reliability;

/// <summary>
/// The spec-driven fuzzer (<c>kbackend fuzz</c>) in CI: every op of the registry gets the same budget of random
/// hostile calls in a child process, and anything other than a result or a Keras error fails the test with the
/// op and a reproducer.
/// </summary>
/// <remarks>In the configuration collection: a replay runs a call in this process, and calls may change process-wide state.</remarks>
[Collection(KerasBackend.Conformance.Runtime.ConfigCollection.Name)]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static JsonElement RunJson(out int code, params string[] args)
    {
        var (c, stdout, stderr) = ToolRun.Run(["fuzz", .. args, "--json"]);
        code = c;
        Assert.True(stdout.Length > 0, "kbackend fuzz printed nothing: " + stderr);
        return JsonDocument.Parse(stdout).RootElement;
    }

    [Fact]
    public void One_hundred_thousand_hostile_calls_end_in_results_or_keras_errors()
    {
        const int calls = 100_000;
        var r = RunJson(out int code, "--calls", calls.ToString(), "--seed", "18");
        long total = 0;
        foreach (var o in r.GetProperty("outcomes").EnumerateObject())
        {
            output.WriteLine($"{o.Name,-11} {o.Value.GetInt64(),9}");
            total += o.Value.GetInt64();
        }
        output.WriteLine($"{r.GetProperty("ops").GetInt32()} ops, {r.GetProperty("seconds").GetDouble()} s, {r.GetProperty("children").GetInt32()} child process(es)");
        var findings = r.GetProperty("findings").EnumerateArray().Select(f =>
            $"{f.GetProperty("outcome").GetString()} in {f.GetProperty("op").GetString()} (call {f.GetProperty("index").GetInt64()}): {f.GetProperty("error").GetString()}\n  {f.GetProperty("reproducer").GetString()}").ToList();
        Assert.True(findings.Count == 0, $"{findings.Count} findings (replay with `kbackend fuzz --seed 18 --replay I`):\n" + string.Join("\n", findings.Take(20)));
        Assert.Equal(0, code);
        Assert.Equal(calls, total);
        // Every op was called, and the calls were not all refused: the generator reaches the kernels.
        var perOp = r.GetProperty("per_op").EnumerateObject().ToList();
        Assert.Equal(r.GetProperty("ops").GetInt32(), perOp.Count);
        Assert.True(r.GetProperty("outcomes").GetProperty("Result").GetInt64() > calls / 5);
    }

    [Fact]
    public void A_net_exception_and_a_dying_process_are_caught_and_reported_with_the_op_and_a_reproducer()
    {
        var reference = $"{typeof(BrokenBackend).Assembly.Location}:{typeof(BrokenBackend).FullName}";
        var r = RunJson(out int code, "--calls", "30", "--seed", "5", "--op", "abs", "--op", "negative", "--backend", reference);
        Assert.Equal(1, code);
        var findings = r.GetProperty("findings").EnumerateArray().ToList();
        var failure = findings.First(f => f.GetProperty("outcome").GetString() == "Failure");
        Assert.Equal("abs", failure.GetProperty("op").GetString());
        Assert.Contains("NullReferenceException", failure.GetProperty("error").GetString());
        Assert.StartsWith("abs(x=", failure.GetProperty("reproducer").GetString());
        var crash = findings.First(f => f.GetProperty("outcome").GetString() == "Crash");
        Assert.Equal("negative", crash.GetProperty("op").GetString());
        Assert.StartsWith("negative(x=", crash.GetProperty("reproducer").GetString());
        // After each crash a new child went on with the next call, so every call has an outcome.
        Assert.True(r.GetProperty("children").GetInt32() > 1);
        Assert.Equal(30, r.GetProperty("outcomes").EnumerateObject().Sum(o => o.Value.GetInt64()));
    }

    [Fact]
    public void A_call_replays_from_its_seed_and_index()
    {
        var (code, stdout, _) = ToolRun.Run("fuzz", "--seed", "18", "--op", "abs", "--replay", "12345");
        Assert.Equal(0, code);
        Assert.StartsWith("call 12345 of seed 18: abs(", stdout);
        Assert.Contains("outcome: ", stdout);
        // The same call is the same on every run.
        Assert.Equal(stdout, ToolRun.Run("fuzz", "--seed", "18", "--op", "abs", "--replay", "12345").stdout);
    }
}

/// <summary>A backend with two deliberate bugs, to prove that the fuzzer catches them: abs throws a .NET exception, negative kills the process.</summary>
public sealed class BrokenBackend() : DelegatingBackend(Backend.Create("cpu"))
{
    public override void Abs(Tensor x, Tensor output) => throw new NullReferenceException("deliberate bug in abs");

    public override void Negative(Tensor x, Tensor output)
    {
        if (x.Size > 0) Environment.FailFast("deliberate crash in negative");
        base.Negative(x, output);
    }
}
