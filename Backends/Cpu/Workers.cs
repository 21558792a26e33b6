using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace KerasBackend.Backends.Cpu;

/// <summary>One part of a fork-join job: <see cref="Run"/> is called once for every part index in [0, parts).</summary>
/// <remarks>Implement it on a struct that carries the kernel's arguments (pointers pinned by the caller, tensors,
/// sizes): the struct is copied once into a per-type static slot, so a call allocates nothing.</remarks>
internal interface IWorkItem
{
    void Run(int part);
}

/// <summary>
/// The cpu backend's fork-join helper: <c>Workers.Run(ref job, parts)</c> runs <c>job.Run(p)</c> for every
/// p in [0, parts) on the calling thread and the backend's worker threads, and returns when all are done.
/// </summary>
/// <remarks>
/// Design.
/// <list type="bullet">
/// <item>Threads: ProcessorCount − 1 background threads, started on first use; the calling thread is the
/// remaining one and always works too. Parts are claimed dynamically (a shared counter), so a worker that wakes
/// late, or a core busy with another process, only means the caller takes more parts; split work into a few
/// more parts than threads where balance matters.</item>
/// <item>No allocation per call: the job struct is copied into <c>Slot&lt;TJob&gt;.Job</c> (a static field per
/// job type) and workers reach it through one cached <see cref="Runner"/> per job type; no delegates, closures
/// or Task objects are made per call. Only a failing part allocates (its exception).</item>
/// <item>Publication: one 64-bit state word holds (generation, next part). The caller closes the previous
/// generation, writes the job, then publishes (generation, 0). A worker claims a part with a compare-exchange
/// on the word it read before reading the job; as generations only grow, a successful exchange proves the job it
/// read is the current one and cannot change until that part is finished.</item>
/// <item>Wake-up: an idle worker spins on the state word for about <see cref="SpinMicroseconds"/> µs (back-to-back
/// ops then start in well under a microsecond), then sleeps on a semaphore the next caller releases.</item>
/// <item>One job at a time: a caller takes a gate with a compare-exchange. A call that finds it taken — a part
/// that calls a kernel again (re-entrant), another thread's concurrent op, or any call from a worker — runs all
/// its parts inline on its own thread, so nesting never deadlocks. With ProcessorCount = 1 there are no workers
/// and every call runs inline.</item>
/// <item>Exceptions: the first exception thrown by a part is kept (later parts are skipped) and rethrown on the
/// caller, with its original stack, once every claimed part has finished.</item>
/// </list>
/// </remarks>
internal static class Workers
{
    /// <summary>How long an idle worker polls for the next job before it sleeps.</summary>
    internal const int SpinMicroseconds = 50;

    // Parts index "closed": no part of the current generation can be claimed (set while a job is written).
    private const uint Closed = uint.MaxValue;

    private static readonly int s_threads = Math.Max(1, Environment.ProcessorCount);
    private static readonly Worker[] s_workers = Start(s_threads - 1);

    // (generation << 32) | next part index.
    private static long s_state = (long)Closed;
    private static Runner? s_runner;
    private static int s_parts;
    private static int s_remaining;
    private static int s_gate;
    private static Exception? s_error;

    /// <summary>Threads that run parts: the caller plus the workers.</summary>
    public static int Threads => s_threads;

    /// <summary>Runs <c>job.Run(p)</c> for p in [0, parts) across the caller and the workers; returns when all are done.</summary>
    /// <exception cref="Exception">The first exception a part threw, rethrown after every claimed part finished.</exception>
    public static void Run<TJob>(ref TJob job, int parts) where TJob : struct, IWorkItem
    {
        if (parts <= 0) return;
        if (parts == 1 || s_workers.Length == 0 || Interlocked.CompareExchange(ref s_gate, 1, 0) != 0)
        {
            // Inline: one part, one core, a nested call, another thread's job in flight, or a call from a worker.
            for (int p = 0; p < parts; p++) job.Run(p);
            return;
        }
        try
        {
            Slot<TJob>.Job = job;
            long generation = (Volatile.Read(ref s_state) >> 32) + 1;
            // Close the new generation before touching the job fields, so no late worker can pair them with a stale claim.
            Interlocked.Exchange(ref s_state, (generation << 32) | Closed);
            s_runner = Runner<TJob>.Instance;
            s_parts = parts;
            s_error = null;
            Volatile.Write(ref s_remaining, parts);
            // A full fence: the workers' sleep flags are read after the job is visible (see Worker.Loop).
            Interlocked.Exchange(ref s_state, generation << 32);
            foreach (var w in s_workers) w.Wake();
            Work(generation, Runner<TJob>.Instance, parts);
            // The caller runs out of parts to claim only when every part is claimed; wait for the ones still running.
            var spin = new SpinWait();
            while (Volatile.Read(ref s_remaining) != 0) spin.SpinOnce(sleep1Threshold: -1);
            Slot<TJob>.Job = default; // drop the references the job holds
            if (s_error is { } e) { s_error = null; ExceptionDispatchInfo.Throw(e); }
        }
        finally
        {
            Volatile.Write(ref s_gate, 0);
        }
    }

