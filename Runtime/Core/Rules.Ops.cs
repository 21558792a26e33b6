namespace KerasBackend;

// Shape rules, checks and formatting for the creation, linalg, manipulation and rnn ops. Same contract as
// Rules.cs: rules run on concrete and symbolic shapes (unknown dimensions propagate; checks let them pass).

public static partial class ShapeRules
{
    /// <summary>reshape: the target shape with its one <c>-1</c> solved from x's size (unknown when x's size is).</summary>
    public static Shape Reshape(Tensor x, int[] shape)
    {
        var dims = (int[])shape.Clone();
        int hole = Array.IndexOf(dims, -1);
        if (hole < 0) return Shape.Wrap(dims);
        if (!x.Shape.IsFullyDefined) { dims[hole] = Shape.Unknown; return Shape.Wrap(dims); }
        var others = dims.Where((_, i) => i != hole).ToArray();
        Shape.TryProduct(others, out long known); // ReshapeValid has checked it fits
        dims[hole] = known <= 0 ? 0 : (int)(x.Shape.Size / known);
        return Shape.Wrap(dims);
    }

    /// <summary>expand_dims: a 1 inserted at <paramref name="axis"/>, which counts over the result's rank (rank(x) + 1).</summary>
    public static Shape ExpandDims(Tensor x, int axis)
    {
        int at = axis < 0 ? axis + x.Rank + 1 : axis;
        var dims = new List<int>(x.Shape.Dims.ToArray());
        dims.Insert(at, 1);
        return Shape.Wrap(dims.ToArray());
    }

    /// <summary>squeeze: x without the (absolute) axis.</summary>
    public static Shape Squeeze(Tensor x, int axis)
    {
        var dims = new List<int>(x.Shape.Dims.ToArray());
        dims.RemoveAt(axis);
        return Shape.Wrap(dims.ToArray());
    }

    /// <summary>tile (numpy): x and n are padded with leading 1s to the same length, then multiplied dimension by dimension.</summary>
    public static Shape Tile(Tensor x, int[] n)
    {
        int r = Math.Max(x.Rank, n.Length);
        var dims = new int[r];
        for (int i = 0; i < r; i++)
        {
            int d = i < r - x.Rank ? 1 : x.Shape[i - (r - x.Rank)];
            int k = i < r - n.Length ? 1 : n[i - (r - n.Length)];
            dims[i] = d < 0 ? (k == 0 ? 0 : Shape.Unknown) : Shape.MulDims(d, k);
        }
        return Shape.Wrap(dims);
    }

    /// <summary>stack: a new axis of length <c>x.Count</c> at <paramref name="axis"/> (counted over rank + 1); other dimensions: the first known size.</summary>
    public static Shape Stack(IReadOnlyList<Tensor> x, int axis)
    {
        int rank = x[0].Rank;
        var dims = x[0].Shape.ToArray();
        for (int i = 0; i < rank; i++) foreach (var t in x) if (dims[i] < 0) dims[i] = t.Shape[i];
        var list = new List<int>(dims);
        list.Insert(axis < 0 ? axis + rank + 1 : axis, x.Count);
        return Shape.Wrap(list.ToArray());
    }

    /// <summary>switch: then/else broadcast together, and with the condition padded on the right with 1s (Keras tiles a lower-rank condition along the trailing axes).</summary>
    public static Shape Switch(Tensor condition, Tensor thenExpression, Tensor elseExpression)
    {
        var body = BroadcastShapes(thenExpression.Shape, elseExpression.Shape);
        return BroadcastShapes(body, PadRight(condition.Shape, body.Rank));
    }

    internal static Shape PadRight(Shape s, int rank)
    {
        var dims = new int[Math.Max(rank, s.Rank)];
        Array.Fill(dims, 1);
        s.Dims.CopyTo(dims);
        return Shape.Wrap(dims);
    }
}

public static partial class Checks
{
    /// <summary>eye's size: one or two non-negative ints.</summary>
    public static bool EyeSizeValid(int[] size) => size.Length is 1 or 2 && size.All(d => d >= 0);

