namespace KerasBackend.Autodiff;

// Gradients of matmul and einsum.
internal static partial class Gradients
{
    /// <summary>
    /// d(x1 @ x2) = (u @ x2ᵀ, x1ᵀ @ u) on the promoted operands: a 1-D operand's axis is put back into u first and
    /// taken out of its gradient after; broadcast batch axes are summed by the backward pass.
    /// </summary>
    public static Tensor?[] Matmul(GradContext g)
    {
        Tensor x1 = g.X, x2 = g.Y, u = g.Upstream;
        bool v1 = x1.Rank == 1, v2 = x2.Rank == 1;
        var a = v1 ? K.ExpandDims(x1, 0) : x1;
        var b = v2 ? K.ExpandDims(x2, -1) : x2;
        if (v1) u = K.ExpandDims(u, u.Rank - (v2 ? 0 : 1));
        if (v2) u = K.ExpandDims(u, -1);
        Tensor? d1 = null, d2 = null;
        if (g.Wants(0))
        {
            d1 = K.Matmul(u, SwapLast(b));
            if (v1) d1 = K.Squeeze(d1, -2);
        }
        if (g.Wants(1))
        {
            d2 = K.Matmul(SwapLast(a), u);
            if (v2) d2 = K.Squeeze(d2, -1);
        }
        return [d1, d2];
    }

    private static Tensor SwapLast(Tensor t)
    {
        var p = Enumerable.Range(0, t.Rank).ToArray();
        (p[^1], p[^2]) = (p[^2], p[^1]);
        return K.PermuteDimensions(t, p);
    }

    /// <summary>
    /// The gradient to operand i is an einsum of the upstream gradient with the other operands, written back to operand
    /// i's subscripts: a letter repeated in operand i (a diagonal) becomes fresh letters tied by an identity matrix; a
    /// letter only operand i has (summed in the forward pass) is broadcast back; size-1 axes that broadcast forward are
    /// summed by the backward pass.
    /// </summary>
    public static Tensor?[] Einsum(GradContext g)
    {
        var ins = g.Inputs;
        var subscripts = g.Attr(0, "");
        var spec = EinsumSpec.TryParse(subscripts, ins.Select(t => t!.Rank).ToArray(), out _)!;
        var result = new Tensor?[ins.Count];
        for (int i = 0; i < ins.Count; i++)
        {
            if (!g.Wants(i)) continue;
            var x = ins[i]!;
            var labels = spec.Inputs[i];
            var operands = new List<Tensor> { g.Upstream };
            var subs = new List<int[]> { spec.Output };
            for (int j = 0; j < ins.Count; j++)
                if (j != i) { operands.Add(ins[j]!); subs.Add(spec.Inputs[j]); }
            var target = new int[labels.Length];
            var seen = new HashSet<int>();
            int fresh = 2 * EinsumSpec.EllipsisBase;
            for (int a = 0; a < labels.Length; a++)
            {
                if (seen.Add(labels[a])) { target[a] = labels[a]; continue; }
                int n = x.Shape[a];
                if (n < 0)
                    throw new KerasValueException("einsum", "operands", $"einsum: the gradient of a diagonal needs its size known. Received: subscripts={subscripts}, operands[{i}].shape={x.Shape}");
                target[a] = fresh++;
                operands.Add(K.Eye([n], x.DType));
                subs.Add([labels[a], target[a]]);
            }
            var available = subs.SelectMany(s => s).ToHashSet();
            var kept = Enumerable.Range(0, target.Length).Where(a => available.Contains(target[a])).ToArray();
            var gi = K.Einsum(EinsumSpec.Format(subs, kept.Select(a => target[a]).ToArray()), operands);
            if (kept.Length < target.Length)
            {
                for (int a = 0; a < target.Length; a++)
                    if (!kept.Contains(a)) gi = K.ExpandDims(gi, a);
                gi = GradOps.BroadcastLike(gi, x);
            }
            result[i] = gi;
        }
        return result;
    }
}
