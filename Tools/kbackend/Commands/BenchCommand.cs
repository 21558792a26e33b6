using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;

namespace KerasBackend.Tool.Commands;

/// <summary>
/// <c>kbackend bench</c>: times each op on the <c>cpu</c> and <c>numpy</c> backends (and on TensorPrimitives where it
/// has the op) in one process, prints medians and ratios, optionally as JSON or a PNG bar chart. The <c>machine</c>
/// group measures the machine's limits (FMA peak, DRAM bandwidth) first, in the same process, and every op's rate is
/// then also given as a fraction of the matching limit.
/// </summary>
internal sealed class BenchCommand : ICommand
{
    public string Name => "bench";
    public string Summary => "time ops on cpu, numpy and TensorPrimitives; print medians and ratios (--json, --plot FILE.png)";
    public string Usage => """
        usage: kbackend bench [--ops OP[,OP...]] [--backends cpu,numpy,tp] [--json] [--plot FILE.png] [--max-seconds S]
                              [--quick] [--all-sizes]
               kbackend bench --from ROWS.json [--plot FILE.png]

          --ops          Keras op names or families to run (default: all cases; 'conv' is the convolution family);
                         'overhead' selects the per-call cases, 'machine'
                         the machine's limits (FMA peak f32/f64, DRAM read/copy/add bandwidth on 1 thread and on all
                         cores), which are measured first and give each op's peak_fraction
          --backends     which columns to time (default cpu,numpy,tp; tp = TensorPrimitives)
          --json         print one JSON list: {"op","case","backend","median_seconds","gflops","gbps","alloc_bytes_per_call",
                         "peak_fraction"} per op, case and backend; the machine rows have backend "machine",
                         gflops/gbps of their fastest sample (best_seconds; a limit is what the machine can do) and
                         "median_rate", "threads", "limit", "detail" instead of alloc_bytes_per_call and peak_fraction
          --plot FILE    draw a PNG bar chart of every other column's time over the cpu time
          --max-seconds  time budget per op, case and backend (default 1; at least 3 runs unless one run exceeds it)
          --quick        a smoke run in well under a minute: the smallest case of each op, a budget of 0.05 s (figures
                         from it are rough; use it to check that everything runs, not to compare)
          --from FILE    time nothing: print the table (and --plot the chart) of rows saved earlier, this command's
                         --json or rows from other tools with any backend name ("ort", "openblas", ...) and an
                         optional "cpu_ratio" measured in their own run (Tools/Bench/bench_all.sh writes such rows)
          --all-sizes    also time the numpy backend on the large cases (above 5e8 FLOP or 2e8 bytes), which it
                         otherwise skips: it is the scalar reference, and one such call can take a minute
        """;

    /// <summary>Work above which the numpy backend (a scalar reference) is not timed without --all-sizes.</summary>
    private const double NumpyMaxFlops = 5e8, NumpyMaxBytes = 2e8;

