namespace KerasBackend;

// The spec's rules are the public static methods of ShapeRules (returning Shape), DTypeRules (returning DType) and
// Checks (returning bool): the rule "batch_dot" is the method BatchDot. The source generator reads these classes
// (there is no other list of rule names): it checks that every rule the spec names exists and takes the
// arguments the spec passes, and reports KB0004 / KB0012 on the spec line otherwise.

/// <summary>
/// Marks a check that reads tensor values (not only shapes, dtypes and types): a <c>K.Function</c> runs it on every
/// call, also when it skips the other checks for inputs shaped like those of a call that passed them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ReadsValuesAttribute : Attribute { }

/// <summary>
/// Static shape rules named by the spec (<c>"shape": {"rule": "broadcast", ...}</c>). They run on concrete
/// and on symbolic shapes alike: an unknown dimension (<see cref="Shape.Unknown"/>) propagates. Arguments
/// were already checked by the op's declared checks; these only compute.
/// </summary>
public static partial class ShapeRules
{
    public static Shape Same(Tensor x) => x.Shape;

    public static Shape Scalar() => Shape.Scalar;

    /// <summary>numpy broadcasting: align on the right; a dimension of 1 stretches; unknown stays unknown unless the other side is known and not 1.</summary>
    public static Shape Broadcast(Tensor x, Tensor y) => BroadcastShapes(x.Shape, y.Shape);

    internal static Shape BroadcastShapes(Shape a, Shape b)
    {
        // Usually one operand already has the result's shape: shapes are immutable, so it is returned as is (no array).
        if (Absorbs(a, b)) return a;
        if (Absorbs(b, a)) return b;
        int r = Math.Max(a.Rank, b.Rank);
        var dims = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i < r - a.Rank ? 1 : a[i - (r - a.Rank)];
            int db = i < r - b.Rank ? 1 : b[i - (r - b.Rank)];
            dims[i] = da == 1 ? db : db == 1 ? da : da < 0 ? db : da;
        }
        return Shape.Wrap(dims);
    }

    // True when broadcasting b onto a gives a's shape.
    private static bool Absorbs(Shape a, Shape b)
    {
        if (a.Rank < b.Rank) return false;
        int off = a.Rank - b.Rank;
        for (int i = 0; i < b.Rank; i++)
        {
            int da = a[off + i], db = b[i];
            if ((da == 1 ? db : db == 1 ? da : da < 0 ? db : da) != da) return false;
        }
        return true;
    }

    /// <summary>Reduction: the axes (absolute, sorted) are removed, or kept as 1 with <paramref name="keepdims"/>.</summary>
    public static Shape Reduce(Tensor x, int[] axes, bool keepdims)
    {
        if (!keepdims && axes.Length == x.Rank) return Shape.Scalar;
        var dims = new int[keepdims ? x.Rank : x.Rank - axes.Length];
        for (int i = 0, k = 0; i < x.Rank; i++)
        {
            if (Array.IndexOf(axes, i) < 0) dims[k++] = x.Shape[i];
            else if (keepdims) dims[k++] = 1;
        }
        return Shape.Wrap(dims);
    }

    /// <summary>Theano/numpy dot: <c>x.shape[:-1] + y.shape[:-2] + y.shape[-1:]</c>; a rank-1 y contributes nothing.</summary>
    public static Shape Dot(Tensor x, Tensor y)
    {
        var dims = new List<int>();
        for (int i = 0; i < x.Rank - 1; i++) dims.Add(x.Shape[i]);
        for (int i = 0; i < y.Rank - 2; i++) dims.Add(y.Shape[i]);
        if (y.Rank >= 2) dims.Add(y.Shape[-1]);
        return Shape.Wrap(dims.ToArray());
    }

    /// <summary>batch_dot: x without axis a0, then y without the batch axis and a1; a rank-1 result becomes (batch, 1).</summary>
    public static Shape BatchDot(Tensor x, Tensor y, int[] axes)
    {
        var dims = new List<int>();
        for (int i = 0; i < x.Rank; i++) if (i != axes[0]) dims.Add(x.Shape[i]);
        for (int i = 1; i < y.Rank; i++) if (i != axes[1]) dims.Add(y.Shape[i]);
        if (dims.Count == 1) dims.Add(1);
        return Shape.Wrap(dims.ToArray());
    }

    /// <summary>Concatenation along <paramref name="axis"/>: sizes add up there; elsewhere the first known size wins.</summary>
    public static Shape Concat(IReadOnlyList<Tensor> tensors, int axis)
    {
        var dims = tensors[0].Shape.ToArray();
        for (int i = 0; i < dims.Length; i++)
        {
            if (i == axis)
            {
                int total = 0;
                foreach (var t in tensors) { if (t.Shape[i] < 0) { total = Shape.Unknown; break; } total = Shape.AddDims(total, t.Shape[i]); }
                dims[i] = total;
            }
            else foreach (var t in tensors) if (dims[i] < 0) dims[i] = t.Shape[i];
        }
        return Shape.Wrap(dims);
    }

    /// <summary>Reversed axes.</summary>
    public static Shape Transpose(Tensor x)
    {
        var d = x.Shape.ToArray();
        Array.Reverse(d);
        return Shape.Wrap(d);
    }

    /// <summary>Axes in the order of <paramref name="pattern"/>.</summary>
    public static Shape Permute(Tensor x, int[] pattern) => Shape.Wrap(pattern.Select(p => x.Shape[p]).ToArray());

    /// <summary>gather along axis 0: <c>indices.shape + reference.shape[1:]</c>.</summary>
    public static Shape Gather(Tensor reference, Tensor indices) =>
        Shape.Wrap([.. indices.Shape.Dims, .. reference.Shape.Dims[1..]]);

    public static Shape FromShape(int[] shape) => Shape.Wrap((int[])shape.Clone());

    /// <summary>eye: <c>(n, n)</c> or <c>(n, m)</c>.</summary>
    public static Shape Eye(int[] size) => size.Length == 1 ? Shape.Wrap([size[0], size[0]]) : Shape.Wrap([size[0], size[1]]);
}

