using System.Numerics;
using System.Numerics.Tensors;

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

    /// <summary>relu as tf-keras's code computes it (<see cref="ReluMath"/>): threshold, then the cap, then the leak. NaN stays NaN.
    /// Float outputs through <see cref="ReluOperator"/>; integer (and bool) outputs exact in double, stored with the output's rounding (integers truncate).</summary>
    public void Relu(Tensor x, double alpha, double? maxValue, double threshold, Tensor output)
    {
        if (output.DType.IsFloat()) { Elementwise.FloatUnary(x, output, new ReluOperator(alpha, maxValue, threshold)); return; }
        for (int i = 0; i < output.Size; i++) output.SetDouble(i, ReluScalar(x.GetDouble(i), alpha, maxValue, threshold));
    }

    /// <summary>The scalar definition (<see cref="ReluMath.Scalar"/>), shared with the numpy backend.</summary>
    internal static double ReluScalar(double v, double alpha, double? maxValue, double threshold) => ReluMath.Scalar(v, alpha, maxValue, threshold);
}
