namespace KerasBackend.Tool.Commands;

/// <summary><c>kbackend ops</c>: the op table from the registry, with which backends implement each op.</summary>
internal sealed class OpsCommand : ICommand
{
    public string Name => "ops";
    public string Summary => "list the ops of the spec and which backends implement them";
    public string Usage => "usage: kbackend ops [--category NAME] [--backend NAME|assembly:Type]...\n\nPrints name, signature, category, origin and one column per backend (yes / shared for composites / no).";

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? category = null;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--category" when i + 1 < args.Length: category = args[++i]; break;
                case "--backend" when i + 1 < args.Length: names.Add(args[++i]); break;
                default: stderr.WriteLine($"kbackend ops: unknown option '{args[i]}'.\n{Usage}"); return 2;
            }
        }
        if (names.Count == 0) names.AddRange(Backend.BuiltIn);
        var backends = names.Select(Backend.Create).ToList();
        var ops = OpRegistry.All.Where(o => category is null || o.Category == category).ToList();
        int w = Math.Max(9, ops.Select(o => o.Signature.Length).DefaultIfEmpty(0).Max());
        stdout.WriteLine($"{"op".PadRight(w)}  {"category",-13} {"origin",-7} {string.Join(" ", names.Select(n => n.PadRight(7)))}");
        foreach (var op in ops)
        {
            var cols = backends.Select(b => (!op.IsKernel ? "shared" : OpRegistry.Implements(b, op) ? "yes" : "no").PadRight(7));
            stdout.WriteLine($"{op.Signature.PadRight(w)}  {op.Category,-13} {op.Origin,-7} {string.Join(" ", cols)}");
        }
        stdout.WriteLine($"\n{ops.Count} ops ({ops.Count(o => o.IsKernel)} kernels, {ops.Count(o => !o.IsKernel)} composites built on other ops).");
        return 0;
    }
}
