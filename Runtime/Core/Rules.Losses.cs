namespace KerasBackend;

// Shape rules and checks of the loss ops (Spec/ops/losses.json).
public static partial class ShapeRules
{
    /// <summary>categorical_crossentropy: output's shape without the class axis (a reduction over it).</summary>
    public static Shape CategoricalCrossentropy(Tensor output, int axis) => ReduceAxis(output, Normalize.Axis(axis, output.Rank));

    /// <summary>
    /// sparse_categorical_crossentropy: output's shape without the class axis, except for a rank-1 output with a
    /// target that is not a scalar, which tf-keras flattens to one row: then (1,).
    /// </summary>
    public static Shape SparseCrossentropy(Tensor target, Tensor output, int axis) =>
        output.Rank == 1 && target.Rank != 0 ? Shape.Wrap([1]) : ReduceAxis(output, Normalize.Axis(axis, output.Rank));
}

public static partial class Checks
{
    /// <summary>
    /// sparse_categorical_crossentropy: target has output's shape without the class axis, or (tf-keras flattens it
    /// then) as many elements as output has rows. Unknown dimensions pass.
    /// </summary>
    public static bool SparseTargetFits(Tensor target, Tensor output, int axis)
    {
        if (output.Rank == 0) return true;
        var rows = ShapeRules.ReduceAxis(output, Normalize.Axis(axis, output.Rank));
        if (target.Rank == rows.Rank)
        {
            for (int i = 0; i < rows.Rank; i++)
                if (target.Shape[i] != rows[i] && target.Shape[i] >= 0 && rows[i] >= 0) return false;
            return true;
        }
        if (!target.Shape.IsFullyDefined || !rows.IsFullyDefined) return true;
        return target.Shape.ElementCount == rows.ElementCount;
    }

    /// <summary>sparse_categorical_crossentropy: every label (except ignore_class) in [0, classes). Symbolic targets pass.</summary>
    public static bool SparseLabelsInRange(Tensor target, Tensor output, int axis, int? ignoreClass)
    {
        if (target.IsSymbolic || output.Rank == 0) return true;
        int classes = output.Shape[Normalize.Axis(axis, output.Rank)];
        if (classes < 0) return true;
        for (int i = 0; i < target.Size; i++)
        {
            long v = target.GetLong(i);
            if (ignoreClass is int ic && v == ic) continue;
            if (v < 0 || v >= classes) return false;
        }
        return true;
    }

    /// <summary>binary_crossentropy: the same shape with logits (tf.nn.sigmoid_cross_entropy_with_logits), broadcastable otherwise.</summary>
    public static bool BinaryCrossentropyShapes(Tensor target, Tensor output, bool fromLogits) =>
        fromLogits ? SameShape(target, output) : Broadcastable(target, output);
}
