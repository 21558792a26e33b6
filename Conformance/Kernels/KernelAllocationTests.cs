using KerasBackend.Backends.Cpu;

namespace KerasBackend.Conformance.Kernels;

/// <summary>
/// The bandwidth-bound cpu kernels allocate nothing per call once warm, on both the serial and the threaded
/// paths (the output is preallocated, as the facade's pool provides it).
/// </summary>
public class KernelAllocationTests
{
    private static readonly CpuBackend Cpu = new();

    private static Tensor Filled(Shape shape, int seed)
    {
        var rnd = new Random(seed);
        var t = Tensor.Uninitialized(DType.Float32, shape);
        var s = t.Span<float>();
        for (int i = 0; i < s.Length; i++) s[i] = (float)(rnd.NextDouble() * 2 - 1);
        return t;
    }

    public static TheoryData<string> Kernels => new()
    {
        "add", "multiply", "add large", "relu", "exp", "tanh", "sigmoid", "sum all", "sum axis 0", "sum axis -1", "max axis 0", "mean axis -1",
        "var all", "var axis 0", "var axis -1", "cumsum axis 0", "cumsum axis 1", "softmax", "gather", "transpose", "random_uniform", "take", "dot_product_attention",
    };

    [Theory, MemberData(nameof(Kernels))]
    public void Steady_state_calls_allocate_nothing(string kernel)
    {
        // 512·512 = 262144 elements: above the threading thresholds (but that of same-shape binary ops, see "add large").
        using var x = Filled(new Shape(512, 512), 1);
        using var y = Filled(new Shape(512, 512), 2);
        using var full = Tensor.Uninitialized(DType.Float32, new Shape(512, 512));
        using var row = Tensor.Uninitialized(DType.Float32, new Shape(512));
        using var one = Tensor.Uninitialized(DType.Float32, new Shape());
        using var idx = Tensor.Uninitialized(DType.Int32, new Shape(4096));
        using var gathered = Tensor.Uninitialized(DType.Float32, new Shape(4096, 512));
        for (int i = 0; i < idx.Size; i++) idx.SetLong(i, i * 7 % 512);
        // Above the binary ops' own (higher) threading threshold.
        using var big = Filled(new Shape(1536, 1400), 3);
        using var bigOut = Tensor.Uninitialized(DType.Float32, new Shape(1536, 1400));
        // Attention (B, T, N, H) = (2, 128, 4, 32), causal: threaded, several blocks per head.
        using var q = Filled(new Shape(2, 128, 4, 32), 4);
        using var attended = Tensor.Uninitialized(DType.Float32, new Shape(2, 128, 4, 32));
        using var taken = Tensor.Uninitialized(DType.Float32, new Shape(512, 4096));
        int[] all = [0, 1], first = [0], last = [1];
        Action call = kernel switch
        {
            "add" => () => Cpu.Add(x, y, full),
            "multiply" => () => Cpu.Multiply(x, y, full),
            "add large" => () => Cpu.Add(big, big, bigOut),
            "relu" => () => Cpu.Relu(x, 0, null, 0, full),
            "exp" => () => Cpu.Exp(x, full),
            "tanh" => () => Cpu.Tanh(x, full),
            "sigmoid" => () => Cpu.Sigmoid(x, full),
            "sum all" => () => Cpu.Sum(x, all, false, one),
            "sum axis 0" => () => Cpu.Sum(x, first, false, row),
            "sum axis -1" => () => Cpu.Sum(x, last, false, row),
            "max axis 0" => () => Cpu.Max(x, first, false, row),
            "mean axis -1" => () => Cpu.Mean(x, last, false, row),
            "var all" => () => Cpu.Var(x, all, false, one),
            "var axis 0" => () => Cpu.Var(x, first, false, row),
            "var axis -1" => () => Cpu.Var(x, last, false, row),
            "cumsum axis 0" => () => Cpu.Cumsum(x, 0, full),
            "cumsum axis 1" => () => Cpu.Cumsum(x, 1, full),
            "softmax" => () => Cpu.Softmax(x, 1, full),
            "gather" => () => Cpu.Gather(x, idx, gathered),
            "transpose" => () => Cpu.Transpose(x, full),
            "take" => () => Cpu.Take(x, idx, 1, taken),
            "dot_product_attention" => () => Cpu.DotProductAttention(q, q, q, null, null, null, true, attended),
            _ => () => Cpu.RandomUniform(0, 1, 3, full),
        };
        for (int i = 0; i < 50; i++) call();
        // A per-call allocation shows in every round of 20 calls; a one-off allocation by the runtime (a tier-up of the
        // JIT landing during the measurement on a loaded machine) shows in one round only, so one clean round of
        // three suffices.
        var rounds = new List<long>();
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++) call();
            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (rounds[^1] == 0) break;
        }
        Assert.True(rounds[^1] == 0, $"{kernel}: bytes allocated per round of 20 calls: {string.Join(", ", rounds)}");
    }
}
