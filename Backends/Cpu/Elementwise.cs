using System.Numerics;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// The elementwise ops' tensor level, above <see cref="VectorLoops"/>: the dtype policy of each operator shape (which
/// element type computes, casts of the inputs), threading of large same-shape work (see <see cref="Workers"/>), and
/// broadcasting: the output is walked in contiguous runs along its last axis, each run of x and y either contiguous
/// or one broadcast value, so the span loops do all the arithmetic.
/// </summary>
internal static class Elementwise
{
    /// <summary>Below this many output elements one core does the work (threading costs more than it gains). Above it
    /// two cores pay off even while the data is cache-resident: an add of 1e6 float32 (12 MB) took 78 µs on two
    /// against 148 µs on one on a quiet machine (when the other core is busy, the caller simply runs both parts).</summary>
    internal const int ParallelThreshold = 1 << 17;

    /// <summary>y = op(x) in the output's dtype (x cast to it first); bool computes in int32, then nonzero.</summary>
    public static void Unary<TOp>(Tensor x, Tensor output, TOp op = default, VectorWidth width = VectorWidth.Auto)
        where TOp : struct, IUnaryOperator =>
        Dispatch.On(output.DType, new UnaryKernel<TOp>(x, output, op, width));

    /// <summary>y = op(x) for a float op: float32 and float64 directly (x cast first), anything else computes in float32 and rounds once into the output.</summary>
    public static void FloatUnary<TOp>(Tensor x, Tensor output, TOp op = default, VectorWidth width = VectorWidth.Auto)
        where TOp : struct, IFloatUnaryOperator =>
        Dispatch.On(output.DType, new FloatUnaryKernel<TOp>(x, output, op, width));

    /// <summary>z = op(x, y) with broadcasting, in the output's dtype (operands cast to it first); bool computes in int32, then nonzero (numpy: True + True is True).</summary>
    public static void Binary<TOp>(Tensor x, Tensor y, Tensor output, TOp op = default, VectorWidth width = VectorWidth.Auto)
        where TOp : struct, IBinaryOperator =>
        Dispatch.On(output.DType, new BinaryKernel<TOp>(x, y, output, op, width));

    /// <summary>z = op(x, y) for a float op, with broadcasting: float outputs directly, anything else through float32.</summary>
    public static void FloatBinary<TOp>(Tensor x, Tensor y, Tensor output, TOp op = default, VectorWidth width = VectorWidth.Auto)
        where TOp : struct, IFloatBinaryOperator =>
        Dispatch.On(output.DType, new FloatBinaryKernel<TOp>(x, y, output, op, width));

    private readonly struct UnaryKernel<TOp>(Tensor x, Tensor output, TOp op, VectorWidth width) : IDTypeKernel
        where TOp : struct, IUnaryOperator
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T> => Run<T>(output);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => Run<T>(output);
        public void Bool() { using var tmp = Tensor.Uninitialized(DType.Int32, output.Shape); Run<int>(tmp); Casting.Cast(tmp, output); }

