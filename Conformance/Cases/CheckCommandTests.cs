using System.IO.Compression;
using System.Text;
using System.Text.Json;
using KerasBackend.Cases;
using KerasBackend.Tool;

namespace KerasBackend.Conformance.Cases;

/// <summary><c>kbackend check</c> and the case runner on hand-written case files: failures are found, reported and never skipped.</summary>
[Collection(GlobalStateCollection.Name)]
public sealed class CheckCommandTests : IDisposable
{
    /// <summary>Case files this test wrote to the temp folder; deleted when the test ends (xunit disposes the instance).</summary>
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }

    private string TempFile(string prefix, string ext)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}{Guid.NewGuid():N}{ext}");
        _files.Add(path);
        return path;
    }

    private static (int Code, string Out, string Err) Check(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(["check", .. args], o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string WriteCases(string casesJson, bool gzip = false, string ext = ".json")
    {
        var path = TempFile("kb-cases-", ext);
        var text = "{\"format\": \"kerasbackend-cases/1\", \"source\": \"test\", \"cases\": [" + casesJson + "]}";
        if (!gzip) File.WriteAllText(path, text);
        else
        {
            using var f = File.Create(path);
            using var g = new GZipStream(f, CompressionLevel.Fastest);
            g.Write(Encoding.UTF8.GetBytes(text));
        }
        return path;
    }

    private const string GoodAdd =
        "{\"id\": \"good\", \"op\": \"add\", \"inputs\": {\"x\": {\"dtype\": \"float32\", \"shape\": [2], \"data\": [1, \"NaN\"]}, " +
        "\"y\": {\"dtype\": \"float32\", \"shape\": [], \"data\": [0.1]}}, \"args\": {}, " +
        "\"expect\": {\"dtype\": \"float32\", \"shape\": [2], \"data\": [1.1, \"NaN\"]}, \"rtol\": 1e-6}";

    private const string WrongAdd =
        "{\"id\": \"wrong\", \"op\": \"add\", \"inputs\": {\"x\": {\"dtype\": \"int32\", \"shape\": [2], \"data\": [1, 2]}, " +
        "\"y\": {\"dtype\": \"int32\", \"shape\": [2], \"data\": [3, 4]}}, \"expect\": {\"dtype\": \"int32\", \"shape\": [2], \"data\": [4, 7]}}";

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Built_in_corpus_passes_for_one_op_and_prints_a_table(string backend)
    {
        var (code, output, _) = Check("--backend", backend, "--op", "dot");
        Assert.Equal(0, code);
        Assert.Matches(@"dot\s+\d+\s+\d+\s+0\s", output);
        Assert.Contains($"passed on {backend}", output);
    }

    [Fact]
    public void Random_value_cases_are_set_apart_only_on_a_backend_with_its_own_generator()
    {
        // onnx draws from ONNX Runtime's generator: random_normal's seeded values are listed as not compared, its error
        // cases still run; cpu shares the corpus' Philox stream and compares every case.
        var (code, output, _) = Check("--backend", "onnx", "--op", "random_normal", "--json");
        Assert.Equal(0, code);
        var onnx = JsonDocument.Parse(output).RootElement;
        Assert.True(onnx.GetProperty("not_compared").GetInt32() > 0, output);
        Assert.True(onnx.GetProperty("cases").GetInt32() > 0, "random_normal's error cases still run: " + output);
        Assert.Equal(0, onnx.GetProperty("failed").GetInt32());
        var (cpuCode, cpuOutput, _) = Check("--backend", "cpu", "--op", "random_normal", "--json");
        Assert.Equal(0, cpuCode);
        var cpu = JsonDocument.Parse(cpuOutput).RootElement;
        Assert.Equal(0, cpu.GetProperty("not_compared").GetInt32());
        Assert.Equal(onnx.GetProperty("cases").GetInt32() + onnx.GetProperty("not_compared").GetInt32(), cpu.GetProperty("cases").GetInt32());
        var (_, table, _) = Check("--backend", "onnx", "--op", "random_normal");
        Assert.Contains("not compared:", table);
        Assert.Contains("ONNX Runtime's random generator", table);
    }

    [Fact]
    public void A_wrong_expectation_fails_with_its_inputs_expected_and_got()
    {
        var path = WriteCases(GoodAdd + "," + WrongAdd);
        var (code, output, _) = Check("--backend", "numpy", "--cases", path);
        Assert.Equal(1, code);
        Assert.Contains("- wrong", output);
        Assert.Contains("value at [1]: expected 7, got 6", output);
        Assert.Contains("expected: int32(2,) [4, 7]", output);
        Assert.Contains("got:      int32(2,) [4, 6]", output);
        Assert.DoesNotContain("- good", output);
    }

    [Fact]
    public void Json_output_is_one_object_for_scripts()
    {
        var path = WriteCases(GoodAdd + "," + WrongAdd, gzip: true, ext: ".cases");
        var (code, output, _) = Check("--backend", "cpu", "--cases", path, "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal("cpu", r.GetProperty("backend").GetString());
        Assert.Equal(2, r.GetProperty("cases").GetInt32());
        Assert.Equal(1, r.GetProperty("passed").GetInt32());
        Assert.Equal(1, r.GetProperty("failed").GetInt32());
        var f = Assert.Single(r.GetProperty("failures").EnumerateArray());
        Assert.Equal("wrong", f.GetProperty("id").GetString());
        Assert.Equal("add", f.GetProperty("op").GetString());
        Assert.Contains("expected 7", f.GetProperty("reason").GetString());
    }

    [Fact]
    public void An_external_backend_is_named_as_assembly_and_type()
    {
        // The sample external backend (Samples/ExternalBackend), loaded from its file as a backend author's would be.
        var reference = Path.Combine(AppContext.BaseDirectory, "KerasBackend.Samples.ExternalBackend.dll") + ":KerasBackend.Samples.CountingBackend";
        var (code, output, err) = Check("--backend", reference, "--op", "transpose", "--op", "dot");
        Assert.True(code == 0, output + err);
        Assert.Contains(reference, output);
    }

    [Fact]
    public void Unknown_ops_and_malformed_cases_fail_instead_of_being_skipped()
    {
        var path = WriteCases(
            "{\"id\": \"u\", \"op\": \"no_such_op\", \"inputs\": {}, \"expect\": {\"dtype\": \"float32\", \"shape\": [], \"data\": [1]}}," +
            "{\"id\": \"m\", \"op\": \"add\", \"inputs\": {}}," +
            "{\"id\": \"s\", \"op\": \"add\", \"inputs\": {\"x\": {\"dtype\": \"float32\", \"shape\": [3], \"data\": [1]}, \"y\": {\"dtype\": \"float32\", \"shape\": [], \"data\": [1]}}, \"expect\": {\"dtype\": \"float32\", \"shape\": [3], \"data\": [2, 2, 2]}}");
        var (code, output, _) = Check("--backend", "numpy", "--cases", path, "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(3, doc.RootElement.GetProperty("failed").GetInt32());
        var reasons = doc.RootElement.GetProperty("failures").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!, f => f.GetProperty("reason").GetString()!);
        Assert.Contains("unknown op 'no_such_op'", reasons["u"]);
        Assert.Contains("neither \"expect\" nor \"expect_error\"", reasons["m"]);
        Assert.Contains("needs 3 values", reasons["s"]);
    }

    [Fact]
    public void Bad_files_and_options_exit_2()
    {
        var notCases = TempFile("kb-not-cases-", ".json");
        File.WriteAllText(notCases, "{\"cases\": []}");
        Assert.Equal(2, Check("--cases", notCases).Code);
        Assert.Equal(2, Check("--cases", notCases + ".missing").Code);
        Assert.Equal(2, Check("--frobnicate").Code);
    }

    [Fact]
    public void Runner_checks_error_kinds_dtypes_and_nan()
    {
        var file = CaseFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(
            "{\"format\": \"kerasbackend-cases/1\", \"cases\": [" +
            "{\"id\": \"err_ok\", \"op\": \"sum\", \"inputs\": {\"x\": {\"dtype\": \"float32\", \"shape\": [2], \"data\": [1, 2]}}, \"args\": {\"axis\": 3}, \"expect_error\": \"ValueError\"}," +
            "{\"id\": \"err_kind\", \"op\": \"sum\", \"inputs\": {\"x\": {\"dtype\": \"float32\", \"shape\": [2], \"data\": [1, 2]}}, \"args\": {\"axis\": 3}, \"expect_error\": \"IndexError\"}," +
            "{\"id\": \"no_error\", \"op\": \"sum\", \"inputs\": {\"x\": {\"dtype\": \"float32\", \"shape\": [2], \"data\": [1, 2]}}, \"expect_error\": \"ValueError\"}," +
            "{\"id\": \"dtype\", \"op\": \"sum\", \"inputs\": {\"x\": {\"dtype\": \"int8\", \"shape\": [2], \"data\": [1, 2]}}, \"expect\": {\"dtype\": \"int8\", \"shape\": [], \"data\": [3]}}," +
            "{\"id\": \"nan\", \"op\": \"exp\", \"inputs\": {\"x\": {\"dtype\": \"float64\", \"shape\": [1], \"data\": [0]}}, \"expect\": {\"dtype\": \"float64\", \"shape\": [1], \"data\": [\"NaN\"]}}," +
            "{\"id\": \"tol\", \"op\": \"exp\", \"inputs\": {\"x\": {\"dtype\": \"float64\", \"shape\": [1], \"data\": [1]}}, \"expect\": {\"dtype\": \"float64\", \"shape\": [1], \"data\": [2.7183]}, \"atol\": 1e-4}" +
            "]}")), "inline");
        var results = new CaseRunner(Backend.Create("cpu")).RunAll(file.Cases).ToDictionary(r => r.Case.Id);
        Assert.True(results["err_ok"].Passed);
        Assert.Contains("expected IndexError, got ValueError", results["err_kind"].Reason);
        Assert.Contains("the op returned a result", results["no_error"].Reason);
        Assert.Equal("dtype: expected int8, got int32", results["dtype"].Reason);
        Assert.Contains("expected nan, got 1", results["nan"].Reason);
        Assert.True(results["tol"].Passed, results["tol"].Reason);
    }
}