    /// <summary>Claims and runs parts of <paramref name="generation"/> until none is left.</summary>
    private static void Work(long generation, Runner runner, int parts)
    {
        while (true)
        {
            long s = Volatile.Read(ref s_state);
            if (s >> 32 != generation) return;
            uint next = (uint)s;
            if (next == Closed || next >= (uint)parts) return;
            if (Interlocked.CompareExchange(ref s_state, s + 1, s) != s) continue;
            if (Volatile.Read(ref s_error) is null)
            {
                try { runner.Execute((int)next); }
                catch (Exception e) { Interlocked.CompareExchange(ref s_error, e, null); }
            }
            Interlocked.Decrement(ref s_remaining);
        }
    }

    /// <summary>A worker joins generation <paramref name="seen"/>: the runner and part count are read after the state
    /// word that showed it open, and are that generation's unless the generation moved on (then every claim fails).</summary>
    private static void Join(long seen)
    {
        var runner = Volatile.Read(ref s_runner);
        int parts = Volatile.Read(ref s_parts);
        if (runner is not null) Work(seen, runner, parts);
    }

    /// <summary>True when the state word shows a generation other than <paramref name="seen"/> that is open for claims.</summary>
    private static bool NewJob(long seen, out long generation)
    {
        long s = Volatile.Read(ref s_state);
        generation = s >> 32;
        return generation != seen && (uint)s != Closed;
    }

    private static Worker[] Start(int count)
    {
        var workers = new Worker[count];
        for (int i = 0; i < count; i++) workers[i] = new Worker(i);
        return workers;
    }

    /// <summary>Reaches a job type's static slot from a worker without knowing the type.</summary>
    private abstract class Runner
    {
        public abstract void Execute(int part);
    }

    private sealed class Runner<TJob> : Runner where TJob : struct, IWorkItem
    {
        public static readonly Runner<TJob> Instance = new();
        public override void Execute(int part) => Slot<TJob>.Job.Run(part);
    }

    private static class Slot<TJob> where TJob : struct, IWorkItem
    {
        public static TJob Job;
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private int _sleeping;

        public Worker(int index)
        {
            var t = new Thread(Loop) { IsBackground = true, Name = $"KerasBackend cpu worker {index + 1}" };
            t.Start();
        }

        /// <summary>Called by the caller after publishing a job: releases the worker if it went to sleep.</summary>
        public void Wake()
        {
            if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
        }

        private void Loop()
        {
            long seen = Volatile.Read(ref s_state) >> 32;
            long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                long g;
                // Poll for a new generation, briefly: ops that follow each other closely start without a kernel wake-up.
                while (!NewJob(seen, out g))
                {
                    if (Stopwatch.GetTimestamp() - start > spinTicks)
                    {
                        // A full fence between announcing sleep and the re-check, matching the caller's fenced publish:
                        // either the caller sees the flag (and releases) or this re-check sees the job.
                        Interlocked.Exchange(ref _sleeping, 1);
                        if (NewJob(seen, out g))
                        {
                            // A caller that consumed the flag also released the semaphore; the next wait then returns at once, harmlessly.
                            Interlocked.Exchange(ref _sleeping, 0);
                            break;
                        }
                        _wake.Wait();
                        start = Stopwatch.GetTimestamp();
                    }
                    else Thread.SpinWait(20);
                }
                seen = g;
                Join(seen);
            }
        }
    }
}
