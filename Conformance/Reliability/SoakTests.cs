namespace KerasBackend.Conformance.Reliability;

/// <summary>
/// Concurrency, sized for CI: sixteen threads share one <see cref="KFunction"/> that has updates, and every output and
/// the final state equal a serial replay of the same calls. (The clear_session memory soak is
/// Runtime/SessionStressTests.Memory_stays_flat_across_thousands_of_model_builds_with_clear_session.)
/// </summary>
public sealed class SoakTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("numpy")]
    public void Sixteen_threads_sharing_one_function_with_updates_equal_a_serial_replay(string backend)
    {
        using var _ = Backend.Use(backend);
        const int threads = 16, callsPerThread = 25;
        // Integer-valued float64 data: every sum is exact, so the total does not depend on the order of the updates.
        var inputs = Enumerable.Range(0, threads * callsPerThread).Select(n =>
        {
            var a = new double[n % 4 + 1, 6];
            for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < 6; j++) a[i, j] = (n * 13 + i * 5 + j * 3) % 17 - 8;
            return a;
        }).ToArray();

        (KFunction f, Variable total, Variable calls) Build()
        {
            var x = K.Placeholder([null, 6], dtype: DType.Float64);
            var w = K.Variable(K.Constant(Enumerable.Range(0, 18).Select(i => (double)(i % 5 - 2)).ToArray(), shape: [6, 3]));
            var total = K.Variable(0.0, DType.Float64);
            var calls = K.Variable(0.0, DType.Float64);
            var y = K.Sum(K.Relu(K.Dot(x, w)), 1);
            return (K.Function([x], [y, K.Max(x, 1)], [K.UpdateAdd(total, K.Sum(y)), K.UpdateAdd(calls, K.OnesLike(K.Sum(y)))]), total, calls);
        }

        var (serial, serialTotal, serialCalls) = Build();
        var expected = inputs.Select(a => serial.Call(a).Select(t => t.ToArray<double>()).ToArray()).ToArray();

        var (shared, total, calls) = Build();
        var got = new double[inputs.Length][][];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            using var __ = Backend.Use(backend);
            start.SignalAndWait();
            for (int k = 0; k < callsPerThread; k++)
            {
                int i = t * callsPerThread + k;
                got[i] = shared.Call(inputs[i]).Select(r => r.ToArray<double>()).ToArray();
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        for (int i = 0; i < inputs.Length; i++)
            for (int o = 0; o < expected[i].Length; o++)
                Assert.Equal(expected[i][o], got[i][o]); // bit-identical: exact comparison of doubles
        Assert.Equal(serialCalls.ToArray<double>()[0], calls.ToArray<double>()[0]);
        Assert.Equal((double)inputs.Length, calls.ToArray<double>()[0]);
        Assert.Equal(serialTotal.ToArray<double>()[0], total.ToArray<double>()[0]);
    }
}
