using System.Globalization;
using System.Text.Json;
using KerasBackend.Tool.Fuzz;

namespace KerasBackend.Tool.Commands;

/// <summary>
/// <c>kbackend fuzz</c>: random hostile calls of every op of the spec, in child processes; any outcome other
/// than a result or a Keras error (another exception, a dead process, a hang) is reported with a reproducer.
/// </summary>
internal sealed class FuzzCommand : ICommand
{
    public string Name => "fuzz";
    public string Summary => "call every op with random hostile arguments in a child process; report anything but results and Keras errors";
    public string Usage =>
        "usage: kbackend fuzz [--calls N] [--seed S] [--op NAME]... [--backend all|NAME[,NAME...]] [--json] [--show N]\n" +
        "       kbackend fuzz --replay I [--seed S] [--op NAME]... [--backend ...]\n\n" +
        "Runs N calls (default 100000; call i uses op i mod the op count, so every op gets the same budget) with\n" +
        "arguments drawn from the spec's parameter types: wrong ranks, overflowing shapes, huge and negative axes,\n" +
        "every dtype and undefined DType values, empty tensors, NaN/Inf, nulls, placeholders. Calls run in a child\n" +
        "process (GC heap capped at 3 GiB); a child that dies or makes no progress for 60 s is reported with the\n" +
        "call's op and reproducer and a new child continues. Prints the count per outcome (result, ValueError,\n" +
        "TypeError, IndexError, failure, crash, hang) and the first N findings (--show, default 20). Exit code 0\n" +
        "when there is no failure, crash or hang. --replay I runs call I in this process and prints it in full.";

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        long calls = 100_000, seed = 1, from = 0;
        long? replay = null;
        bool json = false, child = false;
        int show = 20;
        string? backendSpec = null;
        var only = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            bool next = i + 1 < args.Length;
            switch (args[i])
            {
                case "--calls" when next && long.TryParse(args[i + 1], CultureInfo.InvariantCulture, out calls) && calls >= 0: i++; break;
                case "--seed" when next && long.TryParse(args[i + 1], CultureInfo.InvariantCulture, out seed): i++; break;
                case "--from" when next && long.TryParse(args[i + 1], CultureInfo.InvariantCulture, out from) && from >= 0: i++; break;
                case "--replay" when next && long.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r >= 0: replay = r; i++; break;
                case "--show" when next && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out show) && show >= 0: i++; break;
                case "--op" when next: only.Add(args[++i]); break;
                case "--backend" when next: backendSpec = args[++i]; break;
                case "--json": json = true; break;
                case "--child": child = true; break;
                default: stderr.WriteLine($"kbackend fuzz: invalid option '{args[i]}'.\n{Usage}"); return 2;
            }
        }
        var unknownOps = only.Where(o => OpRegistry.Find(o) is null).ToList();
        if (unknownOps.Count > 0) { stderr.WriteLine($"kbackend fuzz: unknown op(s): {string.Join(", ", unknownOps)}. `kbackend ops` lists them."); return 2; }
        var backends = FuzzRunner.ParseBackends(backendSpec);
        foreach (var b in backends) Backend.Create(b); // an unknown or broken backend fails here, with its own message
        var ops = FuzzCall.Ops(only);

        if (child)
        {
            FuzzRunner.RunChild(ops, backends, seed, from, calls, stdout);
            return 0;
        }
        if (replay is { } index)
        {
            var call = FuzzCall.Make(ops, backends, seed, index);
            stdout.WriteLine($"call {index} of seed {seed}: {call.Reproducer}");
            var (_, outcome, error) = FuzzRunner.RunOne(ops, backends, seed, index);
            stdout.WriteLine($"outcome: {outcome}{(error is null ? "" : ": " + error)}");
            return outcome is Outcome.Failure ? 1 : 0;
        }

        var childArgs = new List<string>();
        foreach (var o in only) { childArgs.Add("--op"); childArgs.Add(o); }
        if (backendSpec is not null) { childArgs.Add("--backend"); childArgs.Add(backendSpec); }
        var report = FuzzRunner.Supervise(ops, backends, seed, calls, childArgs, stderr);
        if (json) stdout.WriteLine(JsonSerializer.Serialize(new
        {
            seed, calls = report.Calls, ops = ops.Count, seconds = Math.Round(report.Seconds, 1), children = report.Children,
            outcomes = report.Outcomes, per_op = report.PerOp, findings = report.Findings.Select(f => new { index = f.Index, op = f.Op, outcome = f.Outcome.ToString(), error = f.Error, reproducer = f.Reproducer }),
        }));
        else
        {
            long total = report.Outcomes.Values.Sum();
            stdout.WriteLine($"fuzz: {total} calls of {ops.Count} ops, seed {seed}, {report.Seconds:0.0} s, {report.Children} child process(es)");
            foreach (var (o, n) in report.Outcomes) stdout.WriteLine($"  {o,-11} {n,9}");
            foreach (var f in report.Findings.Take(show))
                stdout.WriteLine($"\n{f.Outcome} in {f.Op} (call {f.Index}; `kbackend fuzz --seed {seed} --replay {f.Index}`): {f.Error}\n  {f.Reproducer}");
            if (report.Findings.Count > show) stdout.WriteLine($"\n... and {report.Findings.Count - show} more findings.");
        }
        return report.Clean ? 0 : 1;
    }
}
