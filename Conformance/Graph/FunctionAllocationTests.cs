using KerasBackend.Graph;

namespace KerasBackend.Conformance.Graph;

/// <summary>
/// Steady-state K.Function calls allocate only what they return: per call, a new list (a Tensor[]) of new output
/// tensors, each a Tensor object and, below the pool threshold, its GC array. Everything else the function does
/// (the feed, the values of the nodes and their buffers, the per-node input arrays, update operands) is reused.
/// Measured with GC.GetAllocatedBytesForCurrentThread, which counts every byte this thread allocates: a
/// deterministic count, not a timing. The sizes are small so that every kernel runs on the calling thread.
/// </summary>
/// <remarks>
/// The backend kernels are the backend's business, not the function's: the tests run the cpu kernels through a
/// wrapper that counts what each kernel call allocates inside the kernel, and the bound is on the rest. The
/// failure message shows both parts.
/// </remarks>
public class FunctionAllocationTests
{
    private const int Calls = 100;

    private static Tensor Rand(int seed, params int[] shape)
    {
        var rnd = new Random(seed);
        var t = Tensor.Uninitialized(DType.Float32, new Shape(shape));
        var s = t.Span<float>();
        for (int i = 0; i < s.Length; i++) s[i] = (float)(rnd.NextDouble() * 2 - 1);
        return t;
    }

    /// <summary>The cpu backend, counting the bytes allocated inside the kernels these graphs use; any other kernel is reported.</summary>
    internal sealed class KernelBytes() : DelegatingBackend(Backend.Create("cpu"))
    {
        private bool _inKernel;
        private long _start;
        public long Bytes;
        public string? Unmeasured;

        protected override void OnKernel(string name)
        {
            if (!_inKernel) Unmeasured ??= name;
        }

        private void Begin()
        {
            _inKernel = true;
            _start = GC.GetAllocatedBytesForCurrentThread();
        }

        private void End()
        {
            Bytes += GC.GetAllocatedBytesForCurrentThread() - _start;
            _inKernel = false;
        }

        public override void Add(Tensor x, Tensor y, Tensor output) { Begin(); base.Add(x, y, output); End(); }
        public override void Subtract(Tensor x, Tensor y, Tensor output) { Begin(); base.Subtract(x, y, output); End(); }
        public override void Multiply(Tensor x, Tensor y, Tensor output) { Begin(); base.Multiply(x, y, output); End(); }
        public override void Divide(Tensor x, Tensor y, Tensor output) { Begin(); base.Divide(x, y, output); End(); }
        public override void Cast(Tensor x, Tensor output) { Begin(); base.Cast(x, output); End(); }
        public override void OnesLike(Tensor x, Tensor output) { Begin(); base.OnesLike(x, output); End(); }
        public override void Dot(Tensor x, Tensor y, Tensor output) { Begin(); base.Dot(x, y, output); End(); }
        public override void Transpose(Tensor x, Tensor output) { Begin(); base.Transpose(x, output); End(); }
        public override void Square(Tensor x, Tensor output) { Begin(); base.Square(x, output); End(); }
        public override void Exp(Tensor x, Tensor output) { Begin(); base.Exp(x, output); End(); }
        public override void Relu(Tensor x, double alpha, double? maxValue, double threshold, Tensor output) { Begin(); base.Relu(x, alpha, maxValue, threshold, output); End(); }
        public override void Softmax(Tensor x, int axis, Tensor output) { Begin(); base.Softmax(x, axis, output); End(); }
        public override void Sum(Tensor x, int[] axis, bool keepdims, Tensor output) { Begin(); base.Sum(x, axis, keepdims, output); End(); }
        public override void Mean(Tensor x, int[] axis, bool keepdims, Tensor output) { Begin(); base.Mean(x, axis, keepdims, output); End(); }
        public override void Max(Tensor x, int[] axis, bool keepdims, Tensor output) { Begin(); base.Max(x, axis, keepdims, output); End(); }
    }

