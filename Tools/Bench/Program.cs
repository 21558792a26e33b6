using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace KerasBackend.Bench;

/// <summary>
/// <c>dotnet run -c Release --project Tools/Bench -- --filter '*Dot*'</c>. A short job (1 launch, 3 warm-ups,
/// 7 measured iterations) keeps the whole suite within minutes on a 2-core machine; pass BenchmarkDotNet's own
/// options (<c>--job default</c>, <c>--memory</c>) for longer or allocation-counting runs. <c>Tools/Bench/run_ort.sh</c>
/// runs every class in process (<c>--inProcess --iterationTime 100</c>, about 5 minutes) and writes the median
/// ratios and the tables to <c>Tools/Bench/results/ort-DATE.md</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7).AsDefault())
            .AddColumn(StatisticColumn.Median)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
