using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>elu (tf-keras): x for x &gt; 0, else alpha · (exp(x) − 1); one vector pass.</summary>
    public void Elu(Tensor x, double alpha, Tensor output) => Elementwise.FloatUnary(x, output, new EluOperator { Alpha = alpha });

    /// <summary>softplus with TensorFlow's thresholds (no overflow); one vector pass.</summary>
    public void Softplus(Tensor x, Tensor output) => Elementwise.FloatUnary<SoftplusOperator>(x, output);

    /// <summary>x / (1 + |x|); one vector pass.</summary>
    public void Softsign(Tensor x, Tensor output) => Elementwise.FloatUnary<SoftsignOperator>(x, output);

    /// <summary>clip(0.2 · x + 0.5, 0, 1) (tf-keras's slope); one vector pass.</summary>
    public void HardSigmoid(Tensor x, Tensor output) => Elementwise.FloatUnary<HardSigmoidOperator>(x, output);

    /// <summary>tanh x: float32 through <see cref="Transcendental.Tanh"/>, float64 through TensorPrimitives, others in float32.</summary>
    public void Tanh(Tensor x, Tensor output) => Transcend<Transcendental.TanhKernel>(x, output, sigmoid: false);

    /// <summary>σ(x) = 1 / (1 + e^{−x}), dispatched like <see cref="Tanh"/>.</summary>
    public void Sigmoid(Tensor x, Tensor output) => Transcend<Transcendental.SigmoidKernel>(x, output, sigmoid: true);

    private static void Transcend<TK>(Tensor x, Tensor output, bool sigmoid) where TK : struct, Transcendental.IKernel
    {
        if (output.Size == 0) return; // TensorPrimitives rejects empty spans (Sigmoid throws ArgumentException)
        Dispatch.On(output.DType, new TranscendKernel<TK>(x, output, sigmoid));
    }

    /// <summary>float32 through <see cref="Transcendental"/>, float64 through TensorPrimitives, anything else in float32 rounded once.</summary>
    private readonly struct TranscendKernel<TK>(Tensor x, Tensor output, bool sigmoid) : IDTypeKernel where TK : struct, Transcendental.IKernel
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T>
        {
            if (typeof(T) == typeof(Half)) { InFloat32(); return; }
            var xs = As(x, output.DType);
            if (typeof(T) == typeof(float)) Transcendental.Map<TK>(xs.ReadOnlySpan<float>(), output.Span<float>());
            else if (sigmoid) TensorPrimitives.Sigmoid(xs.ReadOnlySpan<double>(), output.Span<double>());
            else TensorPrimitives.Tanh(xs.ReadOnlySpan<double>(), output.Span<double>());
            Release(xs, x);
        }

        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => InFloat32();
        public void Bool() => InFloat32();

        private void InFloat32()
        {
            using var xs = Tensor.Uninitialized(DType.Float32, x.Shape);
            Casting.Cast(x, xs);
            Transcendental.Map<TK>(xs.ReadOnlySpan<float>(), xs.Span<float>());
            Casting.Cast(xs, output);
        }
    }

    /// <summary>relu as tf-keras's code computes it (<see cref="ReluMath"/>): threshold, then the cap, then the leak. NaN stays NaN.</summary>
    public void Relu(Tensor x, double alpha, double? maxValue, double threshold, Tensor output) =>
        Dispatch.On(output.DType, new ReluKernel(x, alpha, maxValue, threshold, output));

    /// <summary>float32 vectorized; float16 through float32; float64 and integer dtypes exact in double, stored with the output's rounding (integers truncate).</summary>
    private readonly struct ReluKernel(Tensor x, double alpha, double? maxValue, double threshold, Tensor output) : IDTypeKernel
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T>
        {
            if (typeof(T) == typeof(float))
            {
                var xs = As(x, DType.Float32);
                ReluF32(xs.ReadOnlySpan<float>(), output.Span<float>(), alpha, maxValue, threshold);
                Release(xs, x);
            }
            else if (typeof(T) == typeof(Half))
            {
                using var tmp = Tensor.Uninitialized(DType.Float32, output.Shape);
                new ReluKernel(x, alpha, maxValue, threshold, tmp).Float<float>();
                Casting.Cast(tmp, output);
            }
            else InDouble();
        }

        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => InDouble();
        public void Bool() => InDouble();

        private void InDouble()
        {
            for (int i = 0; i < output.Size; i++) output.SetDouble(i, ReluScalar(x.GetDouble(i), alpha, maxValue, threshold));
        }
    }

    /// <summary>The scalar definition (<see cref="ReluMath.Scalar"/>), shared with the numpy backend.</summary>
    internal static double ReluScalar(double v, double alpha, double? maxValue, double threshold) => ReluMath.Scalar(v, alpha, maxValue, threshold);

    /// <summary>Vector512 selects (below → above → cap → NaN passthrough); a few chunks per core above 2^17 elements.</summary>
    private static unsafe void ReluF32(ReadOnlySpan<float> x, Span<float> y, double alpha, double? maxValue, double threshold)
    {
        var map = new ReluMap { A = (float)alpha, T = (float)threshold, M = maxValue is double mv ? (float)mv : float.PositiveInfinity, Cap = maxValue is not null };
        int n = x.Length;
        fixed (float* px = x)
        fixed (float* py = y)
        {
            if (n < Transcendental.ParallelElements || Workers.Threads < 2) { map.Apply(px, py, n); return; }
            var job = new Transcendental.MapJob<ReluMap> { X = px, Y = py, Map = map, Split = new Elementwise.Split(n) };
            Workers.Run(ref job, job.Split.Parts);
        }
    }

    private struct ReluMap : Transcendental.IFloatMap
    {
        public float A, T, M;
        public bool Cap;
        public readonly unsafe void Apply(float* x, float* y, int n) => ReluChunk(x, y, n, A, T, M, Cap);
    }

    private static unsafe void ReluChunk(float* x, float* y, int n, float a, float t, float m, bool cap)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var zero = Vector512<float>.Zero;
            if (a == 0 && !cap && t == 0)
            {
                // The plain relu: clear the lanes below 0 (NaN compares false, so it passes through, and -0 keeps its sign,
                // as numpy's maximum does). Two vectors per step: this loop streams memory.
                for (; i + 32 <= n; i += 32)
                {
                    var v0 = Vector512.Load(x + i);
                    var v1 = Vector512.Load(x + i + 16);
                    Vector512.AndNot(v0, Vector512.LessThan(v0, zero)).Store(y + i);
                    Vector512.AndNot(v1, Vector512.LessThan(v1, zero)).Store(y + i + 16);
                }
            }
            else
            {
                var vt = Vector512.Create(t); var va = Vector512.Create(a); var vm = Vector512.Create(m);
                for (; i + 16 <= n; i += 16)
                {
                    // ReluMath's three steps as selects: threshold (x · 0 below it, so -inf gives NaN), cap, leak.
                    var v = Vector512.Load(x + i);
                    var pos = t != 0 ? Vector512.ConditionalSelect(Vector512.GreaterThan(v, vt), v, v * zero) : Vector512.AndNot(v, Vector512.LessThan(v, zero));
                    if (cap)
                    {
                        pos = Vector512.ConditionalSelect(Vector512.GreaterThan(pos, vm), vm, pos);
                        pos = Vector512.AndNot(pos, Vector512.LessThan(pos, zero));
                    }
                    if (a != 0)
                    {
                        var neg = vt - v;
                        pos -= va * Vector512.AndNot(neg, Vector512.LessThan(neg, zero));
                    }
                    pos.Store(y + i);
                }
            }
        }
        for (; i < n; i++) y[i] = (float)ReluScalar(x[i], a, cap ? m : null, t);
    }
}