/// <summary>Result-dtype rules named by the spec (<c>"dtype": {"rule": "promote", ...}</c>).</summary>
public static partial class DTypeRules
{
    public static DType Same(Tensor x) => x.DType;

    /// <summary>Keras 3 promotion; a weak (C# scalar) operand defers to the other.</summary>
    public static DType Promote(Tensor x, Tensor y)
    {
        if (x.IsWeak && !y.IsWeak) return DTypes.PromoteWeak(y.DType, x.DType.IsFloat());
        if (y.IsWeak && !x.IsWeak) return DTypes.PromoteWeak(x.DType, y.DType.IsFloat());
        return DTypes.Promote(x.DType, y.DType);
    }

    /// <summary>Promotion over a list (concatenate, stack).</summary>
    public static DType PromoteAll(IReadOnlyList<Tensor> tensors)
    {
        var d = tensors[0].DType;
        for (int i = 1; i < tensors.Count; i++) d = DTypes.Promote(d, tensors[i].DType);
        return d;
    }

    /// <summary>True division: the promoted dtype, made floating (ints and bool → floatx).</summary>
    public static DType TrueDivide(Tensor x, Tensor y) => DTypes.ToFloat(Promote(x, y));

    /// <summary>Float results (mean, var, exp...): floats keep their dtype, ints and bool become floatx.</summary>
    public static DType ToFloat(Tensor x) => DTypes.ToFloat(x.DType);

    /// <summary>sum/prod/cumsum: bool, int8, int16 and uint8 accumulate in int32 (Keras 3, after JAX); others keep their dtype.</summary>
    public static DType Sum(Tensor x) => x.DType is DType.Bool or DType.Int8 or DType.Int16 or DType.UInt8 ? DType.Int32 : x.DType;

    /// <summary>pow(x, a): floats keep their dtype; integers with a whole, non-negative exponent stay integer (bool → int32); else floatx.</summary>
    public static DType Pow(Tensor x, double a)
    {
        if (x.DType.IsFloat()) return x.DType;
        if (a >= 0 && a == Math.Floor(a) && !double.IsInfinity(a)) return x.DType == DType.Bool ? DType.Int32 : x.DType;
        return Config.Floatx;
    }

