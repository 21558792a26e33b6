using System.Numerics;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>Half to even on floats (float16 through float32, exactly); integers and bool are copied.</summary>
    public void Round(Tensor x, Tensor output)
    {
        if (output.DType.IsFloat()) Elementwise.FloatUnary<RoundOperator>(x, output);
        else x.Bytes().CopyTo(output.Bytes());
    }

    /// <summary>-1, 0 or 1 in x's dtype (NaN stays NaN).</summary>
    public void Sign(Tensor x, Tensor output) => Elementwise.Unary<SignOperator>(x, output);

    /// <summary>sin x (integers → floatx first; float16 via float32).</summary>
    public void Sin(Tensor x, Tensor output) => Elementwise.FloatUnary<SinOperator>(x, output);

    /// <summary>cos x (integers → floatx first; float16 via float32).</summary>
    public void Cos(Tensor x, Tensor output) => Elementwise.FloatUnary<CosOperator>(x, output);

    /// <summary>clip with tf-keras's bound rules (<see cref="ClipBounds"/>), as selects in the output dtype (bool x: int32).</summary>
    public void Clip(Tensor x, double? minValue, double? maxValue, Tensor output) =>
        Dispatch.On(output.DType, new ClipKernel(x, ClipBounds.Resolve(minValue, maxValue), output));

    private readonly struct ClipKernel(Tensor x, (double Min, double Max) bounds, Tensor output) : IDTypeKernel
    {
        public void Float<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T> =>
            Elementwise.Unary(x, output, new ClipOperator { LoEdge = bounds.Min, LoValue = bounds.Min, HiEdge = bounds.Max, HiValue = bounds.Max });

        /// <summary>
        /// For integer x, x &lt; lo ⇔ x &lt; ceil(lo) and x &gt; hi ⇔ x &gt; floor(hi). Edges beyond the type's range either never
        /// trigger (clamped to the range) or always do: then every element takes that bound (truncated and wrapped into the
        /// type, as numpy's astype does).
        /// </summary>
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
        {
            double min = double.CreateTruncating(T.MinValue), max = double.CreateTruncating(T.MaxValue);
            double loEdge = Math.Ceiling(bounds.Min), hiEdge = Math.Floor(bounds.Max);
            if (loEdge > max) { output.Span<T>().Fill(Wrap<T>(bounds.Min)); return; }
            if (hiEdge < min) { output.Span<T>().Fill(Wrap<T>(bounds.Max)); return; }
            Elementwise.Unary(x, output, new ClipOperator
            {
                LoEdge = Math.Max(loEdge, min), LoValue = Math.Max(Math.Truncate(bounds.Min), min),
                HiEdge = Math.Min(hiEdge, max), HiValue = Math.Min(Math.Truncate(bounds.Max), max),
            });
        }

        // A finite bound truncated toward zero, wrapped into T (numpy's float → int astype).
        private static T Wrap<T>(double v) where T : IBinaryInteger<T> => T.CreateTruncating(Conversions.DoubleToLong(v));

        public void Bool() => throw new InvalidOperationException("clip: a bool x gives an int32 output (the dtype rule), never a bool one.");
    }
}
