namespace KerasBackend;

// Rules and checks of matmul, einsum and tensordot (Spec/ops/contraction.json).
public static partial class ShapeRules
{
    /// <summary>matmul: numpy's rule (keras/src/ops/operation_utils.py compute_matmul_output_shape): 1-D operands promoted and their axis removed, batch axes broadcast.</summary>
    public static Shape Matmul(Tensor x1, Tensor x2)
    {
        var (a, b) = MatmulOperands(x1.Shape, x2.Shape);
        var lead = BroadcastShapes(a.Slice(0, a.Rank - 2), b.Slice(0, b.Rank - 2));
        var dims = new List<int>(lead.Dims.ToArray());
        if (x1.Rank > 1) dims.Add(a[-2]);
        if (x2.Rank > 1) dims.Add(b[-1]);
        return Shape.Wrap([.. dims]);
    }

    /// <summary>matmul's operands as matrices: a 1-D x1 as (1, k), a 1-D x2 as (k, 1).</summary>
    internal static (Shape A, Shape B) MatmulOperands(Shape x1, Shape x2) =>
        (x1.Rank == 1 ? new Shape(1, x1[0]) : x1, x2.Rank == 1 ? new Shape(x2[0], 1) : x2);

    /// <summary>einsum: the size of each output label (a letter's known size wins over 1 and over unknown).</summary>
    public static Shape Einsum(string subscripts, IReadOnlyList<Tensor> operands)
    {
        var spec = EinsumSpec.TryParse(subscripts, operands.Select(o => o.Rank).ToArray(), out _)!;
        spec.TrySizes(operands.Select(o => o.Shape).ToArray(), out var sizes, out _);
        return Shape.Wrap(spec.Output.Select(l => sizes[l]).ToArray());
    }
}

public static partial class DTypeRules
{
    /// <summary>matmul: result_type(x1, x2), but int8 · int8 gives int32 (Keras 3, after JAX).</summary>
    public static DType Matmul(Tensor x1, Tensor x2) => x1.DType == DType.Int8 && x2.DType == DType.Int8 ? DType.Int32 : Promote(x1, x2);

    /// <summary>einsum: result_type of the operands, but int8 operands give int32 (Keras 3, after JAX).</summary>
    public static DType Einsum(IReadOnlyList<Tensor> operands) =>
        operands.Count > 0 && operands.All(o => o.DType == DType.Int8) ? DType.Int32 : operands.Count == 0 ? Config.Floatx : PromoteAll(operands);
}

public static partial class Checks
{
    /// <summary>matmul: x1.shape[-1] equals x2.shape[-2] (x2.shape[0] for a 1-D x2); unknown passes.</summary>
    public static bool MatmulInner(Tensor x1, Tensor x2)
    {
        if (x1.Rank < 1 || x2.Rank < 1) return true;
        var (a, b) = ShapeRules.MatmulOperands(x1.Shape, x2.Shape);
        return a[-1] < 0 || b[-2] < 0 || a[-1] == b[-2];
    }

    /// <summary>matmul: the batch axes (all but the last two of the promoted operands) broadcast.</summary>
    public static bool MatmulBatch(Tensor x1, Tensor x2)
    {
        if (x1.Rank < 1 || x2.Rank < 1) return true;
        var (a, b) = ShapeRules.MatmulOperands(x1.Shape, x2.Shape);
        for (int i = 3; i <= Math.Min(a.Rank, b.Rank); i++)
        {
            int p = a[-i], q = b[-i];
            if (p != q && p != 1 && q != 1 && p >= 0 && q >= 0) return false;
        }
        return true;
    }

    /// <summary>Every tensor of a list is present (a null element is a TypeError before any shape is read).</summary>
    public static bool OperandsPresent(IReadOnlyList<Tensor> operands) => operands.All(o => o is not null);

    /// <summary>einsum: the subscripts parse and name every axis of each operand.</summary>
    public static bool EinsumSubscripts(string subscripts, IReadOnlyList<Tensor> operands) =>
        operands.Any(o => o is null) || EinsumSpec.TryParse(subscripts, operands.Select(o => o.Rank).ToArray(), out _) is not null;

    /// <summary>einsum: the axes one letter labels have one size (or 1).</summary>
    public static bool EinsumSizes(string subscripts, IReadOnlyList<Tensor> operands)
    {
        if (operands.Any(o => o is null)) return true;
        var spec = EinsumSpec.TryParse(subscripts, operands.Select(o => o.Rank).ToArray(), out _);
        return spec is null || spec.TrySizes(operands.Select(o => o.Shape).ToArray(), out _, out _);
    }

    /// <summary>tensordot: [n] (or null: 2) with n in [0, min rank], or 2k distinct axes (k of x1, then k of x2) in range.</summary>
    public static bool TensordotAxes(Tensor x1, Tensor x2, int[]? axes) => TensordotPairs(x1.Rank, x2.Rank, axes) is not null;

    /// <summary>tensordot: the contracted axes have equal sizes (unknown passes).</summary>
    public static bool TensordotSizes(Tensor x1, Tensor x2, int[]? axes)
    {
        var pairs = TensordotPairs(x1.Rank, x2.Rank, axes);
        if (pairs is null) return true;
        for (int i = 0; i < pairs.Value.A.Length; i++)
        {
            int p = x1.Shape[pairs.Value.A[i]], q = x2.Shape[pairs.Value.B[i]];
            if (p != q && p >= 0 && q >= 0) return false;
        }
        return true;
    }

    /// <summary>tensordot's axes as absolute pairs (x1's, x2's), or null when invalid.</summary>
    internal static (int[] A, int[] B)? TensordotPairs(int r1, int r2, int[]? axes)
    {
        axes ??= [2];
        if (axes.Length == 1)
        {
            int n = axes[0];
            if (n < 0 || n > r1 || n > r2) return null;
            return (Enumerable.Range(r1 - n, n).ToArray(), Enumerable.Range(0, n).ToArray());
        }
        if (axes.Length % 2 != 0) return null;
        int k = axes.Length / 2;
        var a = axes[..k].Select(x => x < 0 ? x + r1 : x).ToArray();
        var b = axes[k..].Select(x => x < 0 ? x + r2 : x).ToArray();
        if (a.Any(x => x < 0 || x >= r1) || b.Any(x => x < 0 || x >= r2) || a.Distinct().Count() != k || b.Distinct().Count() != k) return null;
        return (a, b);
    }
}