    // What returning these outputs costs: the list and one new tensor of each output's shape and dtype.
    internal static long OutputBytes(IReadOnlyList<Tensor> outputs)
    {
        var shapes = outputs.Select(o => (o.DType, o.Shape)).ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var list = new Tensor[shapes.Length];
        for (int i = 0; i < shapes.Length; i++) list[i] = Tensor.Uninitialized(shapes[i].DType, shapes[i].Shape);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(list);
        return bytes;
    }

    /// <summary>Bytes per steady-state call: all of them, those allocated inside kernels, and the cost of the outputs.</summary>
    private static (long Total, long Kernels, long Outputs) Measure(KernelBytes backend, Func<IReadOnlyList<Tensor>> call)
    {
        // Warm-up: the first call replays every node through the facade (checks, inference) and sizes the buffers.
        IReadOnlyList<Tensor> r = [];
        for (int i = 0; i < 5; i++) r = call();
        long outputs = OutputBytes(r);
        // Building the graph and the first calls may run other kernels (K.Ones for the gradient's seed, K.Zeros in a specialization).
        backend.Unmeasured = null;
        backend.Bytes = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++) r = call();
        long total = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(r);
        Assert.Null(backend.Unmeasured);
        return (total / Calls, backend.Bytes / Calls, outputs);
    }

    private static void AssertOnlyOutputs(string what, int nodes, (long Total, long Kernels, long Outputs) m) =>
        Assert.True(m.Total - m.Kernels <= m.Outputs,
            $"{what} ({nodes} nodes) allocated {m.Total} bytes per call: {m.Kernels} inside the kernels, {m.Total - m.Kernels} outside; " +
            $"returning its outputs costs {m.Outputs}");

    [Fact]
    public void A_training_step_allocates_only_its_outputs()
    {
        // loss = Σ (x·w − t)², w ← w − 0.01·∂loss/∂w: dot, subtract, square, sum, their gradients and an update.
        var backend = new KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([8, 16]);
        var t = K.Placeholder([8, 4]);
        var w = K.Variable(Rand(1, 16, 4), name: "w");
        var loss = K.Sum(K.Square(K.Dot(x, w) - t));
        var g = K.Gradients(loss, [w])[0];
        var step = K.Function([x, t], [loss], [K.Update(w, w - g * 0.01)]);
        var (xv, tv) = (Rand(2, 8, 16), Rand(3, 8, 4));

        var m = Measure(backend, () => step.Call(xv, tv));
        Assert.True(step.NodeCount >= 8, $"the step has {step.NodeCount} nodes");
        AssertOnlyOutputs("a training step", step.NodeCount, m);
    }

    [Fact]
    public void A_training_step_with_increment_updates_allocates_only_its_outputs()
    {
        // K.UpdateSub / K.UpdateAdd compute the new value at assignment time (after earlier updates of the variable).
        var backend = new KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([8, 16]);
        var t = K.Placeholder([8, 4]);
        var w = K.Variable(Rand(1, 16, 4), name: "w");
        var steps = K.Variable(new float[1], name: "steps");
        var loss = K.Sum(K.Square(K.Dot(x, w) - t));
        var g = K.Gradients(loss, [w])[0];
        var one = Session.Symbolic(() => K.OnesLike(steps));
        var step = K.Function([x, t], [loss], [K.UpdateSub(w, g * 0.01), K.UpdateAdd(steps, one)]);
        var (xv, tv) = (Rand(2, 8, 16), Rand(3, 8, 4));

        var m = Measure(backend, () => step.Call(xv, tv));
        AssertOnlyOutputs("a training step with K.UpdateSub and K.UpdateAdd", step.NodeCount, m);
        Assert.Equal(5 + Calls, steps.ToArray<float>()[0]);
    }

    [Fact]
    public void A_training_step_with_two_outputs_and_pair_updates_allocates_only_its_outputs()
    {
        var backend = new KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([8, 16]);
        var t = K.Placeholder([8, 4]);
        var w = K.Variable(Rand(1, 16, 4), name: "w");
        var b = K.Variable(new float[4], name: "b");
        var err = K.Dot(x, w) + b - t;
        var loss = K.Mean(K.Square(err));
        var grads = K.Gradients(loss, [w, b]);
        var step = K.Function([x, t], [loss, err], [(w, w - grads[0] * 0.1), (b, b - grads[1] * 0.1)]);
        var (xv, tv) = (Rand(2, 8, 16), Rand(3, 8, 4));

        var m = Measure(backend, () => step.Call(xv, tv));
        AssertOnlyOutputs("a training step", step.NodeCount, m);
    }

    [Fact]
    public void A_training_step_with_an_unknown_batch_allocates_only_its_outputs()
    {
        // With an unknown batch, K.Gradients records composite nodes (_sum_like, _broadcast_like) that decide from the
        // fed shapes; the function specializes them to those shapes once, then runs their kernels like any other node.
        var backend = new KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([null, 16]);
        var t = K.Placeholder([null, 4]);
        var w = K.Variable(Rand(1, 16, 4), name: "w");
        var b = K.Variable(new float[4], name: "b");
        var loss = K.Mean(K.Square(K.Dot(x, w) + b - t));
        var grads = K.Gradients(loss, [w, b]);
        var step = K.Function([x, t], [loss], [K.Update(w, w - grads[0] * 0.1), K.Update(b, b - grads[1] * 0.1)]);
        var (xv, tv) = (Rand(2, 8, 16), Rand(3, 8, 4));

        var m = Measure(backend, () => step.Call(xv, tv));
        AssertOnlyOutputs("a training step with an unknown batch", step.NodeCount, m);
    }

    [Fact]
    public void Pooled_intermediates_go_back_to_the_pool_and_come_back_without_allocating()
    {
        // 64 KiB intermediates (above the pool threshold, below the kernels' threading threshold): each one's buffer
        // returns to the pool after its last use and is rented again on the next call.
        var backend = new KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([128, 128]);
        var y = x;
        for (int i = 0; i < 24; i++) y = i % 3 == 0 ? K.Exp(y * 0.001) : i % 3 == 1 ? y + x : K.Square(y) * 0.5;
        var f = K.Function([x], [K.Mean(y), K.Max(y)]);
        var xv = Rand(4, 128, 128);

        var m = Measure(backend, () => f.Call(xv));
        AssertOnlyOutputs("a chain of (128, 128) element-wise ops", f.NodeCount, m);
    }

    [Fact]
    public void Feeding_the_learning_phase_allocates_nothing_more()
    {
        var backend = new KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([4]);
        var f = K.Function([x], [K.Exp(x) * K.Cast(LearningPhaseScope.Placeholder, DType.Float32)]);
        var xv = K.Constant(new float[] { 0, 1, 2, 3 });

        var train = Measure(backend, () => f.CallWithLearningPhase(1, xv));
        AssertOnlyOutputs("a function fed the learning phase", f.NodeCount, train);
        var test = Measure(backend, () => f.Call(xv));
        AssertOnlyOutputs("a function reading the default learning phase", f.NodeCount, test);
        Assert.Equal(MathF.Exp(3), f.CallWithLearningPhase(1, xv)[0].ToArray<float>()[3], 1e-5f);
        Assert.Equal(0f, f.CallWithLearningPhase(0, xv)[0].ToArray<float>()[3]);
        Assert.Null(LearningPhaseScope.Override);
    }

    [Fact]
    public void A_forward_function_with_several_outputs_allocates_only_its_outputs()
    {
        // Five outputs: activations, a reduction of them, and the fed input itself (returned as a copy).
        var backend = new KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([4, 6]);
        var w = K.Variable(Rand(1, 6, 5));
        var h = K.Relu(K.Dot(x, w) + K.Constant(new float[] { 0.1f, -0.1f, 0.2f, 0f, 0.3f }));
        var p = K.Softmax(h);
        var f = K.Function([x], [h, p, K.Max(p, 1), K.Mean(K.Exp(x)), x]);
        var xv = Rand(2, 4, 6);

        var m = Measure(backend, () => f.Call(xv));
        AssertOnlyOutputs("a forward function with 5 outputs", f.NodeCount, m);
    }

    [Fact]
    public void Outputs_of_successive_calls_are_distinct_and_keep_their_values()
    {
        using var _ = Backend.Use("cpu");
        var x = K.Placeholder([3]);
        var y = K.Exp(x) * 2.0;
        var f = K.Function([x], [y, K.Sum(y)]);
        var results = new List<IReadOnlyList<Tensor>>();
        for (int i = 0; i < 6; i++) results.Add(f.Call(K.Constant(new float[] { i, i + 1, i + 2 })));
        for (int i = 0; i < results.Count; i++)
        {
            var expected = new[] { 2 * MathF.Exp(i), 2 * MathF.Exp(i + 1), 2 * MathF.Exp(i + 2) };
            Assert.Equal(expected, results[i][0].ToArray<float>(), (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Abs(b));
            Assert.Equal(expected.Sum(), results[i][1].ToArray<float>()[0], expected.Sum() * 1e-5f);
            for (int j = 0; j < i; j++) Assert.NotSame(results[j][0], results[i][0]);
        }
    }

    [Theory, MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public void Repeated_steps_match_the_same_steps_computed_eagerly(string backend)
    {
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([null, 3]);
        var t = K.Placeholder([null, 2]);
        var w = K.Variable(Rand(1, 3, 2), name: "w");
        var loss = K.Sum(K.Square(K.Dot(x, w) - t));
        var g = K.Gradients(loss, [w])[0];
        var step = K.Function([x, t], [loss], [K.Update(w, w - g * 0.05)]);
        var weights = w.ToArray<float>();
        for (int i = 0; i < 12; i++)
        {
            // Batch sizes change between calls: the nodes' buffers and shapes follow.
            int n = i % 3 == 2 ? 5 : 4;
            var (xv, tv) = (Rand(10 + i, n, 3), Rand(40 + i, n, 2));
            var wt = K.Constant(weights, shape: [3, 2]);
            var err = K.Dot(xv, wt) - tv;
            float expectedLoss = K.Sum(K.Square(err)).ToArray<float>()[0];
            var expectedW = (wt - K.Dot(K.Transpose(xv), err) * 2.0 * 0.05).ToArray<float>();
            var r = step.Call(xv, tv);
            Assert.Equal(expectedLoss, r[0].ToArray<float>()[0], Math.Abs(expectedLoss) * 1e-5f);
            Assert.Equal(expectedW, w.ToArray<float>(), (a, b) => Math.Abs(a - b) <= 1e-5f * (1 + Math.Abs(b)));
            weights = expectedW;
        }
    }

    public static TheoryData<string, string> SpecializedGraphs()
    {
        var d = new TheoryData<string, string>();
        foreach (var b in Backends.Names)
            foreach (var g in new[] { "broadcast_sum", "mean_axis", "reshape", "tile", "concat", "gather", "batch_dot", "max" })
                d.Add(b, g);
        return d;
    }

    // A loss over x (unknown dimensions), so that K.Gradients records composite nodes that decide from the fed shapes.
    private static Tensor Loss(string graph, Tensor x, Tensor w) => graph switch
    {
        "broadcast_sum" => K.Sum(K.Square(x * w + w)),
        "mean_axis" => K.Sum(K.Mean(K.Exp(x * 0.1) * w, 0)),
        "reshape" => K.Sum(K.Reshape(x * w, [-1]) * 2.0),
        "tile" => K.Sum(K.Square(K.Tile(x * w, [2, 1])) * 1.5),
        "concat" => K.Sum(K.Square(K.Concatenate([x, x * w], 1))),
        "gather" => K.Sum(K.Gather(x, K.Constant(new[] { 0, 1, 0 }, DType.Int32)) * w),
        "batch_dot" => K.Sum(K.BatchDot(K.ExpandDims(x, 1), K.ExpandDims(x * w, 2), [2, 1])),
        _ => K.Sum(K.Max(x * w, 1, keepdims: true) * 3.0),
    };

    [Theory, MemberData(nameof(SpecializedGraphs))]
    public void Specialized_composite_nodes_compute_what_their_replays_compute(string backend, string graph)
    {
        using var _ = Backend.Use(backend);
        var x = K.Placeholder([null, null]);
        var w = K.Variable(Rand(7, 1, 3), name: "w");
        var loss = Loss(graph, x, w);
        var grads = K.Gradients(loss, [x, w]);
        // The gradient w.r.t. x is an output made by a composite node; the one w.r.t. w feeds an update.
        var f = K.Function([x], [loss, grads[0], grads[1]]);
        foreach (int n in new[] { 3, 3, 5, 3, 4, 4 })
        {
            var xv = Rand(20 + n, n, 3);
            var r = f.Call(xv);
            // The reference: a one-shot evaluation, which always replays through the facades.
            var feed = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [x] = xv };
            var once = new Plan(grads.Prepend(loss).Where(g => g.IsSymbolic)).Run(feed);
            Tensor[] expected = [once[loss], grads[0].IsSymbolic ? once[grads[0]] : grads[0], grads[1].IsSymbolic ? once[grads[1]] : grads[1]];
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(expected[i].Shape, r[i].Shape);
                Assert.True(expected[i].ToArray<float>().SequenceEqual(r[i].ToArray<float>()),
                    $"{graph} on {backend}, batch {n}: output {i} is [{string.Join(", ", r[i].ToArray<float>())}], the replay gives [{string.Join(", ", expected[i].ToArray<float>())}]");
            }
        }
    }

    [Fact]
    public void Checks_still_run_after_the_kernels_are_warm()
    {
        using var _ = Backend.Use("cpu");
        var x = K.Placeholder([null, null]);
        var w = K.Variable(Rand(1, 4, 2));
        var f = K.Function([x], [K.Dot(x, w)]);
        for (int i = 0; i < 3; i++) f.Call(Rand(i, 3, 4));
        // A new shape goes through the facade again: dot's check rejects it.
        var e = Assert.Throws<KerasValueException>(() => f.Call(Rand(5, 3, 5)));
        Assert.Equal("dot", e.Op);
        Assert.Equal(new Shape(3, 2), f.Call(Rand(6, 3, 4))[0].Shape);

        // A check that reads values runs on every call, also when the shapes are those of a passing call.
        var idx = K.Placeholder([2], dtype: DType.Int32);
        var table = K.Variable(Rand(2, 5, 3));
        var gather = K.Function([idx], [K.Gather(table, idx) * 2.0]);
        for (int i = 0; i < 3; i++) gather.Call(K.Constant(new[] { i, 4 }, DType.Int32));
        var ie = Assert.Throws<KerasIndexException>(() => gather.Call(K.Constant(new[] { 1, 5 }, DType.Int32)));
        Assert.Equal("gather", ie.Op);
        Assert.Equal(table.ToArray<float>()[12..15].Select(v => v * 2), gather.Call(K.Constant(new[] { 4, 0 }, DType.Int32))[0].ToArray<float>()[..3]);
    }

    [Fact]
    public void Concurrent_calls_of_a_function_without_updates_each_get_their_own_buffers()
    {
        using var _ = Backend.Use("cpu");
        var x = K.Placeholder([64]);
        // The (64, 64) intermediates (16 KiB) are above the pool threshold: their buffers go back to the pool between uses.
        var big = K.Dot(K.ExpandDims(x, 1), K.ExpandDims(x, 0));
        var f = K.Function([x], [K.Sum(K.Square(big)), K.Sum(K.Exp(x * 0.01))]);
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var v = new float[64];
            for (int k = 0; k < v.Length; k++) v[k] = (i % 7 + k % 5) * 0.1f;
            double s2 = v.Sum(a => (double)a * a);
            double expected = s2 * s2, expectedExp = v.Sum(a => Math.Exp(a * 0.01));
            var r = f.Call(v);
            double got = r[0].ToArray<float>()[0], gotExp = r[1].ToArray<float>()[0];
            if (Math.Abs(got - expected) > 1e-4 * expected || Math.Abs(gotExp - expectedExp) > 1e-4 * expectedExp)
                errors.Add($"call {i}: got ({got}, {gotExp}), expected ({expected}, {expectedExp})");
        });
        Assert.Empty(errors);
    }
}

