using KerasBackend.Backends.Cpu;

namespace KerasBackend.Conformance.Kernels;

/// <summary>The cpu backend's fork-join helper: every part once, errors on the caller, nesting, no allocation.</summary>
public class WorkersTests
{
    private struct CountJob : IWorkItem
    {
        public int[] Counts;
        public readonly void Run(int part) => Interlocked.Increment(ref Counts[part]);
    }

    private struct ThrowingJob : IWorkItem
    {
        public int[] Counts;
        public int Bad;

        public readonly void Run(int part)
        {
            Interlocked.Increment(ref Counts[part]);
            if (part == Bad) throw new InvalidOperationException($"part {part} failed");
        }
    }

    /// <summary>Each outer part runs an inner fork-join of its own (inline, as the gate is held) into its row of counts.</summary>
    private struct NestedJob : IWorkItem
    {
        public int[][] Counts;

        public readonly void Run(int part)
        {
            var inner = new CountJob { Counts = Counts[part] };
            Workers.Run(ref inner, inner.Counts.Length);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(1000)]
    public void Every_part_runs_exactly_once(int parts)
    {
        for (int rep = 0; rep < 200; rep++)
        {
            var job = new CountJob { Counts = new int[parts] };
            Workers.Run(ref job, parts);
            for (int p = 0; p < parts; p++) Assert.True(job.Counts[p] == 1, $"parts={parts} rep={rep}: part {p} ran {job.Counts[p]} times");
        }
    }

    [Fact]
    public void No_parts_is_a_no_op()
    {
        var job = new CountJob { Counts = new int[1] };
        Workers.Run(ref job, 0);
        Workers.Run(ref job, -3);
        Assert.Equal(0, job.Counts[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void An_exception_in_a_part_is_rethrown_on_the_caller(int bad)
    {
        var job = new ThrowingJob { Counts = new int[8], Bad = bad };
        var e = Assert.Throws<InvalidOperationException>(() => Workers.Run(ref job, 8));
        Assert.Equal($"part {bad} failed", e.Message);
        Assert.Equal(1, job.Counts[bad]);
        Assert.All(job.Counts, c => Assert.InRange(c, 0, 1));
        // The helper is usable again afterwards.
        var ok = new CountJob { Counts = new int[8] };
        Workers.Run(ref ok, 8);
        Assert.All(ok.Counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void Nested_calls_run_inline_and_complete()
    {
        var counts = Enumerable.Range(0, 6).Select(i => new int[i + 1]).ToArray();
        var job = new NestedJob { Counts = counts };
        Workers.Run(ref job, counts.Length);
        foreach (var row in counts) Assert.All(row, c => Assert.Equal(1, c));
    }

    [Fact]
    public void Concurrent_callers_each_get_every_part_once()
    {
        // Four threads race for the gate: the losers run their parts inline, the winner shares them with the workers.
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var threads = Enumerable.Range(0, 4).Select(id => new Thread(() =>
        {
            for (int rep = 0; rep < 300; rep++)
            {
                var job = new CountJob { Counts = new int[5] };
                Workers.Run(ref job, 5);
                if (job.Counts.Any(c => c != 1)) failures.Enqueue($"thread {id} rep {rep}: counts {string.Join(",", job.Counts)}");
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Empty(failures);
    }

    [Fact]
    public void A_call_allocates_nothing_after_warm_up()
    {
        var job = new CountJob { Counts = new int[4] };
        for (int i = 0; i < 100; i++) Workers.Run(ref job, 4);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Workers.Run(ref job, 4);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.All(job.Counts, c => Assert.Equal(1100, c));
    }
}
