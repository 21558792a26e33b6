using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text.Json;
using KerasBackend.Tool;
using KerasBackend.Tool.Commands;

namespace KerasBackend.Conformance.Tools;

/// <summary>
/// <c>kbackend bench</c>: the machine group (FMA peak, DRAM bandwidth) and the peak_fraction it gives each op.
/// Only the presence and consistency of the figures is tested, never a speed: the machine is shared.
/// </summary>
public class BenchCommandTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args) => ToolRun.Run(args);

    private static List<JsonElement> Json(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
    }

    private static double? Number(JsonElement row, string field) =>
        row.GetProperty(field).ValueKind == JsonValueKind.Null ? null : row.GetProperty(field).GetDouble();

    [Fact]
    public void Machine_group_measures_peak_and_bandwidth_on_one_thread_and_on_all_cores()
    {
        var rows = Json("bench", "--ops", "machine", "--json", "--max-seconds", "0.05");
        int p = Environment.ProcessorCount;
        var threads = p == 1 ? new[] { 1 } : new[] { 1, p };
        Assert.All(rows, r => Assert.Equal("machine", r.GetProperty("backend").GetString()));
        Assert.Equal(5 * threads.Length, rows.Count);
        foreach (var limit in new[] { "peak_f32", "peak_f64", "read", "copy", "add" })
            foreach (int t in threads)
            {
                var r = Assert.Single(rows, r => r.GetProperty("limit").GetString() == limit && r.GetProperty("threads").GetInt32() == t);
                Assert.True(r.GetProperty("median_seconds").GetDouble() > 0);
                bool peak = limit.StartsWith("peak", StringComparison.Ordinal);
                // A peak is a FLOP rate and has no byte count; a bandwidth is the other way round.
                Assert.True((peak ? Number(r, "gflops") : Number(r, "gbps")) > 0, r.ToString());
                Assert.Null(peak ? Number(r, "gbps") : Number(r, "gflops"));
                // The limit is the fastest sample's rate, so it is never below the median's.
                Assert.True(r.GetProperty("best_seconds").GetDouble() <= r.GetProperty("median_seconds").GetDouble());
                Assert.True((peak ? Number(r, "gflops") : Number(r, "gbps")) >= Number(r, "median_rate"), r.ToString());
                Assert.Contains(t == 1 ? "1 thread" : $"{t} threads", r.GetProperty("case").GetString());
            }
    }

    [Fact]
    public void Peak_fraction_is_the_rate_over_the_matching_all_core_limit()
    {
        var rows = Json("bench", "--ops", "machine,batch_dot,add,sum", "--backends", "cpu,tp", "--json", "--max-seconds", "0.05");
        int p = Environment.ProcessorCount;
        double Limit(string name) => Number(rows.Single(r => r.GetProperty("backend").GetString() == "machine" &&
            r.GetProperty("limit").GetString() == name && r.GetProperty("threads").GetInt32() == p), name.StartsWith("peak") ? "gflops" : "gbps")!.Value;
        var ops = rows.Where(r => r.GetProperty("backend").GetString() != "machine").ToList();
        foreach (var r in ops)
        {
            string op = r.GetProperty("op").GetString()!, label = r.GetProperty("case").GetString()!;
            var (rate, limit) = op == "batch_dot"
                ? (Number(r, "gflops"), Limit("peak_f32"))
                : (Number(r, "gbps"), Limit(op == "sum" ? "read" : "add"));
            Assert.True(rate > 0, r.ToString());
            Assert.Equal(rate!.Value / limit, Number(r, "peak_fraction")!.Value, 9);
            // The fields the issue fixes are all still there.
            foreach (var f in new[] { "op", "case", "backend", "median_seconds", "gflops", "gbps" })
                Assert.True(r.TryGetProperty(f, out _), f);
        }
    }

    [Theory]
    [InlineData("dot", "f32 1024x1024x1024", "PeakF32")]
    [InlineData("dot", "f64 1024x1024x1024", "PeakF64")]
    [InlineData("batch_dot", "f32 (64,128,64)x(64,64,128)", "PeakF32")]
    [InlineData("var", "(4096,4096) axis=0", "Read")]
    [InlineData("multiply", "n=1.6e7", "Add")]
    [InlineData("tanh", "n=1.6e7", "Copy")]
    [InlineData("permute_dimensions", "(4096,4096) (1,0)", "Copy")]
    [InlineData("gather", "100k rows of (100000,128)", "Copy")]
    [InlineData("cumsum", "(4096,1024) axis=1", "Copy")]
    [InlineData("overhead", "add n=4 via K.Add", null)]
    public void Each_op_is_held_against_the_limit_of_its_traffic(string op, string label, string? kind) =>
        Assert.Equal(kind, BenchCommand.LimitKind(op, label)?.ToString());

    [Fact]
    public void Without_the_machine_group_peak_fraction_is_null()
    {
        var rows = Json("bench", "--ops", "batch_dot", "--backends", "cpu", "--json", "--max-seconds", "0.05");
        var r = Assert.Single(rows);
        Assert.True(Number(r, "gflops") > 0);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("peak_fraction").ValueKind);
    }

    [Fact]
    public void Table_lists_the_limits_and_a_percent_column()
    {
        var (code, stdout, stderr) = Run("bench", "--ops", "machine,relu", "--backends", "cpu", "--max-seconds", "0.05");
        Assert.True(code == 0, stderr);
        Assert.Contains("machine limits, measured in this run", stdout);
        Assert.Contains("f32 FMA peak, 1 thread", stdout);
        Assert.Contains("DRAM copy", stdout);
        Assert.Contains("% limit", stdout);
        var relu = stdout.Split('\n').Where(l => l.StartsWith("relu ")).ToList();
        Assert.Equal(3, relu.Count);
        Assert.All(relu, l => Assert.Matches(@"GB/s\s+\d+%", l));
    }

    [Fact]
    public void Unknown_op_list_names_the_machine_group()
    {
        var (code, _, stderr) = Run("bench", "--ops", "no_such_op");
        Assert.Equal(1, code);
        Assert.Contains("machine", stderr);
    }

    [Fact]
    public void Quick_times_the_smallest_case_of_each_selected_op()
    {
        var rows = Json("bench", "--ops", "dot,add", "--backends", "cpu", "--quick", "--json");
        Assert.Equal(["f32 64x64x64"], rows.Where(r => r.GetProperty("op").GetString() == "dot").Select(r => r.GetProperty("case").GetString()));
        Assert.Equal(["n=1e3"], rows.Where(r => r.GetProperty("op").GetString() == "add").Select(r => r.GetProperty("case").GetString()));
    }

    [Fact]
    public void Numpy_backend_skips_cases_above_its_work_cap_and_says_so()
    {
        // conv2d's three cases: only (64,8,8,1)x(3,3,1,16) is below 5e8 FLOP; the cpu column times all three.
        var rows = Json("bench", "--ops", "conv2d", "--backends", "cpu,numpy", "--max-seconds", "0.01", "--json");
        Assert.Equal(3, rows.Count(r => r.GetProperty("backend").GetString() == "cpu"));
        var numpy = Assert.Single(rows, r => r.GetProperty("backend").GetString() == "numpy");
        Assert.StartsWith("(64,8,8,1)", numpy.GetProperty("case").GetString());
    }

    [Fact]
    public void From_renders_saved_rows_with_their_own_cpu_ratio_and_plots_every_column()
    {
        string dir = Directory.CreateTempSubdirectory("kb-bench-").FullName;
        try
        {
            string rows = Path.Combine(dir, "rows.json"), png = Path.Combine(dir, "chart.png");
            File.WriteAllText(rows, """
                [{"op":"machine","case":"f32 FMA peak, 1 thread","backend":"machine","median_seconds":1.0},
                 {"op":"softmax","case":"(8,8)","backend":"cpu","median_seconds":2e-6},
                 {"op":"softmax","case":"(8,8)","backend":"ort","median_seconds":9e-6,"cpu_ratio":3.0},
                 {"op":"softmax","case":"(8,8)","backend":"openblas","median_seconds":5e-6}]
                """);
            var (code, stdout, stderr) = Run("bench", "--from", rows, "--plot", png);
            Assert.True(code == 0, stderr);
            var line = Assert.Single(stdout.Split('\n'), l => l.StartsWith("softmax", StringComparison.Ordinal));
            // ort's ratio is the one measured in its own run (3.00), not 9e-6 / 2e-6; openblas's is taken against the cpu row.
            Assert.Contains("3.00x", line);
            Assert.Contains("2.50x", line);
            Assert.DoesNotContain("4.50x", line);
            Assert.Contains("ort/cpu", stdout);
            Assert.True(new FileInfo(png).Length > 0);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Probe_kernels_compute_what_they_time()
    {
        // The FMA chains sit at their fixed point 1: the sum is one per lane per chain, whatever the length.
        int lanes32 = Vector512.IsHardwareAccelerated ? 16 : 8;
        Assert.Equal(MachineProbes.Chains * lanes32, MachineProbes.PeakF32(1000));
        Assert.Equal(MachineProbes.Chains * lanes32 / 2, MachineProbes.PeakF64(1000));
        // Lengths around the vector width and the 4-vector unroll, so every tail is taken.
        for (int n = 0; n <= 4 * Vector<float>.Count + 3; n++)
        {
            var x = Enumerable.Range(0, n).Select(i => (float)(i % 7) - 3).ToArray();
            var y = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
            Assert.Equal(x.Sum(), MachineProbes.Sum(x));
            var z = new float[n];
            MachineProbes.Copy(x, z);
            Assert.Equal(x, z);
            MachineProbes.Add(x, y, z);
            Assert.Equal(x.Zip(y, (a, b) => a + b), z);
        }
    }
}
