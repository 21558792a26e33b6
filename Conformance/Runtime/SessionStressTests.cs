using Xunit.Abstractions;

namespace KerasBackend.Conformance.Runtime;

/// <summary>Reading global state from many threads, and clear_session in a model-building loop.</summary>
[Collection(ConfigCollection.Name)]
public sealed class SessionStressTests : IDisposable
{
    private readonly ConfigSandbox _box = new();
    private readonly ITestOutputHelper _out;

    public SessionStressTests(ITestOutputHelper output)
    {
        _out = output;
        _box.KerasHome();
        _box.Activate();
    }

    public void Dispose() => _box.Dispose();

    [Fact]
    public void Readers_on_many_threads_always_see_a_consistent_configuration_while_a_writer_changes_it()
    {
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            // Flip floatx and epsilon together-ish; readers must only ever see values that were set.
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                K.SetFloatx(i % 2 == 0 ? "float64" : "float16");
                K.SetEpsilon(i % 2 == 0 ? 1e-3 : 1e-5);
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var seen = new HashSet<string>();
            for (int i = 0; i < 20_000; i++)
            {
                var s = Config.Current;
                Assert.Contains(s.Floatx, new[] { DType.Float16, DType.Float32, DType.Float64 });
                Assert.Contains(s.Epsilon, new[] { 1e-7, 1e-3, 1e-5 });
                seen.Add(K.Floatx());
                Assert.Equal("cpu", K.Backend());
            }
            return seen;
        })).ToArray();
        Task.WaitAll(readers);
        stop.Cancel();
        writer.Wait();
        Assert.All(readers, r => Assert.Subset(new HashSet<string> { "float16", "float32", "float64" }, r.Result));
    }

    [Fact]
    public void Get_uid_never_hands_out_the_same_id_twice_across_threads()
    {
        K.ResetUids();
        const int threads = 8, each = 2_000;
        var ids = new int[threads][];
        Parallel.For(0, threads, t => ids[t] = Enumerable.Range(0, each).Select(_ => K.GetUid("shared")).ToArray());
        var all = ids.SelectMany(a => a).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, threads * each), all);
    }

    [Fact]
    public void Memory_stays_flat_across_thousands_of_model_builds_with_clear_session()
    {
        // One "model build": named variables (uids), a symbolic graph over a placeholder-free expression, a forward pass.
        static void Build()
        {
            var w = K.Variable(new float[64, 32]);
            var b = K.Variable(new float[32]);
            var x = K.Ones([16, 64]);
            var y = K.Sum(K.Dot(x, w) + b, axis: 1);
            Assert.Equal(16, y.Shape[0]);
            for (int i = 0; i < 5; i++) K.GetUid("dense");
        }

        for (int i = 0; i < 200; i++) { Build(); K.ClearSession(freeMemory: false); }
        K.ClearSession();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < 3_000; i++) { Build(); K.ClearSession(freeMemory: false); }
        K.ClearSession();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        _out.WriteLine($"managed heap before {before} B, after 3000 builds {after} B, growth {after - before} B");

        // Each build allocates ~20 KB; a leak of one build per iteration would add ~60 MB. Allow 1 MB of noise.
        Assert.True(after - before < 1 << 20, $"managed heap grew by {after - before} bytes over 3000 builds (before {before}, after {after})");
        Assert.Equal(1, K.GetUid("dense"));
        Assert.Equal(1, Session.UidPrefixCount);
    }
}