    /// <summary>reshape: dimensions ≥ 0 or a single -1; the sizes agree when x's size is known; a -1 beside a 0 is ambiguous (numpy rejects it).</summary>
    public static bool ReshapeValid(Tensor x, int[] shape)
    {
        if (shape.Any(d => d < -1) || shape.Count(d => d == -1) > 1) return false;
        if (!x.Shape.IsFullyDefined) return true;
        if (!Shape.TryProduct(shape.Where(d => d != -1).ToArray(), out long known)) return false;
        if (Array.IndexOf(shape, -1) < 0) return known == x.Shape.Size;
        return known != 0 && x.Shape.Size % known == 0;
    }

    /// <summary>expand_dims: axis in [-(rank + 1), rank].</summary>
    public static bool ExpandAxisValid(Tensor x, int axis) => axis >= -(x.Rank + 1) && axis <= x.Rank;

    /// <summary>squeeze: x has the axis and its size is 1 (or unknown).</summary>
    public static bool Squeezable(Tensor x, int axis)
    {
        if (x.Rank == 0 || axis < -x.Rank || axis >= x.Rank) return false;
        int d = x.Shape[axis < 0 ? axis + x.Rank : axis];
        return d == 1 || d < 0;
    }

    /// <summary>stack: axis in [-(rank + 1), rank] of the inputs' rank.</summary>
    public static bool StackAxisValid(IReadOnlyList<Tensor> x, int axis) => x.Count == 0 || ExpandAxisValid(x[0], axis);

    /// <summary>stack: at least one tensor, all of one shape (unknown dimensions pass).</summary>
    public static bool StackCompatible(IReadOnlyList<Tensor> x)
    {
        if (x.Count == 0 || x.Any(t => t is null)) return false;
        foreach (var t in x) if (!SameShape(t, x[0])) return false;
        return true;
    }

    /// <summary>switch: the condition's rank is at most the expressions' rank (Keras: ndim(condition) ≤ ndim(then_expression)).</summary>
    public static bool SwitchRanks(Tensor condition, Tensor thenExpression, Tensor elseExpression) =>
        condition.Rank <= Math.Max(thenExpression.Rank, elseExpression.Rank);

    /// <summary>switch: then/else broadcast together and with the right-padded condition.</summary>
    public static bool SwitchBroadcastable(Tensor condition, Tensor thenExpression, Tensor elseExpression)
    {
        if (!Broadcastable(thenExpression, elseExpression)) return false;
        var body = ShapeRules.BroadcastShapes(thenExpression.Shape, elseExpression.Shape);
        var cond = ShapeRules.PadRight(condition.Shape, body.Rank);
        for (int i = 0; i < body.Rank; i++)
        {
            int a = body[i], b = cond[i];
            if (a != b && a != 1 && b != 1 && a >= 0 && b >= 0) return false;
        }
        return true;
    }

    /// <summary>gather: every index in [-n, n) with n = reference.shape[0] (numpy's negative indexing). Symbolic indices pass.</summary>
    [ReadsValues]
    public static bool GatherIndicesInRange(Tensor reference, Tensor indices)
    {
        if (indices.IsSymbolic || reference.Rank == 0) return true;
        int n = reference.Shape[0];
        if (n < 0) return true;
        for (int i = 0; i < indices.Size; i++)
        {
            long v = indices.GetLong(i);
            if (v < -n || v >= n) return false;
        }
        return true;
    }

    /// <summary>Index of the first out-of-range index (for messages), or -1.</summary>
    internal static int FirstBadIndex(Tensor reference, Tensor indices)
    {
        int n = reference.Shape[0];
        for (int i = 0; i < indices.Size; i++)
        {
            long v = indices.GetLong(i);
            if (v < -n || v >= n) return i;
        }
        return -1;
    }

    public static bool BatchDotRanks(Tensor x, Tensor y) => x.Rank >= 2 && y.Rank >= 2;

    public static bool BatchDotBatch(Tensor x, Tensor y) => x.Shape[0] < 0 || y.Shape[0] < 0 || x.Shape[0] == y.Shape[0];

