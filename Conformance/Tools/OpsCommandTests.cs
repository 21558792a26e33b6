using KerasBackend.Tool;

namespace KerasBackend.Conformance.Tools;

public class OpsCommandTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args) => ToolRun.Run(args);

    [Fact]
    public void Ops_lists_every_registry_op_with_both_backends()
    {
        var (code, stdout, _) = Run("ops");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n');
        foreach (var op in OpRegistry.All)
        {
            var line = Assert.Single(lines, l => l.StartsWith(op.Signature + " "));
            // A kernel op is implemented by both built-in backends; a composite runs on both ("shared").
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(line, op.IsKernel ? @"\byes\b" : @"\bshared\b").Count);
        }
        Assert.Contains($"{OpRegistry.All.Count} ops", stdout);
    }

    [Fact]
    public void Ops_filters_by_category()
    {
        var (_, stdout, _) = Run("ops", "--category", "linalg");
        Assert.Contains("dot(x, y)", stdout);
        Assert.DoesNotContain("sum(x,", stdout);
    }

    [Fact]
    public void Unknown_command_and_option_fail_with_usage()
    {
        Assert.Equal(2, Run("frobnicate").code);
        var (code, _, stderr) = Run("ops", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--bogus'", stderr);
        Assert.Equal(1, Run("ops", "--backend", "nonexistent").code);
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
