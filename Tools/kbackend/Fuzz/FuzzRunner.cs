using System.Collections;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KerasBackend.Cases;

namespace KerasBackend.Tool.Fuzz;

/// <summary>What one call ended in.</summary>
internal enum Outcome { Result, ValueError, TypeError, IndexError, Failure, Crash, Hang }

/// <summary>A call that ended in something other than a result or a Keras error.</summary>
internal sealed record FuzzFinding(long Index, string Op, Outcome Outcome, string Error, string Reproducer);

/// <summary>The totals of a run.</summary>
internal sealed class FuzzReport
{
    public long Seed { get; init; }
    public long Calls { get; set; }
    public SortedDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SortedDictionary<string, long>> PerOp { get; } = new(StringComparer.Ordinal);
    public List<FuzzFinding> Findings { get; } = [];
    public int Children { get; set; }
    public double Seconds { get; set; }

    public void Count(string op, Outcome o, long n = 1)
    {
        var k = o.ToString();
        Outcomes[k] = Outcomes.GetValueOrDefault(k) + n;
        if (!PerOp.TryGetValue(op, out var m)) PerOp[op] = m = new(StringComparer.Ordinal);
        m[k] = m.GetValueOrDefault(k) + n;
    }

    public bool Clean => Findings.Count == 0;
}

