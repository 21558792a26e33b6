using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    private enum Fold { Sum, Prod, Max, Min }

    /// <summary>Σ x over the axes (sum dtype rule: small ints and bool in int32; float16 accumulates in float32).</summary>
    public void Sum(Tensor x, int[] axis, bool keepdims, Tensor output) => Folded(x, axis, output, Fold.Sum);

    /// <summary>Π x over the axes; the empty product is 1.</summary>
    public void Prod(Tensor x, int[] axis, bool keepdims, Tensor output) => Folded(x, axis, output, Fold.Prod);

    /// <summary>max over the axes, NaN-propagating.</summary>
    public void Max(Tensor x, int[] axis, bool keepdims, Tensor output) => Folded(x, axis, output, Fold.Max);

    /// <summary>min over the axes, NaN-propagating.</summary>
    public void Min(Tensor x, int[] axis, bool keepdims, Tensor output) => Folded(x, axis, output, Fold.Min);

    /// <summary>mean = Σ x / n, accumulated in float32 (float64 for float64 outputs); n = 0 gives NaN.</summary>
    public void Mean(Tensor x, int[] axis, bool keepdims, Tensor output)
    {
        var ct = ComputeFloat(output.DType);
        var xc = As(x, ct);
        var oc = output.DType == ct ? output : Tensor.Uninitialized(ct, output.Shape);
        int count = Reductions.Count(x.Shape, axis);
        if (ct == DType.Float64) { Reductions.Sum<double>(xc, axis, oc); TensorPrimitives.Divide(oc.Span<double>(), (double)count, oc.Span<double>()); }
        else { Reductions.Sum<float>(xc, axis, oc); TensorPrimitives.Divide(oc.Span<float>(), (float)count, oc.Span<float>()); }
        Finish(oc, output);
        Release(xc, x);
    }

    /// <summary>Population variance Σ (x - mean)² / n: one pass for the mean, one fused pass for the squared deviations.</summary>
    public void Var(Tensor x, int[] axis, bool keepdims, Tensor output) => Moments(x, axis, output, sqrt: false);

    /// <summary>√var.</summary>
    public void Std(Tensor x, int[] axis, bool keepdims, Tensor output) => Moments(x, axis, output, sqrt: true);

    /// <summary>Running sum along the axis (Keras default axis 0).</summary>
    public void Cumsum(Tensor x, int axis, Tensor output) => Scanned(x, axis, output, product: false);

    /// <summary>Running product along the axis.</summary>
    public void Cumprod(Tensor x, int axis, Tensor output) => Scanned(x, axis, output, product: true);

    /// <summary>exp(x - max) / Σ exp(x - max) along the axis; float16 and integer inputs computed in float32.</summary>
    public void Softmax(Tensor x, int axis, Tensor output)
    {
        var ct = ComputeFloat(output.DType);
        var xc = As(x, ct);
        var oc = output.DType == ct ? output : Tensor.Uninitialized(ct, output.Shape);
        if (ct == DType.Float64) Cpu.Softmax.Run<double>(xc, axis, oc);
        else Cpu.Softmax.Run<float>(xc, axis, oc);
        Finish(oc, output);
        Release(xc, x);
    }

    /// <summary>float64 stays float64; float32, float16 (and floatx for integer inputs) compute in float32.</summary>
    private static DType ComputeFloat(DType output) => output == DType.Float64 ? DType.Float64 : DType.Float32;

    /// <summary>Rounds a compute-dtype temporary into the output (and frees it), or does nothing when they are the same.</summary>
    private static void Finish(Tensor computed, Tensor output)
    {
        if (ReferenceEquals(computed, output)) return;
        Casting.Cast(computed, output);
        computed.Dispose();
    }

    private static void Moments(Tensor x, int[] axis, Tensor output, bool sqrt)
    {
        var ct = ComputeFloat(output.DType);
        var xc = As(x, ct);
        var oc = output.DType == ct ? output : Tensor.Uninitialized(ct, output.Shape);
        int count = Reductions.Count(x.Shape, axis);
        if (ct == DType.Float64) Moments<double>(xc, axis, oc, count, sqrt);
        else Moments<float>(xc, axis, oc, count, sqrt);
        Finish(oc, output);
        Release(xc, x);
    }

    private static void Moments<T>(Tensor x, int[] axis, Tensor output, int count, bool sqrt)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T n = T.CreateChecked(count);
        // Reduced axes trailing: one pass over memory (see Cpu.Moments); otherwise the mean first, then the deviations.
        if (!Cpu.Moments.TrySquaredDeviations<T>(x, axis, output))
        {
            // The means in a pooled array, not a tensor: nothing is allocated per call.
            int size = output.Size;
            var mean = ArrayPool<T>.Shared.Rent(size);
            try
            {
                Reductions.Sum<T>(x, axis, mean, size);
                TensorPrimitives.Divide(mean.AsSpan(0, size), n, mean.AsSpan(0, size));
                Reductions.Reduce<T, SquaredDeviationReduce<T>>(x, axis, output, mean);
            }
            finally { ArrayPool<T>.Shared.Return(mean); }
        }
        var o = output.Span<T>();
        TensorPrimitives.Divide(o, n, o);
        if (sqrt) TensorPrimitives.Sqrt(o, o);
    }

    private static void Folded(Tensor x, int[] axis, Tensor output, Fold f)
    {
        // float16 folds in float32; bool max/min fold as uint8; everything else in the output dtype.
        var ct = output.DType switch { DType.Float16 => DType.Float32, DType.Bool => DType.UInt8, var d => d };
        var xc = As(x, ct);
        var oc = output.DType == ct ? output : Tensor.Uninitialized(ct, output.Shape);
        Dispatch.OnNumeric(ct, new FoldKernel(xc, axis, oc, f));
        Finish(oc, output);
        Release(xc, x);
    }

    private readonly struct FoldKernel(Tensor x, int[] axis, Tensor output, Fold f) : INumericKernel
    {
        public void Run<T>() where T : unmanaged, INumber<T> => Folded<T>(x, axis, output, f);
    }

    private static void Folded<T>(Tensor x, int[] axis, Tensor output, Fold f) where T : unmanaged, INumber<T>
    {
        switch (f)
        {
            case Fold.Sum: Reductions.Reduce<T, SumReduce<T>>(x, axis, output); break;
            case Fold.Prod: Reductions.Reduce<T, ProdReduce<T>>(x, axis, output); break;
            case Fold.Max: Reductions.Reduce<T, MaxReduce<T>>(x, axis, output); break;
            default: Reductions.Reduce<T, MinReduce<T>>(x, axis, output); break;
        }
    }

    private static void Scanned(Tensor x, int axis, Tensor output, bool product)
    {
        // Every partial result in the output dtype, as numpy accumulates: float16 too (Half arithmetic computes in
        // float32 and rounds each step, as numpy's float16 loops do). The dtype rule gives every output a numeric
        // dtype (bool → int32).
        var xc = As(x, output.DType);
        Dispatch.OnNumeric(output.DType, new ScanKernel(xc, axis, output, product));
        Release(xc, x);
    }

    private readonly struct ScanKernel(Tensor x, int axis, Tensor output, bool product) : INumericKernel
    {
        public void Run<T>() where T : unmanaged, INumber<T> => Scans.Scan<T>(x, axis, output, product);
    }
}