    /// <summary>square: bool becomes int32 (Keras 3 Square.compute_output_spec); every other dtype is kept.</summary>
    public static DType BoolToInt32(Tensor x) => x.DType == DType.Bool ? DType.Int32 : x.DType;

    public static DType ParamOrFloatx(DType? dtype) => dtype ?? Config.Floatx;

    public static DType ParamOrSame(DType? dtype, Tensor x) => dtype ?? x.DType;

    public static DType Param(DType? dtype) => dtype ?? Config.Floatx;

    public static DType Fixed(string name) => DTypes.Parse(name);
}

/// <summary>
/// Named argument checks used by the spec's <c>errors</c>. Each returns true when the arguments are fine.
/// Unknown (symbolic) dimensions always pass: such errors surface when values are fed.
/// </summary>
public static partial class Checks
{
    public static bool RankAtLeast(Tensor x, int n) => x.Rank >= n;
    public static bool RankEquals(Tensor x, int n) => x.Rank == n;

    public static bool Broadcastable(Tensor x, Tensor y)
    {
        Shape a = x.Shape, b = y.Shape;
        for (int i = 1; i <= Math.Min(a.Rank, b.Rank); i++)
        {
            int da = a[-i], db = b[-i];
            if (da != db && da != 1 && db != 1 && da >= 0 && db >= 0) return false;
        }
        return true;
    }

    public static bool SameShape(Tensor x, Tensor y)
    {
        if (x.Rank != y.Rank) return false;
        for (int i = 0; i < x.Rank; i++) if (x.Shape[i] != y.Shape[i] && x.Shape[i] >= 0 && y.Shape[i] >= 0) return false;
        return true;
    }

    /// <summary>
    /// Every axis in [-rank, rank) and no axis named twice. A rank-0 tensor has no axis at all: numpy raises
    /// AxisError for <c>np.sum(np.float32(1), axis=0)</c> and TensorFlow (tf-keras' <c>K.sum</c> is
    /// <c>tf.reduce_sum</c>) "Invalid reduction dimension 0 for input with 0 dimensions".
    /// </summary>
    public static bool AxesValid(Tensor x, int[]? axes)
    {
        if (axes is null) return true;
        for (int i = 0; i < axes.Length; i++)
        {
            int a = axes[i];
            if (a < -x.Rank || a >= x.Rank) return false;
            // Axis lists are short: a quadratic scan for repeats allocates nothing.
            for (int j = 0; j < i; j++)
                if ((axes[j] < 0 ? axes[j] + x.Rank : axes[j]) == (a < 0 ? a + x.Rank : a)) return false;
        }
        return true;
    }

    /// <summary>An axis in [-rank, rank); for rank 0, 0 and -1 are allowed (Keras normalizes with <c>axis % rank</c>).</summary>
    public static bool AxisValid(Tensor x, int axis) => axis >= -Math.Max(x.Rank, 1) && axis < Math.Max(x.Rank, 1);

    /// <summary>concatenate/stack's axis; rank-0 tensors have no axis to join along (numpy: zero-dimensional arrays cannot be concatenated).</summary>
    public static bool AxisValid(IReadOnlyList<Tensor> tensors, int axis) => tensors.Count == 0 || tensors[0] is null || tensors[0].Rank > 0 && AxisValid(tensors[0], axis);

    public static bool DotCompatible(Tensor x, Tensor y)
    {
        if (x.Rank == 0 || y.Rank == 0) return false;
        int k1 = x.Shape[-1], k2 = y.Rank >= 2 ? y.Shape[-2] : y.Shape[0];
        return k1 < 0 || k2 < 0 || k1 == k2;
    }

    public static bool ConcatNonempty(IReadOnlyList<Tensor> tensors) => tensors.Count > 0;

    public static bool ConcatRanks(IReadOnlyList<Tensor> tensors) => tensors.All(t => t is not null && t.Rank == tensors[0].Rank);

    public static bool ConcatCompatible(IReadOnlyList<Tensor> tensors, int axis)
    {
        if (tensors.Count == 0) return true;
        int rank = tensors[0].Rank;
        int ax = axis < 0 ? axis + rank : axis;
        foreach (var t in tensors)
        {
            if (t.Rank != rank) return false;
            for (int i = 0; i < rank; i++)
                if (i != ax && t.Shape[i] >= 0 && tensors[0].Shape[i] >= 0 && t.Shape[i] != tensors[0].Shape[i]) return false;
        }
        return true;
    }

