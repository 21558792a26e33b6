namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>categorical_crossentropy: fused per row of classes (see <see cref="Crossentropy"/>); float16 and integer inputs in float32.</summary>
    public void CategoricalCrossentropy(Tensor target, Tensor output, bool fromLogits, int axis, Tensor result)
    {
        var ct = ComputeFloat(result.DType);
        var x = ClassesLast(output, axis, ct);
        var t = ClassesLast(target, axis, ct);
        var rc = result.DType == ct ? result : Tensor.Uninitialized(ct, result.Shape);
        int n = output.Rank == 0 ? 1 : output.Shape[axis];
        if (ct == DType.Float64) Crossentropy.Run(Crossentropy.Kind.Categorical, t, x, n, fromLogits, Config.Epsilon, null, rc);
        else Crossentropy.Run(Crossentropy.Kind.Categorical, t, x, n, fromLogits, (float)Config.Epsilon, null, rc);
        Finish(rc, result);
        Release(x, output);
        Release(t, target);
    }

    /// <summary>sparse_categorical_crossentropy: fused per row of classes; the labels are read in place (one per row, in row order).</summary>
    public void SparseCategoricalCrossentropy(Tensor target, Tensor output, bool fromLogits, int axis, int? ignoreClass, Tensor result)
    {
        var ct = ComputeFloat(result.DType);
        var x = ClassesLast(output, axis, ct);
        var rc = result.DType == ct ? result : Tensor.Uninitialized(ct, result.Shape);
        int n = output.Shape[axis];
        if (ct == DType.Float64) Crossentropy.Run(Crossentropy.Kind.Sparse, target, x, n, fromLogits, Config.Epsilon, ignoreClass, rc);
        else Crossentropy.Run(Crossentropy.Kind.Sparse, target, x, n, fromLogits, (float)Config.Epsilon, ignoreClass, rc);
        Finish(rc, result);
        Release(x, output);
    }

    /// <summary>binary_crossentropy: element-wise operators (<see cref="BinaryLogitsOperator"/>, <see cref="BinaryProbabilitiesOperator"/>) through the broadcasting driver.</summary>
    public void BinaryCrossentropy(Tensor target, Tensor output, bool fromLogits, Tensor result)
    {
        // float16 results are computed in float32 (epsilon is subnormal-coarse in float16) and rounded once.
        var rc = result.DType == DType.Float16 ? Tensor.Uninitialized(DType.Float32, result.Shape) : result;
        if (fromLogits) Elementwise.FloatBinary<BinaryLogitsOperator>(target, output, rc);
        else Elementwise.FloatBinary(target, output, rc, new BinaryProbabilitiesOperator { Eps = Config.Epsilon });
        Finish(rc, result);
    }

    /// <summary>x in <paramref name="dtype"/> with <paramref name="axis"/> moved last (itself when it already is both; else a copy the caller releases).</summary>
    private static Tensor ClassesLast(Tensor x, int axis, DType dtype)
    {
        var c = As(x, dtype);
        if (x.Rank <= 1 || axis == x.Rank - 1) return c;
        var pattern = Enumerable.Range(0, x.Rank).Where(d => d != axis).Append(axis).ToArray();
        var moved = Tensor.Uninitialized(dtype, Shape.Wrap(pattern.Select(d => x.Shape[d]).ToArray()));
        Layout.Permute(c, pattern, moved);
        Release(c, x);
        return moved;
    }
}
