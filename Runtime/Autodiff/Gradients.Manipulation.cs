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

internal static partial class Gradients
{
    // d reshape(x) = reshape(u, x.shape)
    public static Tensor?[] Reshape(GradContext g) => [GradOps.ReshapeLike(g.Upstream, g.X)];

    // d expand_dims(x, a) = squeeze(u, a)
    public static Tensor?[] ExpandDims(GradContext g)
    {
        int axis = g.Attr(0, -1);
        return [K.Squeeze(g.Upstream, axis < 0 ? axis + g.X.Rank + 1 : axis)];
    }

    // d squeeze(x, a) = expand_dims(u, a)
    public static Tensor?[] Squeeze(GradContext g)
    {
        int axis = g.Attr(0, 0);
        return [K.ExpandDims(g.Upstream, axis < 0 ? axis + g.X.Rank : axis)];
    }

    // d tile(x, n) = Σ over the n copies of u
    public static Tensor?[] Tile(GradContext g) => [GradOps.Untile(g.Upstream, g.X, g.Attr<int[]>(0, [1]))];

    // d stack(xs, a)_i = u[..., i, ...] along a
    public static Tensor?[] Stack(GradContext g)
    {
        int rank = g.Inputs[0]!.Rank, axis = g.Attr(0, 0);
        int abs = axis < 0 ? axis + rank + 1 : axis;
        var r = new Tensor?[g.Inputs.Count];
        for (int i = 0; i < r.Length; i++)
            if (g.Wants(i)) r[i] = GradOps.SqueezeAxes(GradOps.SliceAxis(g.Upstream, abs, i, 1), [abs]);
        return r;
    }

    // d reverse(x, axes) = reverse(u, axes)
    public static Tensor?[] Reverse(GradContext g) => [K.Reverse(g.Upstream, g.Attr<int[]?>(0, null))];

    // d permute(x, p) = permute(u, p⁻¹)
    public static Tensor?[] PermuteDimensions(GradContext g) => [Permute(g.Upstream, Inverse(g.Attr<int[]>(0, [])))];

    // d gather(ref, idx) = zeros(ref.shape) with the rows of u added at idx; nothing flows into idx
    public static Tensor?[] Gather(GradContext g) => [GradOps.ScatterRows(g.Upstream, g.Y, g.X), null];

    // d where(c, a, b) = (none, u where c, u where not c)
    public static Tensor?[] Switch(GradContext g)
    {
        var u = g.Upstream;
        var zeros = K.ZerosLike(u);
        return [null, g.Wants(1) ? K.Switch(g.X, u, zeros) : null, g.Wants(2) ? K.Switch(g.X, zeros, u) : null];
    }

    // d identity(x) = u
    public static Tensor?[] Identity(GradContext g) => [g.Upstream];
}
