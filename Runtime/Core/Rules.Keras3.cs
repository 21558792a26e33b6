namespace KerasBackend;

// Rules of the Keras 3 ops of issue 16 (keras.ops.math / numpy / nn / linalg): dtype rules and checks the older
// families did not need. The generator reads them like every other rule (Spec/README.md, "Rules").
public static partial class DTypeRules
{
    /// <summary>mod and floor_divide: the promoted dtype, with bool (two bool operands) computed as int32 (Keras 3 Mod.compute_output_spec, jnp.floor_divide).</summary>
    public static DType PromoteNumeric(Tensor x, Tensor y)
    {
        var d = Promote(x, y);
        return d == DType.Bool ? DType.Int32 : d;
    }
}

public static partial class ShapeRules
{
    /// <summary>where: numpy broadcasting of the condition and both values.</summary>
    public static Shape Broadcast3(Tensor condition, Tensor x1, Tensor x2) => BroadcastShapes(BroadcastShapes(condition.Shape, x1.Shape), x2.Shape);

    /// <summary>linspace: (num,).</summary>
    public static Shape Linspace(int num) => Shape.Wrap([num]);
}

public static partial class Checks
{
    /// <summary>where: the condition and both values broadcast together.</summary>
    public static bool Broadcastable3(Tensor condition, Tensor x1, Tensor x2) =>
        Broadcastable(x1, x2) && ShapesBroadcast(condition.Shape, ShapeRules.BroadcastShapes(x1.Shape, x2.Shape));

    private static bool ShapesBroadcast(Shape a, Shape b)
    {
        for (int i = 1; i <= Math.Min(a.Rank, b.Rank); i++)
        {
            int da = a[-i], db = b[-i];
            if (da != db && da != 1 && db != 1 && da >= 0 && db >= 0) return false;
        }
        return true;
    }

    /// <summary>
    /// layer_normalization's gamma and beta (Keras 3 nn.py _layer_normalization): null, or a tensor laid over the normalized
    /// axes. A tensor of x's rank broadcasts onto x with 1 outside the axes; a lower-rank one broadcasts on the right when
    /// the only axis is the last, else it is reshaped to the axes' shape (Keras' broadcast_shape), so its size must be theirs.
    /// </summary>
    public static bool NormalizationParam(Tensor x, Tensor? p, int[]? axis) => p is null || ParamDims(x, p, axis) is not null;

    /// <summary>p's dimensions aligned to x's rank (1 outside the axes), or null when p does not fit; unknown sizes fit.</summary>
    internal static int[]? ParamDims(Tensor x, Tensor p, int[]? axis)
    {
        int r = x.Rank;
        var axes = Normalize.Axes(axis ?? [-1], r);
        var dims = Enumerable.Repeat(1, r).ToArray();
        if (p.Rank == r || (axes.Length == 1 && axes[0] == r - 1 && p.Rank < r))
        {
            for (int i = 0; i < p.Rank; i++) dims[r - p.Rank + i] = p.Shape[i];
        }
        else
        {
            long n = 1, size = p.Shape.Size;
            bool known = size >= 0;
            foreach (var a in axes) { if (x.Shape[a] < 0) known = false; else n *= x.Shape[a]; dims[a] = x.Shape[a]; }
            return !known || n == size ? dims : null;
        }
        for (int i = 0; i < r; i++)
        {
            int d = dims[i], xd = x.Shape[i];
            bool inAxes = Array.IndexOf(axes, i) >= 0;
            if (d == 1 || d < 0) continue;
            if (!inAxes || (xd >= 0 && d != xd)) return null;
        }
        return dims;
    }

    /// <summary>rms_normalization's scale: null, or broadcastable onto x without changing x's shape.</summary>
    public static bool ScaleFits(Tensor x, Tensor? scale) =>
        scale is null || (Broadcastable(x, scale) && Graph.GraphChecks.ShapesCompatible(x.Shape, ShapeRules.BroadcastShapes(x.Shape, scale.Shape)));

    /// <summary>norm: one or two axes; with axis null, ord null (every element) or x of rank 1 or 2 (numpy.linalg.norm).</summary>
    public static bool NormAxes(Tensor x, object? ord, int[]? axis) =>
        axis is null ? ord is null || x.Rank is 1 or 2 : axis.Length is 1 or 2;

    /// <summary>norm: a string ord only for matrices ("fro", "nuc"); a matrix ord among None, fro, nuc, ±inf, ±1, ±2; a vector ord any number.</summary>
    public static bool NormOrd(Tensor x, object? ord, int[]? axis)
    {
        var o = Composites.LinalgOps.Ord(ord);
        if (o.Invalid) return false;
        if (o.Value is null && o.Name is null) return true;
        if ((axis?.Length ?? x.Rank) == 2) return o.Name is not null || o.Value is double v && (double.IsInfinity(v) || v is 1 or -1 or 2 or -2);
        return o.Name is null;
    }

    /// <summary>norm: ord 2, -2 and "nuc" of a matrix need singular values.</summary>
    public static bool NormWithoutSvd(Tensor x, object? ord, int[]? axis)
    {
        var o = Composites.LinalgOps.Ord(ord);
        bool matrix = (axis?.Length ?? x.Rank) == 2 && !(axis is null && ord is null);
        return !matrix || !(o.Name == "nuc" || o.Value is 2 or -2);
    }
}