    /// <summary>batch_dot's axes: null, one int, or a pair (Keras: "Multiple target dimensions are not supported").</summary>
    public static bool BatchDotAxesCount(int[]? axes) => axes is null || axes.Length is 1 or 2;

    /// <summary>Each of the pair in [-rank, rank) of its tensor.</summary>
    public static bool BatchDotAxesRange(Tensor x, Tensor y, int[]? axes)
    {
        if (axes is null || axes.Length is not (1 or 2)) return true;
        int a0 = axes[0], a1 = axes.Length == 1 ? axes[0] : axes[1];
        return a0 >= -x.Rank && a0 < x.Rank && a1 >= -y.Rank && a1 < y.Rank;
    }

    /// <summary>Neither axis (after wrapping negatives) is the batch axis 0.</summary>
    public static bool BatchDotNotBatchAxis(Tensor x, Tensor y, int[]? axes)
    {
        if (axes is null || axes.Length is not (1 or 2)) return true;
        var p = Normalize.Pair(axes, x.Rank, y.Rank);
        return p[0] != 0 && p[1] != 0;
    }

    /// <summary>The contracted dimensions agree: x.shape[a0] == y.shape[a1].</summary>
    public static bool BatchDotSizes(Tensor x, Tensor y, int[]? axes)
    {
        if (x.Rank < 2 || y.Rank < 2 || !BatchDotAxesCount(axes) || !BatchDotAxesRange(x, y, axes)) return true;
        var p = Normalize.Pair(axes, x.Rank, y.Rank);
        int a = x.Shape[p[0]], b = y.Shape[p[1]];
        return a < 0 || b < 0 || a == b;
    }

    /// <summary>A dtype argument that is null or floating.</summary>
    public static bool FloatDtypeParam(DType? dtype) => dtype is null || dtype.Value.IsFloat();

    /// <summary>rnn: the time loop is always unrolled here, so the number of timesteps must be known (and at least 1), whatever <paramref name="unroll"/> says.</summary>
    public static bool RnnUnrollFixed(Tensor inputs, bool unroll, bool timeMajor) =>
        inputs.Rank < 3 || inputs.Shape[timeMajor ? 0 : 1] >= 1;

    /// <summary>rnn: input_length, when given, equals the number of timesteps.</summary>
    public static bool RnnInputLength(Tensor inputs, int? inputLength, bool timeMajor) =>
        inputLength is null || inputs.Rank < 3 || inputs.Shape[timeMajor ? 0 : 1] < 0 || inputs.Shape[timeMajor ? 0 : 1] == inputLength;

    /// <summary>rnn: a mask needs states (the step function's first state carries the previous output).</summary>
    public static bool RnnMaskStates(Tensor? mask, IReadOnlyList<Tensor> initialStates) => mask is null || initialStates.Count > 0;

    /// <summary>rnn: the mask is (samples, time) or (samples, time, 1), in the inputs' layout.</summary>
    public static bool RnnMaskShape(Tensor inputs, Tensor? mask, bool timeMajor)
    {
        if (mask is null || inputs.Rank < 3) return true;
        if (mask.Rank is not (2 or 3) || (mask.Rank == 3 && mask.Shape[2] is not (1 or Shape.Unknown))) return false;
        for (int i = 0; i < 2; i++)
            if (mask.Shape[i] >= 0 && inputs.Shape[i] >= 0 && mask.Shape[i] != inputs.Shape[i]) return false;
        return true;
    }
}

public static partial class Format
{
    /// <summary>A tensor's values as a flat Python-style list (the first 16, then "..."), or its description when symbolic.</summary>
    public static string Values(Tensor t)
    {
        if (t.IsSymbolic) return t.Describe();
        int n = Math.Min(t.Size, 16);
        var items = new string[n];
        for (int i = 0; i < n; i++)
            items[i] = t.DType.IsFloat() ? Py(t.GetDouble(i)) : t.GetLong(i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", items) + (t.Size > n ? ", ..." : "") + "]";
    }
}