/// <summary>
/// An eager op allocates its result only (outside the kernel): one Tensor object and, below the pool threshold,
/// its array; the result's shape reuses an operand's when they are equal, and checks and inference allocate
/// nothing else except, for reductions, the normalized axes the kernel receives.
/// </summary>
public class EagerAllocationTests
{
    private static (long Total, long Kernels) Measure(FunctionAllocationTests.KernelBytes backend, Func<Tensor> op)
    {
        for (int i = 0; i < 5; i++) op();
        backend.Bytes = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) op();
        long total = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Null(backend.Unmeasured);
        return (total / 100, backend.Bytes / 100);
    }

    [Fact]
    public void An_eager_add_allocates_its_result_only()
    {
        var backend = new FunctionAllocationTests.KernelBytes();
        using var _ = Backend.Use(backend);
        var (x, y) = (K.Constant(new float[] { 1, 2, 3, 4 }), K.Constant(new float[] { 5, 6, 7, 8 }));
        var (total, kernels) = Measure(backend, () => K.Add(x, y));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var like = Tensor.Uninitialized(x.DType, x.Shape);
        long result = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(like);
        Assert.True(total - kernels <= result, $"K.Add of two (4,) tensors allocated {total} bytes ({kernels} in the kernel); its result costs {result}");
    }

    [Fact]
    public void Arithmetic_with_a_scalar_of_another_dtype_allocates_nothing_in_the_kernel()
    {
        // x * 0.5 on float32 x (as optimizer steps do): the C# number, a weak float64 scalar, is cast into a scratch
        // scalar, not a new tensor. 300 floats: the result stays below the pool threshold, on the calling thread.
        var backend = new FunctionAllocationTests.KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Constant(Enumerable.Range(0, 300).Select(i => (float)i).ToArray());
        var (_, kernels) = Measure(backend, () => x * 0.5);
        Assert.Equal(0, kernels);
        var (_, kernels2) = Measure(backend, () => 0.5 - x);
        Assert.Equal(0, kernels2);
        var y = 0.5 - x;
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(x.ToArray<float>().Select(v => 0.5f - v), y.ToArray<float>());
    }

    [Fact]
    public void An_eager_sum_allocates_its_result_and_the_normalized_axes_only()
    {
        var backend = new FunctionAllocationTests.KernelBytes();
        using var _ = Backend.Use(backend);
        var x = K.Constant(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        int[] axis = [0];
        var (total, kernels) = Measure(backend, () => K.Sum(x, axis));
        // The (3,) result, its shape's int[1] and the kernel's int[1] of absolute axes.
        long before = GC.GetAllocatedBytesForCurrentThread();
        var expected = (Tensor.Uninitialized(DType.Float32, Shape.Wrap([3])), new int[1]);
        long bound = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(expected);
        Assert.True(total - kernels <= bound, $"K.Sum over axis 0 of a (2, 3) tensor allocated {total} bytes ({kernels} in the kernel); the bound is {bound}");
    }
}
