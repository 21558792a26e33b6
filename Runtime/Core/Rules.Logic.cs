namespace KerasBackend;

// Shape rules and checks for the comparison and logic ops (logic.json) and the math ops added with them. Same
// contract as Rules.cs: rules run on concrete and symbolic shapes (unknown dimensions propagate; checks let them pass).

public static partial class ShapeRules
{
    /// <summary>A reduction over one (absolute) axis without keepdims: x's shape with that axis removed (argmax, argmin).</summary>
    public static Shape ReduceAxis(Tensor x, int axis)
    {
        if (x.Rank == 0) return Shape.Scalar;
        var dims = new int[x.Rank - 1];
        for (int i = 0, k = 0; i < x.Rank; i++) if (i != axis) dims[k++] = x.Shape[i];
        return Shape.Wrap(dims);
    }

    /// <summary>in_top_k: one truth value per row, <c>(batch_size,)</c>; the first known batch size of the two inputs.</summary>
    public static Shape InTopK(Tensor predictions, Tensor targets)
    {
        int b = predictions.Rank > 0 ? predictions.Shape[0] : Shape.Unknown;
        if (b < 0 && targets.Rank > 0) b = targets.Shape[0];
        return Shape.Wrap([b]);
    }
}

public static partial class Checks
{
    /// <summary>The axis (in range, possibly negative) has at least one element, or the shape is not known yet.</summary>
    public static bool NonemptyAxis(Tensor x, int axis)
    {
        if (x.Rank == 0 || axis < -x.Rank || axis >= x.Rank) return true;
        return x.Shape[axis < 0 ? axis + x.Rank : axis] != 0;
    }

    /// <summary>in_top_k: predictions and targets have the same batch size (unknown sizes pass).</summary>
    public static bool InTopKBatch(Tensor predictions, Tensor targets)
    {
        if (predictions.Rank == 0 || targets.Rank == 0) return true;
        int a = predictions.Shape[0], b = targets.Shape[0];
        return a < 0 || b < 0 || a == b;
    }
}

public static partial class Checks
{
    /// <summary>x is not bool (sign: numpy and TensorFlow define no sign of bool).</summary>
    public static bool NotBool(Tensor x) => x.DType != DType.Bool;
}