    /// <summary>One benchmark: an op on one shape. Run is called once per timed repetition and returns what to dispose.</summary>
    private sealed record Case(string Op, string Label, double Flops, double Bytes, Func<Func<object?>> Prepare, Func<Action>? Tp);

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var ops = Option(args, "--ops")?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var backends = (Option(args, "--backends") ?? "cpu,numpy,tp").Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var b in backends)
            if (b is not ("cpu" or "numpy" or "tp")) throw new ArgumentException($"--backends: unknown backend '{b}' (cpu, numpy, tp).");
        bool json = args.Contains("--json");
        string? plot = Option(args, "--plot");
        if (Option(args, "--from") is { } from)
        {
            var rows = ReadRows(from);
            var columns = rows.Select(r => r.Backend).Distinct().OrderBy(b => b != "cpu").ToArray();
            PrintTable(rows, columns, rows.Any(r => r.PeakFraction is not null), stdout);
            if (plot is not null) Plot(rows, plot);
            return 0;
        }
        bool quick = args.Contains("--quick"), allSizes = args.Contains("--all-sizes");
        double budget = double.Parse(Option(args, "--max-seconds") ?? (quick ? "0.05" : "1"), CultureInfo.InvariantCulture);

        bool machine = ops is null || ops.Contains(MachineOp);
        // An op's category selects its whole family too (--ops conv).
        var cases = Cases().Where(c => ops is null || ops.Contains(c.Op) || OpRegistry.Find(c.Op)?.Category is { } cat && ops.Contains(cat)).ToList();
        if (quick) cases = cases.GroupBy(c => c.Op).Select(g => g.MinBy(c => c.Flops + c.Bytes)!).ToList();
        if (cases.Count == 0 && !machine)
            throw new ArgumentException("--ops selected no case; ops: " + string.Join(", ", Cases().Select(c => c.Op).Distinct().Append(MachineOp)));
        var limits = machine ? MeasureMachine(budget, json ? TextWriter.Null : stderr) : [];
        var results = new List<Result>();
        foreach (var c in cases)
        {
            if (c.Op is not ("overhead" or "function") && OpRegistry.Find(c.Op) is null)
            {
                stderr.WriteLine($"bench: skipping {c.Op} {c.Label}: the op is not in this build");
                continue;
            }
            foreach (var b in backends)
            {
                if (b == "numpy" && !allSizes && (c.Flops > NumpyMaxFlops || c.Bytes > NumpyMaxBytes)) continue;
                long allocated = 0;
                double? t = b == "tp" ? (c.Tp is null ? null : Time(c.Tp(), budget)) : TimeOp(c, b, budget, out allocated);
                if (t is null) continue;
                double? gflops = c.Flops > 0 ? c.Flops / t.Value / 1e9 : null, gbps = c.Bytes > 0 ? c.Bytes / t.Value / 1e9 : null;
                results.Add(new Result(c.Op, c.Label, b, t.Value, gflops, gbps, b == "tp" ? null : allocated, PeakFraction(limits, c, gflops, gbps)));
                if (!json) stderr.Write('.');
            }
        }
        if (!json) stderr.WriteLine();
        if (json)
            stdout.WriteLine(JsonSerializer.Serialize(limits.Select(l => new Dictionary<string, object?>
            {
                ["op"] = MachineOp, ["case"] = l.Probe.Label, ["backend"] = MachineOp, ["median_seconds"] = l.Seconds,
                ["best_seconds"] = l.Best, ["gflops"] = l.Gflops, ["gbps"] = l.Gbps, ["median_rate"] = l.MedianRate,
                ["threads"] = l.Probe.Threads, ["limit"] = LimitName(l.Probe.Kind),
                ["detail"] = l.Probe.Detail,
            }).Concat(results.Select(r => new Dictionary<string, object?>
            {
                ["op"] = r.Op, ["case"] = r.Case, ["backend"] = r.Backend, ["median_seconds"] = r.Seconds,
                ["gflops"] = r.Gflops, ["gbps"] = r.Gbps, ["alloc_bytes_per_call"] = r.AllocBytes, ["peak_fraction"] = r.PeakFraction,
            }))));
        else
        {
            PrintLimits(limits, stdout);
            if (results.Count > 0) PrintTable(results, backends, limits.Count > 0, stdout);
            if (backends.Contains("numpy") && !allSizes && cases.Any(c => c.Flops > NumpyMaxFlops || c.Bytes > NumpyMaxBytes))
                stdout.WriteLine($"numpy '-': a case above {NumpyMaxFlops:G2} FLOP or {NumpyMaxBytes:G2} bytes, which the scalar numpy backend is not timed on (--all-sizes times it).");
        }
        if (plot is not null) Plot(results, plot);
        return 0;
    }

    /// <summary>One timed op, case and backend. <paramref name="CpuRatio"/>: this time over the cpu backend's, when it
    /// was measured against its own cpu run (rows read with --from); otherwise the ratio is taken against this run's cpu row.</summary>
    private sealed record Result(string Op, string Case, string Backend, double Seconds, double? Gflops, double? Gbps, long? AllocBytes, double? PeakFraction,
        double? CpuRatio = null)
    {
        public double RatioTo(Result cpu) => CpuRatio ?? Seconds / cpu.Seconds;
    }

    /// <summary>
    /// Rows of an earlier run (this command's --json, or rows another tool measured, such as Tools/Bench/bench_all.sh's
    /// ONNX Runtime and numpy/OpenBLAS columns): {"op", "case", "backend", "median_seconds"}, optionally "gflops",
    /// "gbps", "peak_fraction" and "cpu_ratio" (the time over the cpu backend's in the row's own run). Machine rows are skipped.
    /// </summary>
    private static List<Result> ReadRows(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        static double? Num(JsonElement row, string name) =>
            row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var rows = new List<Result>();
        foreach (var row in doc.RootElement.EnumerateArray())
        {
            string backend = row.GetProperty("backend").GetString() ?? "";
            if (backend == MachineOp || Num(row, "median_seconds") is not { } seconds) continue;
            rows.Add(new Result(row.GetProperty("op").GetString() ?? "", row.GetProperty("case").GetString() ?? "", backend, seconds,
                Num(row, "gflops"), Num(row, "gbps"), (long?)Num(row, "alloc_bytes_per_call"), Num(row, "peak_fraction"), Num(row, "cpu_ratio")));
        }
        return rows;
    }

    /// <summary>The name that selects the machine's limits with --ops, and their "op" and "backend" in JSON.</summary>
    private const string MachineOp = "machine";

    /// <summary>
    /// One measured limit: the probe, its median and its fastest sample. The rate is the fastest sample's, as STREAM
    /// reports its best: a limit is what the machine can do, and on a shared machine the median mostly measures the
    /// neighbours (the all-core probes need both cores free at once).
    /// </summary>
    private sealed record Limit(MachineProbes.Probe Probe, double Seconds, double Best)
    {
        public double? Gflops => Probe.Flops > 0 ? Probe.Flops / Best / 1e9 : null;
        public double? Gbps => Probe.Bytes > 0 ? Probe.Bytes / Best / 1e9 : null;
        public double? MedianRate => (Probe.Flops > 0 ? Probe.Flops : Probe.Bytes) / Seconds / 1e9;
        public double Rate => Gflops ?? Gbps ?? 0;
    }

    /// <summary>
    /// Times every machine probe. The budget per probe is at most 0.5 s: a probe call lasts 3-10 ms, so that is
    /// still 50 or more samples, and the whole group stays within a few seconds.
    /// </summary>
    private static List<Limit> MeasureMachine(double budget, TextWriter progress)
    {
        var limits = new List<Limit>();
        using var probes = new MachineProbes();
        foreach (var p in probes.Probes())
        {
            double median = Time(p.Run, Math.Min(budget, 0.5), out double best);
            limits.Add(new Limit(p, median, best));
            progress.Write('.');
        }
        return limits;
    }

    private static string LimitName(MachineProbes.Kind kind) => kind switch
    {
        MachineProbes.Kind.PeakF32 => "peak_f32", MachineProbes.Kind.PeakF64 => "peak_f64",
        MachineProbes.Kind.Read => "read", MachineProbes.Kind.Copy => "copy", _ => "add",
    };

    /// <summary>
    /// The limit an op's case is held against: the FMA peak of its dtype for dot/batch_dot, and for the rest the
    /// bandwidth of the same traffic: read-only for reductions, add (two streams in, one out) for binary
    /// element-wise ops, copy (one in, one out) for unary ops, softmax, layout, gather and cumsum.
    /// </summary>
    internal static MachineProbes.Kind? LimitKind(string op, string label) => op switch
    {
        "dot" or "batch_dot" => label.StartsWith("f64", StringComparison.Ordinal) ? MachineProbes.Kind.PeakF64 : MachineProbes.Kind.PeakF32,
        "conv2d" or "conv2d_backprop_input" or "conv2d_backprop_filter" or "depthwise_conv2d" => MachineProbes.Kind.PeakF32,
        "pool2d" => MachineProbes.Kind.Read,
        "bias_add" => MachineProbes.Kind.Copy,
        "sum" or "max" or "mean" or "var" => MachineProbes.Kind.Read,
        "add" or "multiply" => MachineProbes.Kind.Add,
        "exp" or "tanh" or "sigmoid" or "relu" or "softmax" or "transpose" or "permute_dimensions" or "gather" or "cumsum" => MachineProbes.Kind.Copy,
        _ => null,
    };

    /// <summary>Rate / the all-core limit of the matching kind (null without a measured limit or a rate).</summary>
    private static double? PeakFraction(List<Limit> limits, Case c, double? gflops, double? gbps)
    {
        if (LimitKind(c.Op, c.Label) is not { } kind || (gflops ?? gbps) is not { } rate) return null;
        var limit = limits.Where(l => l.Probe.Kind == kind).MaxBy(l => l.Probe.Threads);
        return limit is null || limit.Rate <= 0 ? null : rate / limit.Rate;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0) return null;
        if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
        return args[i + 1];
    }

    private static double? TimeOp(Case c, string backend, double budget, out long allocated)
    {
        using var _ = Backend.Use(backend);
        var run = c.Prepare();
        Action once = () => { if (run() is IDisposable d) d.Dispose(); };
        double t = Time(once, budget);
        // Bytes allocated per call on this thread in steady state (after the timed runs warmed every pool).
        int calls = t < 1e-3 ? 200 : t < 0.05 ? 5 : 1;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) once();
        allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
        return t;
    }

    /// <summary>
    /// Median of repeated runs: a warm-up long enough for the JIT to promote the code to its optimized tier (it
    /// waits about 100 ms and 30 calls) and for the pools to fill, then batches of calls sized to about 1 ms,
    /// at least 3 samples, stopping at the budget.
    /// </summary>
    private static double Time(Action f, double budget) => Time(f, budget, out _);

    /// <summary>As <see cref="Time(Action, double)"/>, and also the fastest sample.</summary>
    private static double Time(Action f, double budget, out double best)
    {
        var sw = Stopwatch.StartNew();
        f();
        double first = sw.Elapsed.TotalSeconds;
        best = first;
        // One long call is its own measure; a short budget (--quick) still gets warmed-up samples of a first call that the JIT slowed.
        if (first > Math.Max(budget, 0.25)) return first;
        double warmUp = Math.Min(0.3, budget / 3);
        int calls = 0;
        sw.Restart();
        while (calls < 2 || sw.Elapsed.TotalSeconds < warmUp) { f(); calls++; }
        int inner = Math.Max(1, (int)(1e-3 / (sw.Elapsed.TotalSeconds / calls)));
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (samples.Count < 3 || (total.Elapsed.TotalSeconds < budget && samples.Count < 200))
        {
            sw.Restart();
            for (int i = 0; i < inner; i++) f();
            samples.Add(sw.Elapsed.TotalSeconds / inner);
        }
        samples.Sort();
        best = samples[0];
        return samples[samples.Count / 2];
    }

    private static Tensor Rand(Shape shape, DType dtype = DType.Float32, int seed = 1)
    {
        var rnd = new Random(seed);
        var t = Tensor.Uninitialized(dtype, shape);
        if (dtype == DType.Float64) { var s = t.Span<double>(); for (int i = 0; i < s.Length; i++) s[i] = rnd.NextDouble() * 2 - 1; }
        else if (dtype == DType.Int32) { var s = t.Span<int>(); for (int i = 0; i < s.Length; i++) s[i] = rnd.Next(shape[0] > 0 ? 100000 : 1); }
        else { var s = t.Span<float>(); for (int i = 0; i < s.Length; i++) s[i] = (float)(rnd.NextDouble() * 2 - 1); }
        return t;
    }

    private static Func<object?> Call(string op, params (string Name, object? Value)[] args)
    {
        var d = args.ToDictionary(a => a.Name, a => a.Value);
        return () => OpRegistry.Invoke(op, d);
    }

    private static IEnumerable<Case> Cases()
    {
        const int F = 4;
        foreach (int n in new[] { 64, 256, 512, 1024, 2048 })
        {
            var (a, b) = (Rand(new Shape(n, n)), Rand(new Shape(n, n), seed: 2));
            yield return new Case("dot", $"f32 {n}x{n}x{n}", 2.0 * n * n * n, 0, () => Call("dot", ("x", a), ("y", b)), null);
        }
        {
            var (a, b) = (Rand(new Shape(4096, 1024)), Rand(new Shape(1024, 1024), seed: 2));
            yield return new Case("dot", "f32 4096x1024x1024", 2.0 * 4096 * 1024 * 1024, 0, () => Call("dot", ("x", a), ("y", b)), null);
        }
        foreach (int n in new[] { 256, 1024 })
        {
            var (a, b) = (Rand(new Shape(n, n), DType.Float64), Rand(new Shape(n, n), DType.Float64, 2));
            yield return new Case("dot", $"f64 {n}x{n}x{n}", 2.0 * n * n * n, 0, () => Call("dot", ("x", a), ("y", b)), null);
        }
        {
            var (a, b) = (Rand(new Shape(64, 128, 64)), Rand(new Shape(64, 64, 128), seed: 2));
            yield return new Case("batch_dot", "f32 (64,128,64)x(64,64,128)", 2.0 * 64 * 128 * 64 * 128, 0,
                () => Call("batch_dot", ("x", a), ("y", b), ("axes", new[] { 2, 1 })), null);
        }
        // The convolution family (issue targets): three conv2d shapes, both gradients of the first, 2×2 pooling, bias_add, depthwise 3×3.
        foreach (var (xs, ks, pad) in new[] { (new[] { 32, 28, 28, 32 }, new[] { 3, 3, 32, 64 }, "same"), ([8, 56, 56, 64], [3, 3, 64, 64], "same"), ([64, 8, 8, 1], [3, 3, 1, 16], "valid") })
        {
            var (x, k) = (Rand(Shape.Wrap(xs)), Rand(Shape.Wrap(ks), seed: 2));
            var y = K.Conv2d(x, k, padding: pad);
            double flops = 2.0 * y.Size * ks[0] * ks[1] * ks[2];
            string label = $"({string.Join(",", xs)})x({string.Join(",", ks)}) {pad}";
            yield return new Case("conv2d", label, flops, 0, () => Call("conv2d", ("x", x), ("kernel", k), ("padding", pad)), null);
            if (xs[0] != 32) continue;
            var g = Rand(y.Shape, seed: 3);
            yield return new Case("conv2d_backprop_input", label, flops, 0, () => Call("conv2d_backprop_input", ("x", x), ("kernel", k), ("grad", g), ("padding", pad)), null);
            yield return new Case("conv2d_backprop_filter", label, flops, 0, () => Call("conv2d_backprop_filter", ("x", x), ("kernel", k), ("grad", g), ("padding", pad)), null);
        }
        {
            var x = Rand(new Shape(32, 28, 28, 64));
            var b = Rand(new Shape(64), seed: 2);
            foreach (var mode in new[] { "max", "avg" })
                yield return new Case("pool2d", $"(32,28,28,64) 2x2 stride 2 {mode}", 0, 1.25 * F * x.Size,
                    () => Call("pool2d", ("x", x), ("pool_size", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("pool_mode", mode)), null);
            yield return new Case("bias_add", "(32,28,28,64)+(64,)", 0, 2.0 * F * x.Size, () => Call("bias_add", ("x", x), ("bias", b)), null);
            var dk = Rand(new Shape(3, 3, 64, 1), seed: 3);
            yield return new Case("depthwise_conv2d", "(32,28,28,64)x(3,3,64,1) same", 2.0 * x.Size * 9, 0,
                () => Call("depthwise_conv2d", ("x", x), ("depthwise_kernel", dk), ("padding", "same")), null);
        }
        foreach (var (tag, n) in new[] { ("1e3", 1000), ("1e6", 1_000_000), ("1.6e7", 16_000_000) })
        {
            var (x, y) = (Rand(new Shape(n)), Rand(new Shape(n), seed: 2));
            float[] xa = x.ToArray<float>(), ya = y.ToArray<float>(), o = new float[n];
            yield return new Case("add", $"n={tag}", 0, 3.0 * F * n, () => Call("add", ("x", x), ("y", y)), () => () => TensorPrimitives.Add(xa, ya, o));
            yield return new Case("multiply", $"n={tag}", 0, 3.0 * F * n, () => Call("multiply", ("x", x), ("y", y)), () => () => TensorPrimitives.Multiply(xa, ya, o));
            yield return new Case("exp", $"n={tag}", 0, 2.0 * F * n, () => Call("exp", ("x", x)), () => () => TensorPrimitives.Exp(xa, o));
            yield return new Case("tanh", $"n={tag}", 0, 2.0 * F * n, () => Call("tanh", ("x", x)), () => () => TensorPrimitives.Tanh(xa, o));
            yield return new Case("sigmoid", $"n={tag}", 0, 2.0 * F * n, () => Call("sigmoid", ("x", x)), () => () => TensorPrimitives.Sigmoid(xa, o));
            yield return new Case("relu", $"n={tag}", 0, 2.0 * F * n, () => Call("relu", ("x", x)), () => () => TensorPrimitives.Max(xa, 0f, o));
        }
        {
            const int n = 4096;
            var x = Rand(new Shape(n, n));
            var xa = x.ToArray<float>();
            var acc = new float[n];
            foreach (var op in new[] { "sum", "max", "mean", "var" })
                foreach (var (label, axis) in new[] { ("all", (object?)null), ("axis=0", 0), ("axis=-1", -1) })
                {
                    Func<Action>? tp = (op, axis) switch
                    {
                        ("sum", null) => () => () => TensorPrimitives.Sum(xa),
                        ("max", null) => () => () => TensorPrimitives.Max(xa),
                        ("sum", -1) => () => () => { for (int r = 0; r < n; r++) acc[r] = TensorPrimitives.Sum(xa.AsSpan(r * n, n)); },
                        ("max", -1) => () => () => { for (int r = 0; r < n; r++) acc[r] = TensorPrimitives.Max(xa.AsSpan(r * n, n)); },
                        ("sum", 0) => () => () => { xa.AsSpan(0, n).CopyTo(acc); for (int r = 1; r < n; r++) TensorPrimitives.Add(acc, xa.AsSpan(r * n, n), acc); },
                        _ => null,
                    };
                    yield return new Case(op, $"(4096,4096) {label}", 0, (double)F * n * n, () => Call(op, ("x", x), ("axis", axis), ("keepdims", false)), tp);
                }
        }
        {
            var x = Rand(new Shape(4096, 1024));
            var xa = x.ToArray<float>();
            var o = new float[xa.Length];
            yield return new Case("cumsum", "(4096,1024) axis=0", 0, 2.0 * F * xa.Length, () => Call("cumsum", ("x", x), ("axis", 0)),
                () => () => { xa.AsSpan(0, 1024).CopyTo(o); for (int r = 1; r < 4096; r++) TensorPrimitives.Add(o.AsSpan((r - 1) * 1024, 1024), xa.AsSpan(r * 1024, 1024), o.AsSpan(r * 1024, 1024)); });
            yield return new Case("cumsum", "(4096,1024) axis=1", 0, 2.0 * F * xa.Length, () => Call("cumsum", ("x", x), ("axis", 1)), null);
        }
        {
            var x = Rand(new Shape(1024, 1024));
            var xa = x.ToArray<float>();
            var o = new float[xa.Length];
            yield return new Case("softmax", "(1024,1024) axis=-1", 0, 2.0 * F * xa.Length, () => Call("softmax", ("x", x), ("axis", -1)),
                () => () => { for (int r = 0; r < 1024; r++) TensorPrimitives.SoftMax(xa.AsSpan(r * 1024, 1024), o.AsSpan(r * 1024, 1024)); });
        }
        {
            var table = Rand(new Shape(100_000, 128));
            var idx = Rand(new Shape(100_000), DType.Int32, 3);
            yield return new Case("gather", "100k rows of (100000,128)", 0, 2.0 * F * 100_000 * 128, () => Call("gather", ("reference", table), ("indices", idx)), null);
        }
        {
            var x = Rand(new Shape(4096, 4096));
            yield return new Case("transpose", "(4096,4096)", 0, 2.0 * F * 4096 * 4096, () => Call("transpose", ("x", x)), null);
            yield return new Case("permute_dimensions", "(4096,4096) (1,0)", 0, 2.0 * F * 4096 * 4096, () => Call("permute_dimensions", ("x", x), ("pattern", new[] { 1, 0 })), null);
            var y = Rand(new Shape(64, 256, 256));
            yield return new Case("permute_dimensions", "(64,256,256) (0,2,1)", 0, 2.0 * F * 64 * 256 * 256, () => Call("permute_dimensions", ("x", y), ("pattern", new[] { 0, 2, 1 })), null);
        }
        {
            // Per-node overhead of K.Function: a chain of 32 element-wise nodes on a 4-element input.
            const int nodes = 32;
            var p = K.Placeholder(new int?[] { 4 });
            var y = p;
            for (int i = 0; i < nodes; i++) y = i % 2 == 0 ? y * 1.0001 : y + p;
            var f = K.Function([p], [y]);
            var feed = K.Constant(new float[] { 1, 2, 3, 4 });
            yield return new Case("function", $"{nodes}-node chain n=4 (per call)", 0, 0, () => () => f.Call(feed)[0], null);
        }
        {
            // One training step: loss = Σ (x·w − t)², w ← w − 0.01·∂loss/∂w, through K.Function.
            var x = K.Placeholder(new int?[] { 8, 16 });
            var t = K.Placeholder(new int?[] { 8, 4 });
            var w = K.Variable(Rand(new Shape(16, 4)));
            var d = K.Dot(x, w) - t;
            var loss = K.Sum(d * d);
            var g = K.Gradients(loss, [w])[0];
            var step = K.Function([x, t], [loss], [(w, w - g * 0.01)]);
            var (xv, tv) = (Rand(new Shape(8, 16), seed: 4), Rand(new Shape(8, 4), seed: 5));
            yield return new Case("function", "training step dot(8,16)x(16,4)", 0, 0, () => () => step.Call(xv, tv)[0], null);
        }
        {
            var (x, y) = (Rand(new Shape(4)), Rand(new Shape(4), seed: 2));
            float[] xa = x.ToArray<float>(), ya = y.ToArray<float>(), o = new float[4];
            yield return new Case("overhead", "add n=4 via K.Add", 0, 0, () => () => K.Add(x, y), () => () => TensorPrimitives.Add(xa, ya, o));
            // The same call by op name (OpRegistry.Invoke, as the other cases and case replay call ops): the difference is the name lookup and argument conversion.
            yield return new Case("overhead", "add n=4 by name", 0, 0, () => Call("add", ("x", x), ("y", y)), null);
        }
    }

    private static void PrintLimits(List<Limit> limits, TextWriter stdout)
    {
        if (limits.Count == 0) return;
        // The machine is shared: the load average says whether the limits (and the ops) ran on an idle machine.
        string load = File.Exists("/proc/loadavg") ? $", load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end" : "";
        stdout.WriteLine($"machine limits, measured in this run ({Environment.ProcessorCount} cores{load}): fastest sample, median in brackets");
        foreach (var l in limits)
        {
            string unit = l.Gflops is null ? "GB/s" : "GFLOPS";
            stdout.WriteLine($"  {l.Probe.Label,-28} {$"{l.Gflops ?? l.Gbps:F1} {unit}",-14} (median {l.MedianRate:F1})  {l.Probe.Detail}");
        }
        stdout.WriteLine();
    }

    private static void PrintTable(List<Result> results, string[] backends, bool limits, TextWriter stdout)
    {
        static string Fmt(double s) => s >= 1 ? $"{s:F2} s" : s >= 1e-3 ? $"{s * 1e3:F2} ms" : s >= 1e-6 ? $"{s * 1e6:F1} us" : $"{s * 1e9:F0} ns";
        var head = $"{"op",-19} {"case",-32}" + string.Concat(backends.Select(b => $" {b,11}")) + $" {"rate (cpu)",-14}" + (limits ? $" {"% limit",7}" : "") +
                   $" {"alloc/call",10}" + string.Concat(backends.Where(b => b != "cpu").Select(b => $" {b + "/cpu",9}"));
        stdout.WriteLine(head);
        stdout.WriteLine(new string('-', head.Length));
        foreach (var g in results.GroupBy(r => (r.Op, r.Case)))
        {
            var by = g.ToDictionary(r => r.Backend);
            var line = $"{g.Key.Op,-19} {g.Key.Case,-32}" + string.Concat(backends.Select(b => $" {(by.TryGetValue(b, out var r) ? Fmt(r.Seconds) : "-"),11}"));
            string rate = by.TryGetValue("cpu", out var c) ? c.Gflops is { } gf ? $"{gf:F0} GFLOPS" : c.Gbps is { } gb ? $"{gb:F1} GB/s" : "" : "";
            line += $" {rate,-14}";
            if (limits) line += $" {(c?.PeakFraction is { } pf ? $"{pf * 100:F0}%" : "-"),7}";
            line += $" {(c?.AllocBytes is long ab ? $"{ab} B" : "-"),10}";
            foreach (var b in backends.Where(b => b != "cpu"))
                line += $" {(c is not null && by.TryGetValue(b, out var o) ? $"{o.RatioTo(c):F2}x" : "-"),9}";
            stdout.WriteLine(line);
        }
        stdout.WriteLine("ratios are other/cpu times: above 1 means cpu is faster. alloc/call: managed bytes the cpu call allocates on the calling thread.");
        if (limits)
            stdout.WriteLine($"% limit: the cpu rate as a share of the all-core limit above: FMA peak for dot/batch_dot, DRAM bandwidth of the same kind\n" +
                             "(read: reductions; add: binary element-wise; copy: unary, softmax, layout, gather, cumsum). Working sets that fit in\n" +
                             "the caches (n=1e3, 1e6, softmax) can exceed 100%.");
    }

    private static string BackendTitle(string backend) => backend switch
    {
        "numpy" => "numpy backend", "tp" => "TensorPrimitives", "ort" => "ONNX Runtime", "openblas" => "numpy/OpenBLAS", _ => backend,
    };

    private static void Plot(List<Result> results, string path)
    {
        var groups = results.GroupBy(r => (r.Op, r.Case)).Where(g => g.Any(r => r.Backend == "cpu")).ToList();
        var plt = new ScottPlot.Plot();
        var ticks = new List<ScottPlot.Tick>();
        var others = results.Select(r => r.Backend).Where(b => b != "cpu").Distinct().ToArray();
        var palette = new[] { ScottPlot.Colors.SteelBlue, ScottPlot.Colors.Orange, ScottPlot.Colors.SeaGreen, ScottPlot.Colors.Crimson, ScottPlot.Colors.SlateGray };
        int slot = others.Length + 1;
        for (int i = 0; i < groups.Count; i++)
        {
            var cpu = groups[i].First(r => r.Backend == "cpu");
            for (int k = 0; k < others.Length; k++)
            {
                var o = groups[i].FirstOrDefault(r => r.Backend == others[k]);
                if (o is null) continue;
                var bar = new ScottPlot.Bar { Position = i * slot + k, Value = Math.Log10(o.RatioTo(cpu)), FillColor = palette[k % palette.Length] };
                plt.Add.Bar(bar);
            }
            ticks.Add(new ScottPlot.Tick(i * slot + (others.Length - 1) / 2.0, $"{groups[i].Key.Op} {groups[i].Key.Case}"));
        }
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        // Cases without a baseline bar still get their slot and label.
        plt.Axes.SetLimitsX(-1, groups.Count * slot);
        plt.Axes.Bottom.TickLabelStyle.Rotation = 60;
        plt.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plt.Axes.Bottom.MinimumSize = 260;
        plt.Axes.Left.Label.Text = "log10(time / cpu time): above 0, cpu is faster";
        string[] colorNames = ["blue", "orange", "green", "red", "grey"];
        plt.Title("relative to the cpu backend: " + string.Join(", ", others.Select((b, k) => $"{BackendTitle(b)} ({colorNames[k % colorNames.Length]})")));
        plt.SavePng(path, Math.Max(900, groups.Count * 14 * slot), 800);
    }
}
