namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>
    /// matmul on the GEMM: a batch-free x2 makes one (batches·m, k) · (k, n) product; a batch-free x1 is read with
    /// stride 0 by every batch of x2; equal batch shapes are one batched product; other broadcasts one product per
    /// output batch at the operands' broadcast offsets.
    /// </summary>
    public void Matmul(Tensor x1, Tensor x2, Tensor output)
    {
        var (a, b) = ShapeRules.MatmulOperands(x1.Shape, x2.Shape);
        int m = a[-2], k = a[-1], n = b[-1];
        var work = GemmDType(output.DType);
        var xc = As(x1, work);
        var yc = As(x2, work);
        var od = work == output.DType ? output : Tensor.Uninitialized(work, output.Shape);
        Dispatch.OnNumeric(work, new MatmulKernel(xc, yc, od, a, b, m, k, n));
        Release(xc, x1);
        Release(yc, x2);
        Finish(od, output);
    }

    private readonly struct MatmulKernel(Tensor x, Tensor y, Tensor output, Shape a, Shape b, int m, int k, int n) : INumericKernel
    {
        public void Run<T>() where T : unmanaged, System.Numerics.INumber<T>
        {
            if (output.Size == 0) return;
            var xs = x.ReadOnlySpan<T>();
            var ys = y.ReadOnlySpan<T>();
            var os = output.Span<T>();
            var leadA = a.Slice(0, a.Rank - 2);
            var leadB = b.Slice(0, b.Rank - 2);
            int batchA = leadA.ElementCount, batchB = leadB.ElementCount;
            if (batchB == 1 && batchA >= 1)
                Gemm.MatMul(xs, ys, os, batchA * m, k, n);
            else if (batchA == 1)
                Gemm.MatMulShared(xs, ys, os, m, k, n, batchB, shareA: true);
            else if (leadA == leadB)
                Gemm.MatMulBatched(xs, ys, os, m, k, n, batchA);
            else
            {
                var lead = ShapeRules.BroadcastShapes(leadA, leadB);
                var mapA = Indexing.BroadcastMap(leadA, lead);
                var mapB = Indexing.BroadcastMap(leadB, lead);
                for (int bt = 0; bt < mapA.Length; bt++)
                    Gemm.MatMul(xs.Slice(mapA[bt] * m * k, m * k), ys.Slice(mapB[bt] * k * n, k * n), os.Slice(bt * m * n, m * n), m, k, n);
            }
        }
    }

    /// <summary>
    /// einsum: a two-operand contraction without diagonals, summed-only axes or size-1 broadcasting is one batched GEMM
    /// over (batch, left free, contracted) · (batch, contracted, right free), each operand permuted only when its axes
    /// are not in that order, the result permuted only when the output's order differs; anything else is a direct
    /// summation over every label (<see cref="Contraction"/>).
    /// </summary>
    public void Einsum(string subscripts, IReadOnlyList<Tensor> operands, Tensor output)
    {
        var spec = EinsumSpec.TryParse(subscripts, operands.Select(o => o.Rank).ToArray(), out _)!;
        spec.TrySizes(operands.Select(o => o.Shape).ToArray(), out var sizes, out _);
        if (operands.Count == 2 && Contraction.GemmPlan(spec, operands[0].Shape, operands[1].Shape, sizes) is { } plan)
        {
            var work = GemmDType(output.DType);
            var xp = Permuted(operands[0], plan.XPerm, work);
            var yp = Permuted(operands[1], plan.YPerm, work);
            var od = work == output.DType && plan.OutPerm is null ? output : Tensor.Uninitialized(work, Shape.Wrap(plan.ResultDims));
            Dispatch.OnNumeric(work, new BatchedKernel(xp, yp, od, plan.Batch, plan.M, plan.K, plan.N));
            Release(xp, operands[0]);
            Release(yp, operands[1]);
            if (ReferenceEquals(od, output)) return;
            if (plan.OutPerm is null) { Finish(od, output); return; }
            var permuted = work == output.DType ? output : Tensor.Uninitialized(work, output.Shape);
            Layout.Permute(od, plan.OutPerm, permuted);
            od.Dispose();
            if (!ReferenceEquals(permuted, output)) Finish(permuted, output);
            return;
        }
        Contraction.Sum(spec, sizes, operands, output);
    }
}
