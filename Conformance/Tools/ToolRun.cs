using KerasBackend.Tool;

namespace KerasBackend.Conformance.Tools;

/// <summary>Runs the kbackend tool in process and captures its exit code and both streams.</summary>
internal static class ToolRun
{
    public static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
