namespace KerasBackend;

/// <summary>Composites behind flatten, batch_flatten, repeat and repeat_elements: reshape, expand_dims and tile, as tf-keras builds them.</summary>
internal static class Manipulation
{
    /// <summary>tf-keras <c>flatten(x)</c>: reshape(x, [-1]).</summary>
    public static Tensor Flatten(Tensor x) => K.Reshape(x, [-1]);

    /// <summary>tf-keras <c>batch_flatten(x)</c>: reshape(x, [-1, prod(shape(x)[1:])]).</summary>
    public static Tensor BatchFlatten(Tensor x)
    {
        var dims = x.Shape.ToArray();
        var rest = dims.Skip(1).ToArray();
        if (rest.All(d => d >= 0)) return K.Reshape(x, [-1, rest.Aggregate(1, (a, b) => a * b)]);
        if (dims[0] >= 0) return K.Reshape(x, [dims[0], -1]);
        throw new KerasValueException("batch_flatten", "x",
            $"batch_flatten: needs the batch dimension or all the other dimensions to be known. Received: x.shape={x.Shape}");
    }

    /// <summary>tf-keras <c>repeat(x, n)</c>: (samples, dim) → (samples, n, dim).</summary>
    public static Tensor Repeat(Tensor x, int n) => K.Tile(K.ExpandDims(x, 1), [1, n, 1]);

    /// <summary>numpy.repeat(x, rep, axis): expand_dims at axis + 1, tile rep times there, merge the two axes.</summary>
    public static Tensor RepeatElements(Tensor x, int rep, int axis)
    {
        int a = Normalize.Axis(axis, x.Rank);
        var reps = Enumerable.Repeat(1, x.Rank + 1).ToArray();
        reps[a + 1] = rep;
        var tiled = K.Tile(K.ExpandDims(x, a + 1), reps);
        var dims = x.Shape.ToArray().Select((d, i) => d < 0 ? -1 : i == a ? d * rep : d).ToArray();
        if (dims.Count(d => d < 0) > 1)
            throw new KerasValueException("repeat_elements", "x",
                $"repeat_elements: at most one dimension of x may be unknown. Received: x.shape={x.Shape}");
        return K.Reshape(tiled, dims);
    }
}
