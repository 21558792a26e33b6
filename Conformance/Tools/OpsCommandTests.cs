using System.Text.Json;
using KerasBackend.Tool;
using KerasBackend.Tool.Commands;

namespace KerasBackend.Conformance.Tools;

public class OpsCommandTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args) => ToolRun.Run(args);

    private static string[] Lines(string s) => s.Replace("\r", "").TrimEnd('\n').Split('\n');

    [Fact]
    public void Default_table_fits_100_columns_and_names_every_op_both_ways()
    {
        var (code, stdout, _) = Run("ops");
        Assert.Equal(0, code);
        var lines = Lines(stdout);
        Assert.All(lines, l => Assert.True(l.Length <= OpsCommand.Width, $"{l.Length} columns: {l}"));
        foreach (var op in OpRegistry.All)
        {
            // The first line of an op starts with the beginning of its signature and carries its C# name (or the
            // first piece of it) and one cell per built-in backend. (The signature column is about 33 wide since the onnx
            // column came; the first word of a narrower wrap is a prefix of the table's first line.)
            var first = Assert.Single(lines, l => l.StartsWith(OpsCommand.Wrap(op.Signature, 30)[0].Split(' ')[0]) &&
                                                  l.Contains(" " + OpsCommand.BreakName("K." + op.CSharpName, 20)[0] + " "));
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(first, op.IsKernel ? @"\byes\b" : @"\bshared\b").Count);
        }
        Assert.Contains($"{OpRegistry.All.Count} ops", stdout);
        foreach (var (origin, _) in OpsCommand.Origins) Assert.Contains($"{origin} = ", stdout);
        Assert.Contains("shared = ", stdout);
    }

    [Fact]
    public void An_external_backend_gets_a_column_headed_by_its_type_name()
    {
        var external = typeof(KerasBackend.Samples.CountingBackend).Assembly.Location + ":" + typeof(KerasBackend.Samples.CountingBackend).FullName;
        var (code, stdout, _) = Run("ops", "--backend", "cpu", "--backend", external);
        Assert.Equal(0, code);
        var lines = Lines(stdout);
        Assert.EndsWith("cpu    CountingBackend", lines[0]);
        Assert.All(lines, l => Assert.True(l.Length <= OpsCommand.Width, $"{l.Length} columns: {l}"));
    }

    [Fact]
    public void Wide_prints_each_op_on_one_line_with_its_whole_signature()
    {
        var (code, stdout, _) = Run("ops", "--wide");
        Assert.Equal(0, code);
        var lines = Lines(stdout);
        foreach (var op in OpRegistry.All)
        {
            var line = Assert.Single(lines, l => l.StartsWith(op.Signature + " "));
            Assert.Contains(" K." + op.CSharpName + " ", line);
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(line, op.IsKernel ? @"\byes\b" : @"\bshared\b").Count);
        }
        Assert.Contains(lines, l => l.Length > OpsCommand.Width);
    }

    [Theory]
    [InlineData("rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None, unroll=False)", 30)]
    [InlineData("clear_session(free_memory=True)", 24)]
    [InlineData("a_name_longer_than_the_column_itself_with_no_break(x)", 24)]
    [InlineData("floatx()", 24)]
    public void Wrap_keeps_lines_within_the_width_and_loses_nothing(string signature, int width)
    {
        var lines = OpsCommand.Wrap(signature, width);
        Assert.True(lines[0].Length <= width);
        Assert.All(lines.Skip(1), l => Assert.True(l.Length <= width - 2, l));
        Assert.Equal(signature.Replace(" ", ""), string.Concat(lines).Replace(" ", ""));
    }

    [Fact]
    public void Json_describes_every_op_with_its_kernel_signature()
    {
        var (code, stdout, _) = Run("ops", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var ops = doc.RootElement.GetProperty("ops").EnumerateArray().ToList();
        Assert.Equal(OpRegistry.All.Count, ops.Count);
        var bd = ops.Single(o => o.GetProperty("name").GetString() == "batch_dot");
        Assert.Equal("K.BatchDot", bd.GetProperty("csharp").GetString());
        Assert.Equal("yes", bd.GetProperty("implemented").GetProperty("numpy").GetString());
        var kernel = bd.GetProperty("kernel");
        Assert.Equal("void", kernel.GetProperty("returns").GetString());
        Assert.Equal(["Tensor x", "Tensor y", "int[] axes", "Tensor output"],
            kernel.GetProperty("params").EnumerateArray().Select(p => $"{p.GetProperty("type").GetString()} {p.GetProperty("name").GetString()}"));
        var relu = ops.Single(o => o.GetProperty("name").GetString() == "relu").GetProperty("kernel").GetProperty("params");
        Assert.Contains(relu.EnumerateArray(), p => p.GetProperty("type").GetString() == "double?");
        Assert.Equal(JsonValueKind.Null, ops.Single(o => o.GetProperty("name").GetString() == "function").GetProperty("kernel").ValueKind);
    }

    [Fact]
    public void Markdown_is_a_table_with_a_row_per_op()
    {
        var (code, stdout, _) = Run("ops", "--markdown", "--category", "linalg");
        Assert.Equal(0, code);
        var rows = Lines(stdout).Where(l => l.StartsWith("| `")).ToList();
        Assert.Equal(OpRegistry.All.Count(o => o.Category == "linalg"), rows.Count);
        Assert.Contains(rows, r => r.StartsWith("| `batch_dot(x, y, axes=None)` | `K.BatchDot` | linalg |"));
    }

    [Fact]
    public void Missing_lists_the_functions_of_a_list_the_registry_lacks()
    {
        var list = Path.GetTempFileName();
        try
        {
            File.WriteAllText(list, "# Keras 2 backend functions\nabs\nkeras.backend.batch_dot\nno_such_function   # a comment\n\nanother_missing\nabs\n");
            var (code, stdout, _) = Run("ops", "--missing", "--list", list);
            Assert.Equal(0, code);
            Assert.Contains("2 of the 4 Keras 2 backend functions", stdout);
            Assert.Contains("no_such_function", stdout);
            Assert.DoesNotContain("batch_dot", stdout.Split('\n').Skip(1).Aggregate("", (a, b) => a + b));
            var (_, json, _) = Run("ops", "--missing", "--list", list, "--json");
            using var doc = JsonDocument.Parse(json);
            Assert.Equal(["no_such_function", "another_missing"], doc.RootElement.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        }
        finally { File.Delete(list); }
    }

    [Fact]
    public void Ops_filters_by_category()
    {
        var (_, stdout, _) = Run("ops", "--category", "linalg");
        Assert.Contains("dot(x, y)", stdout);
        Assert.DoesNotContain("sum(x,", stdout);
        Assert.Equal(1, Run("ops", "--category", "nonexistent").code);
    }

    [Fact]
    public void Unknown_command_and_option_fail_with_usage()
    {
        Assert.Equal(2, Run("frobnicate").code);
        var (code, _, stderr) = Run("ops", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--bogus'", stderr);
        Assert.Equal(1, Run("ops", "--backend", "nonexistent").code);
        Assert.Equal(2, Run("ops", "--json", "--wide").code);
    }

    [Fact]
    public void Help_lists_commands()
    {
        var (code, stdout, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("ops", stdout);
        Assert.Contains("info", stdout);
    }
}