/// <summary>
/// Runs fuzz calls. <see cref="RunChild"/> executes calls in this process and streams a line protocol;
/// <see cref="Supervise"/> runs children and survives them: a child that dies (stack overflow, access
/// violation, an abort) or stops making progress is a finding reported with the call's op and reproducer,
/// and a new child continues after that call.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>A call that takes longer than this (no progress line from the child) is a hang.</summary>
    public static TimeSpan HangAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The child's GC heap limit: a runaway allocation fails fast instead of exhausting the machine.</summary>
    public const string ChildHeapLimit = "0xC0000000"; // 3 GiB

    // Protocol, one line each: "S i" before call i; "O c" after it (c: the outcome's first letter, F for a failure,
    // then "F <json error>" on the next line); "E" when every call ran. A child that dies leaves its last "S i".

    /// <summary>Runs calls [from, from + count) here, writing the protocol to <paramref name="proto"/>.</summary>
    public static void RunChild(IReadOnlyList<OpInfo> ops, IReadOnlyList<string> backends, long seed, long from, long count, TextWriter proto)
    {
        // Ops such as print_tensor write to the console: keep the protocol stream clean.
        Console.SetOut(TextWriter.Null);
        for (long i = from; i < from + count; i++)
        {
            proto.Write("S ");
            proto.WriteLine(i);
            proto.Flush();
            var (_, outcome, error) = RunOne(ops, backends, seed, i);
            proto.Write("O ");
            proto.WriteLine(Code(outcome));
            if (outcome == Outcome.Failure) proto.WriteLine("F " + JsonSerializer.Serialize(error));
        }
        proto.WriteLine("E");
        proto.Flush();
    }

    private static char Code(Outcome o) => o switch
    {
        Outcome.Result => 'R', Outcome.ValueError => 'V', Outcome.TypeError => 'T', Outcome.IndexError => 'I', _ => 'F',
    };

    private static Outcome FromCode(char c) => c switch
    {
        'R' => Outcome.Result, 'V' => Outcome.ValueError, 'T' => Outcome.TypeError, 'I' => Outcome.IndexError, _ => Outcome.Failure,
    };

    /// <summary>Makes and runs call <paramref name="index"/>; the outcome and, for a failure, the exception.</summary>
    public static (string Op, Outcome Outcome, string? Error) RunOne(IReadOnlyList<OpInfo> ops, IReadOnlyList<string> backends, long seed, long index)
    {
        string op = ops[(int)(index % ops.Count)].Name;
        try
        {
            CaseRunner.RestoreDefaults();
            var call = FuzzCall.Make(ops, backends, seed, index);
            using (Backend.Use(call.Backend))
            {
                var result = OpRegistry.Invoke(call.Op.Name, call.Args);
                var problem = Touch(result, 0);
                return problem is null ? (op, Outcome.Result, null) : (op, Outcome.Failure, problem);
            }
        }
        catch (Exception e) when (e is KerasValueException k)
        {
            return (op, k.KerasKind switch { "TypeError" => Outcome.TypeError, "IndexError" => Outcome.IndexError, _ => Outcome.ValueError }, k.Message);
        }
        catch (KerasConfigException k)
        {
            return (op, Outcome.ValueError, k.Message);
        }
        catch (Exception e)
        {
            return (op, Outcome.Failure, Describe(e));
        }
    }

    private static string Describe(Exception e)
    {
        var frame = e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains(" in ") || l.Contains("KerasBackend"))?.Trim() ?? "";
        return $"{e.GetType().FullName}: {e.Message} {frame}".Trim();
    }

    /// <summary>Uses a result as a caller would (prints it, reads every element); a tensor whose buffer disagrees with its shape is a failure.</summary>
    private static string? Touch(object? result, int depth)
    {
        switch (result)
        {
            case Tensor t:
                _ = t.ToString();
                if (t.IsSymbolic || t.IsSparse) return null;
                if (t.Shape.Size != t.Size) return $"the result's shape {t.Shape} has {t.Shape.Size} elements but the tensor holds {t.Size}";
                double acc = 0;
                for (int i = 0; i < t.Size; i++) acc += t.GetDouble(i);
                GC.KeepAlive(acc);
                return null;
            case string or null:
                return null;
            case IEnumerable e when depth < 3:
                foreach (var item in e) if (Touch(item, depth + 1) is { } p) return p;
                return null;
            default:
                _ = result.ToString();
                return null;
        }
    }

    /// <summary>Runs <paramref name="calls"/> calls from index 0 in child processes and collects the report.</summary>
    public static FuzzReport Supervise(IReadOnlyList<OpInfo> ops, IReadOnlyList<string> backends, long seed, long calls,
        IReadOnlyList<string> childArgs, TextWriter log, int maxFindings = 50)
    {
        var report = new FuzzReport { Seed = seed, Calls = calls };
        var clock = Stopwatch.StartNew();
        long next = 0;
        while (next < calls && report.Findings.Count < maxFindings)
        {
            report.Children++;
            var (done, lastStarted, exit, stderr) = RunChildProcess(childArgs, ops, backends, seed, next, calls - next, report, log);
            if (done) break;
            // The child died or hung in call lastStarted: report it and go on after it.
            var call = FuzzCall.Make(ops, backends, seed, lastStarted);
            var kind = exit is null ? Outcome.Hang : Outcome.Crash;
            var why = exit is null ? $"no progress for {HangAfter.TotalSeconds:0} s (killed)" : $"the process died (exit code {exit}){(stderr.Length > 0 ? ": " + stderr : "")}";
            report.Findings.Add(new FuzzFinding(lastStarted, call.Op.Name, kind, why, call.Reproducer));
            report.Count(call.Op.Name, kind);
            log.WriteLine($"fuzz: call {lastStarted} ({call.Op.Name}) {kind.ToString().ToLowerInvariant()}: {why}");
            next = lastStarted + 1;
        }
        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }

    private static (bool Done, long LastStarted, int? Exit, string Stderr) RunChildProcess(IReadOnlyList<string> childArgs,
        IReadOnlyList<OpInfo> ops, IReadOnlyList<string> backends, long seed, long from, long count, FuzzReport report, TextWriter log)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        var (file, prefix) = SelfCommand();
        psi.FileName = file;
        foreach (var a in prefix) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "fuzz", "--child", "--seed", seed.ToString(), "--from", from.ToString(), "--calls", count.ToString() }.Concat(childArgs))
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_GCHeapHardLimit"] = ChildHeapLimit;
        psi.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the fuzz child process");
        var stderr = new StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) { if (stderr.Length < 4000) stderr.AppendLine(e.Data); } };
        p.BeginErrorReadLine();

        var lines = new System.Collections.Concurrent.BlockingCollection<string?>();
        var reader = new Thread(() =>
        {
            try { string? l; while ((l = p.StandardOutput.ReadLine()) is not null) lines.Add(l); }
            catch (IOException) { }
            lines.Add(null);
        }) { IsBackground = true };
        reader.Start();

        long last = from;
        bool done = false;
        while (true)
        {
            if (!lines.TryTake(out var line, HangAfter))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit();
                return (false, last, null, "");
            }
            if (line is null) break;
            if (line.StartsWith("S ", StringComparison.Ordinal)) last = long.Parse(line.AsSpan(2));
            else if (line.StartsWith("O ", StringComparison.Ordinal)) report.Count(ops[(int)(last % ops.Count)].Name, FromCode(line[2]));
            else if (line.StartsWith("F ", StringComparison.Ordinal))
            {
                var error = JsonSerializer.Deserialize<string>(line[2..]) ?? "";
                var call = FuzzCall.Make(ops, backends, seed, last);
                report.Findings.Add(new FuzzFinding(last, call.Op.Name, Outcome.Failure, error, call.Reproducer));
                log.WriteLine($"fuzz: call {last} ({call.Op.Name}) failed: {error}");
            }
            else if (line == "E") done = true;
        }
        p.WaitForExit();
        string err;
        lock (stderr) err = stderr.ToString().Trim();
        return (done, last, p.ExitCode, err.Length > 600 ? err[..600] + "..." : err);
    }

    /// <summary>How to start this tool again: the apphost, or <c>dotnet exec kbackend.dll</c>.</summary>
    private static (string File, string[] Prefix) SelfCommand()
    {
        var dll = typeof(FuzzRunner).Assembly.Location;
        var apphost = Path.Combine(Path.GetDirectoryName(dll)!, OperatingSystem.IsWindows() ? "kbackend.exe" : "kbackend");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host))
        {
            var self = Environment.ProcessPath;
            host = self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
        return File.Exists(dll) ? (host, ["exec", dll]) : (apphost, []);
    }

    public static IReadOnlyList<string> ParseBackends(string? spec) =>
        string.IsNullOrEmpty(spec) || spec == "all" ? Backend.BuiltIn : spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
