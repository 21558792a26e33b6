using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>Vectorized float32 exp, tanh and sigmoid: the same formulas at every vector width, so results do not depend on an element's position.</summary>
/// <remarks>
/// Design. One pass over the data through the shared span loop (VectorLoops), Vector512 (16 lanes) when accelerated, else Vector256 (8 lanes); the ragged
/// tail is one overlapping vector and short inputs run the Vector256 form, so every element goes through the same formula. Exp reduces by n·ln2 with a two-constant Cody–Waite
/// split and scales by 2^n with AVX-512's vscalefps (elsewhere through the exponent bits, in two halves), so subnormal
/// results and overflow to +inf are exact; that is 12 vector instructions per 16 elements (the clamp is two vmaxps/vminps with the bound first, which pass NaN through, so no select). The chain is
/// latency-bound, so each step computes four independent vectors: about 4.9 Gelem/s on one Zen 4 core (2.65 with
/// the exponent bits and two vectors per step), against TensorPrimitives' more careful but slower kernel. These kernels run at several Gelem/s per core, so a 1e6-element call is already ~100 µs of work: arrays
/// of at least <see cref="ParallelElements"/> split into a few contiguous chunks per core (see <see cref="Workers"/>).
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Transcendental
{
    internal const int ParallelElements = 1 << 17;

    // e^r ≈ 1 + C1·r + … + C5·r⁵ on |r| ≤ ln2/2: the degree-5 minimax fit for relative error (Lawson-weighted least
    // squares, 9.2e-8 before rounding; 1.6e-7 evaluated in float32 with the Cody–Waite reduction, about 2.7 ulp of 1).
    // One fused multiply-add fewer than the degree-6 Taylor form it replaces (which stayed within 2 ulp).
    private const float ExpC1 = 0.9999997019767761f, ExpC2 = 0.4999914765357971f, ExpC3 = 0.1666763871908188f,
        ExpC4 = 0.04189816117286682f, ExpC5 = 0.008290272206068039f;

    internal interface IKernel
    {
        static abstract Vector512<float> Apply(Vector512<float> x);
        static abstract Vector256<float> Apply(Vector256<float> x);
    }

    internal struct ExpKernel : IKernel
    {
        public static Vector512<float> Apply(Vector512<float> x) => V512.Exp(x);
        public static Vector256<float> Apply(Vector256<float> x) => V256.Exp(x);
    }

    internal struct TanhKernel : IKernel
    {
        public static Vector512<float> Apply(Vector512<float> x) => V512.Tanh(x);
        public static Vector256<float> Apply(Vector256<float> x) => V256.Tanh(x);
    }

    internal struct SigmoidKernel : IKernel
    {
        public static Vector512<float> Apply(Vector512<float> x) => V512.Sigmoid(x);
        public static Vector256<float> Apply(Vector256<float> x) => V256.Sigmoid(x);
    }

    public static void Exp(ReadOnlySpan<float> x, Span<float> y, VectorWidth width = VectorWidth.Auto) => Map<ExpKernel>(x, y, width);
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y, VectorWidth width = VectorWidth.Auto) => Map<TanhKernel>(x, y, width);
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y, VectorWidth width = VectorWidth.Auto) => Map<SigmoidKernel>(x, y, width);

    /// <summary>True when <paramref name="width"/> allows the Vector512 path and it is accelerated (else the Vector256 path runs).</summary>
    private static bool Wide(VectorWidth width) => width >= VectorWidth.Vector512 && Vector512.IsHardwareAccelerated;

    /// <summary>y[i] = f(x[i]) on the calling thread; x and y may be the same span.</summary>
    public static unsafe void Serial<TK>(ReadOnlySpan<float> x, Span<float> y, VectorWidth width = VectorWidth.Auto) where TK : struct, IKernel
    {
        if (y.Length < x.Length) throw new ArgumentException($"Transcendental: output length {y.Length} < input length {x.Length}.");
        fixed (float* px = x)
        fixed (float* py = y)
            Chunk<TK>(px, py, x.Length, Wide(width));
    }

    /// <summary>y[i] = f(x[i]), on every core above <see cref="ParallelElements"/>; x and y may be the same span.</summary>
    public static unsafe void Map<TK>(ReadOnlySpan<float> x, Span<float> y, VectorWidth width = VectorWidth.Auto) where TK : struct, IKernel
    {
        if (y.Length < x.Length) throw new ArgumentException($"Transcendental: output length {y.Length} < input length {x.Length}.");
        int n = x.Length;
        fixed (float* px = x)
        fixed (float* py = y)
        {
            if (n < ParallelElements || Workers.Threads < 2)
            {
                Chunk<TK>(px, py, n, Wide(width));
                return;
            }
            var job = new MapJob<Kernel<TK>> { X = px, Y = py, Map = new Kernel<TK> { Wide = Wide(width), Stream = VectorLoops.Streams<float>(n) }, Split = new Elementwise.Split(n) };
            Workers.Run(ref job, job.Split.Parts);
        }
    }

    /// <summary>A float32 map on raw pointers (the struct carries its parameters): y[i] = f(x[i]) for i in [0, n).</summary>
    internal interface IFloatMap
    {
        void Apply(float* x, float* y, int n);
    }

    /// <summary>A <see cref="IKernel"/> as a pointer map (the shape <see cref="MapJob{TM}"/> takes).</summary>
    internal struct Kernel<TK> : IFloatMap where TK : struct, IKernel
    {
        public bool Wide, Stream;
        public readonly void Apply(float* x, float* y, int n) => Chunk<TK>(x, y, n, Wide, Stream);
    }

    /// <summary>One chunk of a float map per part; the caller keeps x and y pinned until <see cref="Workers.Run"/> returns.</summary>
    internal struct MapJob<TM> : IWorkItem where TM : struct, IFloatMap
    {
        public float* X, Y;
        public TM Map;
        public Elementwise.Split Split;

        public readonly void Run(int part)
        {
            var (s, len) = Split[part];
            Map.Apply(X + s, Y + s, len);
        }
    }

    /// <summary>
    /// y[i] = e^(x[i] − shift), returning Σ y: softmax's numerator and denominator in one pass over a row that stays
    /// in L1, on the calling thread. <paramref name="shift"/> must be at least every x[i] (the row maximum, or more), or
    /// NaN: the arguments are then ≤ 0 (or NaN), which lets the exponential skip the upper clamp. x and y may be the same span.
    /// </summary>
    /// <remarks>
    /// The Vector512 form (16 lanes, AVX-512): the exponential of a non-positive argument (<see cref="V512.ExpNonPositive"/>,
    /// 10 vector instructions against 12 for <see cref="Exp"/>), four independent vectors and four sums per step, and
    /// stores aligned to 64 bytes: the first and the last vector are computed before the loop, which starts at y's first
    /// cache-line boundary, and only their lanes outside the loop's range are added to the sum (in place, the overlap is
    /// rewritten with the same values). L1-resident 1024-float rows, one Zen 4 core: 207 µs per 10⁶ elements against 267
    /// for the previous form (full exp, unaligned, two sums). Shorter rows (under 16) pad the vector with −∞, whose
    /// exponential adds nothing; the Vector256 form pads the tail the same way.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe float ExpShiftedSum(ReadOnlySpan<float> x, float shift, Span<float> y, VectorWidth width = VectorWidth.Auto)
    {
        if (y.Length < x.Length) throw new ArgumentException($"Transcendental: output length {y.Length} < input length {x.Length}.");
        int n = x.Length, i = 0;
        float* buf = stackalloc float[16];
        fixed (float* px = x)
        fixed (float* py = y)
        {
            if (Wide(width))
            {
                var s = Vector512.Create(shift);
                if (n >= 16)
                {
                    int last = n - 16, k = VectorLoops.ToCacheLine(ref *py);
                    // Both ends before the loop: in place, the loop overwrites the inputs they overlap.
                    var head = V512.ExpNonPositive(Vector512.Load(px) - s);
                    var tail = V512.ExpNonPositive(Vector512.Load(px + last) - s);
                    var lane = Vector512<float>.Indices;
                    Vector512<float> acc0 = head & Vector512.LessThan(lane, Vector512.Create((float)k)), acc1 = default, acc2 = default, acc3 = default;
                    for (i = k; i + 64 <= n; i += 64)
                    {
                        var a = V512.ExpNonPositive(Vector512.Load(px + i) - s);
                        var b = V512.ExpNonPositive(Vector512.Load(px + i + 16) - s);
                        var c = V512.ExpNonPositive(Vector512.Load(px + i + 32) - s);
                        var d = V512.ExpNonPositive(Vector512.Load(px + i + 48) - s);
                        a.Store(py + i);
                        b.Store(py + i + 16);
                        c.Store(py + i + 32);
                        d.Store(py + i + 48);
                        acc0 += a;
                        acc1 += b;
                        acc2 += c;
                        acc3 += d;
                    }
                    for (; i + 16 <= n; i += 16)
                    {
                        var a = V512.ExpNonPositive(Vector512.Load(px + i) - s);
                        a.Store(py + i);
                        acc0 += a;
                    }
                    // The tail's lanes from element i on are the loop's remainder (none when i = n).
                    acc1 += tail & Vector512.GreaterThanOrEqual(lane, Vector512.Create((float)(i - last)));
                    tail.Store(py + last);
                    head.Store(py);
                    return Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
                }
                for (int j = 0; j < 16; j++) buf[j] = j < n ? px[j] : float.NegativeInfinity;
                var e = V512.ExpNonPositive(Vector512.Load(buf) - s);
                e.Store(buf);
                for (int j = 0; j < n; j++) py[j] = buf[j];
                return Vector512.Sum(e);
            }
            var s8 = Vector256.Create(shift);
            var acc = Vector256<float>.Zero;
            for (; i < n; i += 8)
            {
                int w = Math.Min(8, n - i);
                var v = w == 8 ? Vector256.Load(px + i) : default;
                if (w < 8)
                {
                    for (int j = 0; j < 8; j++) buf[j] = j < w ? px[i + j] : float.NegativeInfinity;
                    v = Vector256.Load(buf);
                }
                var a = V256.Exp(v - s8);
                acc += a;
                if (w == 8) a.Store(py + i);
                else { a.Store(buf); for (int j = 0; j < w; j++) py[i + j] = buf[j]; }
            }
            return Vector256.Sum(acc);
        }
    }

    /// <summary>y[i] = f(x[i]) for i in [0, n) through the shared span loop (<see cref="VectorLoops"/>), Vector512 when
    /// <paramref name="wide"/> and accelerated, else Vector256; streaming stores when <paramref name="stream"/>.</summary>
    private static unsafe void Chunk<TK>(float* x, float* y, int n, bool wide, bool stream = false) where TK : struct, IKernel =>
        VectorLoops.Unary(new ReadOnlySpan<float>(x, n), new Span<float>(y, n), default(Body<TK>), wide ? VectorWidth.Vector512 : VectorWidth.Vector256, stream);

    /// <summary>A kernel as the loop's unary body, with the same formula at every width: a Vector128 and a single
    /// element (lengths below four) go through the Vector256 form.</summary>
    internal readonly struct Body<TK> : IUnaryBody<float> where TK : struct, IKernel
    {
        public float Invoke(float x) => TK.Apply(Vector256.Create(x)).ToScalar();
        public Vector128<float> Invoke(Vector128<float> x) => TK.Apply(Vector256.Create(x, x)).GetLower();
        public Vector256<float> Invoke(Vector256<float> x) => TK.Apply(x);
        public Vector512<float> Invoke(Vector512<float> x) => TK.Apply(x);
        public bool TryInvoke(ReadOnlySpan<float> x, Span<float> d) => false;
    }

    private static class V512
    {
        /// <summary>x clamped to [lo, hi] in two instructions, NaN passed through: vmaxps/vminps return their second
        /// operand when either is NaN, so the bound goes first (Vector512.Max/Min, IEEE 754:2019, cost several more).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector512<float> Clamp(Vector512<float> x, float lo, float hi) => Avx512F.IsSupported
            ? Avx512F.Min(Vector512.Create(hi), Avx512F.Max(Vector512.Create(lo), x))
            : Vector512.Min(Vector512.Max(x, Vector512.Create(lo)), Vector512.Create(hi));

        /// <summary>e^x: x = n·ln2 + r (|r| ≤ ln2/2, Cody–Waite split), e^r by a degree-5 minimax polynomial (≤ 3 ulp), times 2^n (vscalefps, or the exponent bits in two halves) so that results down to the float32 subnormals and up to +inf come out right.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector512<float> Exp(Vector512<float> x)
        {
            var xc = Clamp(x, -104f, 89f);
            var n = Vector512.Round(xc * Vector512.Create(1.44269504f));
            var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), xc);
            r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
            // NaN in, NaN out: the clamp passes it through, and every step after keeps it.
            return TimesPow2(Polynomial(r), n);
        }

        /// <summary>e^r on |r| ≤ ln2/2: the degree-5 minimax polynomial, by Horner's rule in fused multiply-adds.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Polynomial(Vector512<float> r)
        {
            var p = Vector512.Create(ExpC5);
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpC4));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpC3));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpC2));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpC1));
            return Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        }

        /// <summary>p·2^n for integral n: vscalefps (one instruction, exact overflow to +inf and gradual underflow), else
        /// the exponent bits in two halves so that 2^n below the normal range still comes out right.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> TimesPow2(Vector512<float> p, Vector512<float> n)
        {
            if (Avx512F.IsSupported) return Avx512F.Scale(p, n);
            var ni = Vector512.ConvertToInt32(n);
            var half = Vector512.ShiftRightArithmetic(ni, 1);
            var s1 = Vector512.ShiftLeft(half + Vector512.Create(127), 23).AsSingle();
            var s2 = Vector512.ShiftLeft(ni - half + Vector512.Create(127), 23).AsSingle();
            return p * s1 * s2;
        }

        /// <summary>
        /// e^x for x ≤ 0 or NaN (softmax's shifted logits), in 10 instructions: only the lower clamp (−∞ → 0), n = round(x·log2 e)
        /// by adding and subtracting 1.5·2²³ (the add fused with the multiply), r = x − n·ln2 with ln2 as one float
        /// (error |n|·1.9e-9), then <see cref="Exp"/>'s degree-5 polynomial and 2^n. Within 2.5 ulp for x ≥ −20 and 4.7
        /// ulp down to the float32 subnormals (a dense sweep against double exp). Positive x are out of contract.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector512<float> ExpNonPositive(Vector512<float> x)
        {
            const float Round = 12582912f; // 1.5·2²³: adding it rounds any |t| < 2²² to an integer
            var xc = Avx512F.IsSupported ? Avx512F.Max(Vector512.Create(-104f), x) : Vector512.Max(x, Vector512.Create(-104f));
            var n = Vector512.FusedMultiplyAdd(xc, Vector512.Create(1.44269504f), Vector512.Create(Round)) - Vector512.Create(Round);
            var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.6931471805599453f), xc);
            return TimesPow2(Polynomial(r), n);
        }

        /// <summary>
        /// tanh x = x·P(x²)/Q(x²), the odd 13/6 rational minimax form of Eigen's float tanh (its coefficients), on x
        /// clamped to ±7.905 (where it reaches 1 − 4 ulp); ±1 beyond 8.7, where float32 tanh rounds to 1; x itself for
        /// |x| &lt; 4e-4 (there tanh x = x within an ulp; keeps −0 and subnormals). Within 3 ulp; one division, no exp.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector512<float> Tanh(Vector512<float> x)
        {
            var ax = Vector512.Abs(x);
            var xc = Clamp(x, -7.90531110763549805f, 7.90531110763549805f);
            var z = xc * xc;
            var p = Vector512.Create(-2.76076847742355e-16f);
            p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(2.00018790482477e-13f));
            p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-8.60467152213735e-11f));
            p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(5.12229709037114e-08f));
            p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.48572235717979e-05f));
            p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(6.37261928875436e-04f));
            p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(4.89352455891786e-03f));
            var q = Vector512.Create(1.19825839466702e-06f);
            q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(1.18534705686654e-04f));
            q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.26843463243900e-03f));
            q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(4.89352518554385e-03f));
            var t = p * xc / q;
            t = Vector512.ConditionalSelect(Vector512.GreaterThan(ax, Vector512.Create(8.7f)), Vector512.CopySign(Vector512<float>.One, x), t);
            // Tiny inputs come out as themselves (NaN passes through the clamp and the rational form).
            return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(4e-4f)), x, t);
        }

        /// <summary>σ(x) = 1 / (1 + e^{−x}); e^{−x} = +inf for very negative x gives exactly 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));
    }

    private static class V256
    {
        /// <summary>x clamped to [lo, hi], NaN passed through (see V512.Clamp).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> Clamp(Vector256<float> x, float lo, float hi) => Avx.IsSupported
            ? Avx.Min(Vector256.Create(hi), Avx.Max(Vector256.Create(lo), x))
            : Vector256.Min(Vector256.Max(x, Vector256.Create(lo)), Vector256.Create(hi));

        /// <summary>e^x: x = n·ln2 + r (|r| ≤ ln2/2, Cody–Waite split), e^r by a degree-5 minimax polynomial (≤ 3 ulp), times 2^n applied in two halves so that results down to the float32 subnormals and up to +inf come out right.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> Exp(Vector256<float> x)
        {
            var xc = Clamp(x, -104f, 89f);
            var n = Vector256.Round(xc * Vector256.Create(1.44269504f));
            var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), xc);
            r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), r);
            var p = Vector256.Create(ExpC5);
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpC4));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpC3));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpC2));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpC1));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
            var ni = Vector256.ConvertToInt32(n);
            var half = Vector256.ShiftRightArithmetic(ni, 1);
            var s1 = Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle();
            var s2 = Vector256.ShiftLeft(ni - half + Vector256.Create(127), 23).AsSingle();
            var e = p * s1 * s2;
            // NaN in, NaN out: the clamp passes it through, and every step after keeps it.
            return e;
        }

        /// <summary>
        /// tanh x = x·P(x²)/Q(x²), the odd 13/6 rational minimax form of Eigen's float tanh (its coefficients), on x
        /// clamped to ±7.905 (where it reaches 1 − 4 ulp); ±1 beyond 8.7, where float32 tanh rounds to 1; x itself for
        /// |x| &lt; 4e-4 (there tanh x = x within an ulp; keeps −0 and subnormals). Within 3 ulp; one division, no exp.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> Tanh(Vector256<float> x)
        {
            var ax = Vector256.Abs(x);
            var xc = Clamp(x, -7.90531110763549805f, 7.90531110763549805f);
            var z = xc * xc;
            var p = Vector256.Create(-2.76076847742355e-16f);
            p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(2.00018790482477e-13f));
            p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(-8.60467152213735e-11f));
            p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(5.12229709037114e-08f));
            p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1.48572235717979e-05f));
            p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(6.37261928875436e-04f));
            p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(4.89352455891786e-03f));
            var q = Vector256.Create(1.19825839466702e-06f);
            q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(1.18534705686654e-04f));
            q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.26843463243900e-03f));
            q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(4.89352518554385e-03f));
            var t = p * xc / q;
            t = Vector256.ConditionalSelect(Vector256.GreaterThan(ax, Vector256.Create(8.7f)), Vector256.CopySign(Vector256<float>.One, x), t);
            // Tiny inputs come out as themselves (NaN passes through the clamp and the rational form).
            return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(4e-4f)), x, t);
        }

        /// <summary>σ(x) = 1 / (1 + e^{−x}); e^{−x} = +inf for very negative x gives exactly 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));
    }
}