    public static bool PermutationValid(Tensor x, int[]? pattern)
    {
        if (pattern is null || pattern.Length != x.Rank) return false;
        var seen = new bool[x.Rank];
        foreach (var p in pattern) { if (p < 0 || p >= x.Rank || seen[p]) return false; seen[p] = true; }
        return true;
    }

    /// <summary>
    /// numpy's "zero-size array to reduction operation ... which has no identity": false when a reduced axis
    /// has length 0 while the result still has elements (max/min have no value to give them).
    /// </summary>
    public static bool NonemptyReduction(Tensor x, int[]? axes)
    {
        bool emptyReduced = false;
        for (int i = 0; i < x.Rank; i++)
        {
            bool reduced = axes is null || Array.Exists(axes, a => (a < 0 ? a + x.Rank : a) == i);
            int d = x.Shape[i];
            if (d < 0) return true;
            if (reduced && d == 0) emptyReduced = true;
            if (!reduced && d == 0) return true;
        }
        return !emptyReduced;
    }

    /// <summary>pow: integers to negative integer powers are not allowed (numpy and TensorFlow both refuse).</summary>
    public static bool PowExponentValid(Tensor x, double a) =>
        x.DType.IsFloat() || !(a < 0 && a == Math.Floor(a) && !double.IsInfinity(a));

    public static bool ShapeValid(int[] shape) => shape.All(d => d >= 0);

    public static bool IntegerDtype(Tensor x) => x.DType.IsInteger();

    public static bool FloatDtype(Tensor x) => x.DType.IsFloat();

    /// <summary>x is a variable (the update ops and set_value assign to it).</summary>
    public static bool IsVariable(Tensor x) => x is Variable;

    /// <summary><paramref name="value"/> broadcasts to exactly <paramref name="x"/>'s shape (update_add, update_sub, moving_average_update).</summary>
    public static bool BroadcastsTo(Tensor value, Tensor x) =>
        Broadcastable(x, value) && Graph.GraphChecks.ShapesCompatible(x.Shape, ShapeRules.BroadcastShapes(x.Shape, value.Shape));
}

/// <summary>Turns user axes into what kernels receive: absolute, and sorted for axis lists.</summary>
public static class Normalize
{
    public static int Axis(int axis, int rank) => rank == 0 ? 0 : axis < 0 ? axis + rank : axis;

    /// <summary>null → every axis; else absolute and sorted.</summary>
    public static int[] Axes(int[]? axes, int rank)
    {
        if (axes is null)
        {
            var all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        var r = new int[axes.Length];
        int n = 0;
        foreach (var a in axes)
        {
            int abs = a < 0 ? a + rank : a;
            if (Array.IndexOf(r, abs, 0, n) < 0) r[n++] = abs;
        }
        if (n < r.Length) Array.Resize(ref r, n);
        Array.Sort(r);
        return r;
    }

    /// <summary>batch_dot's axes: int → (a, a); null → (x.ndim-1, y.ndim-1) when y is rank 2, else (x.ndim-1, y.ndim-2); negatives wrap.</summary>
    public static int[] Pair(int[]? axes, int xRank, int yRank)
    {
        int a0, a1;
        if (axes is null) { a0 = xRank - 1; a1 = yRank == 2 ? yRank - 1 : yRank - 2; }
        else if (axes.Length == 1) { a0 = axes[0]; a1 = axes[0]; }
        else { a0 = axes[0]; a1 = axes[1]; }
        if (a0 < 0) a0 += xRank;
        if (a1 < 0) a1 += yRank;
        return [a0, a1];
    }
}

/// <summary>Formats values the way Keras' messages show them (Python reprs).</summary>
public static partial class Format
{
    public static string Py(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        int[] a => "[" + string.Join(", ", a) + "]",
        string s => s,
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Tensor t => t.Describe(),
        DType dt => dt.Name(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    public static string Shapes(IReadOnlyList<Tensor> tensors) => "[" + string.Join(", ", tensors.Select(t => t?.Shape.ToString() ?? "None")) + "]";
}
