namespace KerasBackend.Autodiff;

// Gradients of the manipulation ops: the upstream gradient is re-laid-out the inverse way.
internal static partial class Gradients
{
    // d xᵀ = uᵀ
    public static Tensor?[] Transpose(GradContext g) => [K.Transpose(g.Upstream)];

    // d concatenate(xs, axis) = the slices of u that each x filled
    public static Tensor?[] Concatenate(GradContext g)
    {
        var parts = g.Inputs.Select(t => t!).ToArray();
        int axis = Normalize.Axis(g.Attr(0, -1), parts[0].Rank);
        var r = new Tensor?[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (g.Wants(i)) r[i] = GradOps.ConcatPart(g.Upstream, parts, axis, i);
        return r;
    }
}