        private void Run<T>(Tensor into) where T : unmanaged, INumber<T>
        {
            var xc = CpuBackend.As(x, into.DType);
            Map<T, UnaryBody<TOp, T>>(xc, into, new(op), width);
            CpuBackend.Release(xc, x);
        }
    }

    private readonly struct FloatUnaryKernel<TOp>(Tensor x, Tensor output, TOp op, VectorWidth width) : IDTypeKernel
        where TOp : struct, IFloatUnaryOperator
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T>
        {
            if (typeof(T) == typeof(Half)) InFloat32();
            else Run<T>(output);
        }

        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => InFloat32();
        public void Bool() => InFloat32();

        private void InFloat32() { using var tmp = Tensor.Uninitialized(DType.Float32, output.Shape); Run<float>(tmp); Casting.Cast(tmp, output); }

        private void Run<T>(Tensor into) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            var xc = CpuBackend.As(x, into.DType);
            Map<T, FloatUnaryBody<TOp, T>>(xc, into, new(op), width);
            CpuBackend.Release(xc, x);
        }
    }

    private readonly struct BinaryKernel<TOp>(Tensor x, Tensor y, Tensor output, TOp op, VectorWidth width) : IDTypeKernel
        where TOp : struct, IBinaryOperator
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T> => Run<T>(output);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => Run<T>(output);
        public void Bool() { using var tmp = Tensor.Uninitialized(DType.Int32, output.Shape); Run<int>(tmp); Casting.Cast(tmp, output); }

        private void Run<T>(Tensor into) where T : unmanaged, INumber<T> =>
            BroadcastInto<T, BinaryBody<TOp, T>>(x, y, into, new(op), width);
    }

    private readonly struct FloatBinaryKernel<TOp>(Tensor x, Tensor y, Tensor output, TOp op, VectorWidth width) : IDTypeKernel
        where TOp : struct, IFloatBinaryOperator
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T> => Run<T>(output);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => InFloat32();
        public void Bool() => InFloat32();

        private void InFloat32() { using var tmp = Tensor.Uninitialized(DType.Float32, output.Shape); Run<float>(tmp); Casting.Cast(tmp, output); }

        private void Run<T>(Tensor into) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
            BroadcastInto<T, FloatBinaryBody<TOp, T>>(x, y, into, new(op), width);
    }

    /// <summary>Operands cast to the output's element type, then <see cref="Broadcast{T, TB}"/>.</summary>
    private static void BroadcastInto<T, TB>(Tensor x, Tensor y, Tensor output, TB body, VectorWidth width)
        where T : unmanaged where TB : struct, IBinaryBody<T>
    {
        var xc = Operand(x, y, output, 0, out bool xTemp);
        var yc = Operand(y, x, output, 1, out bool yTemp);
        Broadcast<T, TB>(xc, yc, output, body, width);
        if (xTemp) xc.Dispose();
        if (yTemp) yc.Dispose();
    }

    // One-element scratch tensors per thread, dtype and operand position (see Operand).
    [ThreadStatic] private static Tensor?[]? t_scalars;

    /// <summary>
    /// <paramref name="t"/> in the output dtype. A one-element operand of another dtype against a full-size one (x * 0.5
    /// with a float64 constant on float32 x, the usual case in optimizer steps) is cast into a per-thread scratch
    /// scalar instead of a new tensor, so it allocates nothing; the driver reads it as a broadcast value, not by shape.
    /// </summary>
    private static Tensor Operand(Tensor t, Tensor other, Tensor output, int slot, out bool temporary)
    {
        temporary = false;
        if (t.DType == output.DType) return t;
        if (t.Size != 1 || other.Size != output.Size)
        {
            temporary = true;
            return CpuBackend.As(t, output.DType);
        }
        var cache = t_scalars ??= new Tensor?[2 * Enum.GetValues<DType>().Length];
        ref var s = ref cache[2 * (int)output.DType + slot];
        s ??= Tensor.Uninitialized(output.DType, Shape.Scalar);
        Casting.Cast(t, s);
        return s;
    }

    /// <summary>d = f(x) for a same-size x and output, on every core above <see cref="ParallelThreshold"/> elements.</summary>
    public static void Map<T, TB>(Tensor x, Tensor output, TB body, VectorWidth width = VectorWidth.Auto)
        where T : unmanaged where TB : struct, IUnaryBody<T>
    {
        int n = output.Size;
        if (n == 0) return;
        if (n < ParallelThreshold || Workers.Threads < 2) { VectorLoops.Unary(x.ReadOnlySpan<T>(), output.Span<T>(), body, width); return; }
        var job = new UnaryJob<T, TB> { X = x, D = output, Body = body, Width = width, Split = new Split(n), Stream = VectorLoops.Streams<T>(n) };
        Workers.Run(ref job, job.Split.Parts);
    }

    /// <summary>d = f(x, y) with numpy broadcasting; x and y already hold the output's element type.</summary>
    public static void Broadcast<T, TB>(Tensor x, Tensor y, Tensor output, TB body, VectorWidth width = VectorWidth.Auto)
        where T : unmanaged where TB : struct, IBinaryBody<T>
    {
        ReadOnlySpan<T> xs = x.ReadOnlySpan<T>(), ys = y.ReadOnlySpan<T>();
        Span<T> ds = output.Span<T>();
        int n = ds.Length;
        if (n == 0) return;
        if (xs.Length == n && ys.Length == n)
        {
            if (n < ParallelThreshold || Workers.Threads < 2) VectorLoops.Binary(xs, ys, ds, body, width);
            else
            {
                var job = new BinaryJob<T, TB> { X = x, Y = y, D = output, Body = body, Width = width, Split = new Split(n), Stream = VectorLoops.Streams<T>(n) };
                Workers.Run(ref job, job.Split.Parts);
            }
            return;
        }
        if (ys.Length == 1 && xs.Length == n) { VectorLoops.Binary(xs, ys[0], ds, body, width); return; }
        if (xs.Length == 1 && ys.Length == n) { VectorLoops.Binary(xs[0], ys, ds, body, width); return; }

        // General broadcasting: rows of the last axis (ranks padded on the left), each row of x and y a run or one value.
        var os = output.Shape;
        int r = os.Rank;
        Span<int> xst = stackalloc int[r], yst = stackalloc int[r], idx = stackalloc int[r];
        BroadcastStrides(x.Shape, r, xst);
        BroadcastStrides(y.Shape, r, yst);
        int inner = os[r - 1];
        int rows = n / inner;
        bool xRow = xst[r - 1] != 0 || inner == 1, yRow = yst[r - 1] != 0 || inner == 1;
        idx.Clear();
        for (int row = 0; row < rows; row++)
        {
            int xo = 0, yo = 0;
            for (int d = 0; d < r - 1; d++) { xo += idx[d] * xst[d]; yo += idx[d] * yst[d]; }
            var dst = ds.Slice(row * inner, inner);
            if (xRow && yRow) VectorLoops.Binary(xs.Slice(xo, inner), ys.Slice(yo, inner), dst, body, width);
            else if (xRow) VectorLoops.Binary(xs.Slice(xo, inner), ys[yo], dst, body, width);
            else if (yRow) VectorLoops.Binary(xs[xo], ys.Slice(yo, inner), dst, body, width);
            else dst.Fill(body.Invoke(xs[xo], ys[yo]));
            for (int d = r - 2; d >= 0; d--) { if (++idx[d] < os[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>Row-major strides of <paramref name="s"/> padded on the left to <paramref name="rank"/>, 0 along broadcast (size-1) axes.</summary>
    private static void BroadcastStrides(Shape s, int rank, Span<int> strides)
    {
        int acc = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int k = i - (rank - s.Rank);
            int dim = k >= 0 ? s[k] : 1;
            strides[i] = dim == 1 ? 0 : acc;
            acc *= dim;
        }
    }

    /// <summary>
    /// Contiguous chunks of [0, n) for the workers: one per thread, each a multiple of 64 elements so chunk edges
    /// fall on cache lines. One chunk per thread, not more: the caller claims the first and the worker the second
    /// on every call, so each core keeps working on the same half and finds it in its own caches (measured here,
    /// add of 1e6 float32: 0.37 ms in two chunks, 0.67 ms in eight chunks claimed in varying order).
    /// </summary>
    internal readonly struct Split
    {
        public readonly int N, Step, Parts;

        public Split(int n)
        {
            N = n;
            int parts = Workers.Threads;
            Step = Math.Max(64, (n / parts + 63) & ~63);
            Parts = (n + Step - 1) / Step;
        }

        public (int Start, int Length) this[int part]
        {
            get { int s = part * Step; return (s, Math.Min(N - s, Step)); }
        }
    }

    private struct UnaryJob<T, TB> : IWorkItem where T : unmanaged where TB : struct, IUnaryBody<T>
    {
        public Tensor X, D;
        public TB Body;
        public VectorWidth Width;
        public Split Split;
        public bool Stream;

        public readonly void Run(int part)
        {
            var (s, len) = Split[part];
            VectorLoops.Unary(X.ReadOnlySpan<T>().Slice(s, len), D.Span<T>().Slice(s, len), Body, Width, Stream);
        }
    }

    private struct BinaryJob<T, TB> : IWorkItem where T : unmanaged where TB : struct, IBinaryBody<T>
    {
        public Tensor X, Y, D;
        public TB Body;
        public VectorWidth Width;
        public Split Split;
        public bool Stream;

        public readonly void Run(int part)
        {
            var (s, len) = Split[part];
            VectorLoops.Binary(X.ReadOnlySpan<T>().Slice(s, len), Y.ReadOnlySpan<T>().Slice(s, len), D.Span<T>().Slice(s, len), Body, Width, Stream);
        }
    }

    internal static int[] Pad(Shape s, int rank)
    {
        var d = new int[rank];
        for (int i = 0; i < rank; i++) d[i] = i < rank - s.Rank ? 1 : s[i - (rank - s.Rank)];
        return d;
    }

    /// <summary>Row-major strides with 0 for broadcast (size-1) axes.</summary>
    internal static int[] StridesOf(int[] dims)
    {
        var st = new int[dims.Length];
        int acc = 1;
        for (int i = dims.Length - 1; i >= 0; i--) { st[i] = dims[i] == 1 ? 0 : acc; acc *= dims[i]; }
        return st;
    }
}
