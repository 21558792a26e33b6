namespace KerasBackend.Autodiff;

// Gradients of the crossentropy kernels (inputs: target, output). The upstream gradient has the loss's shape; the
// categorical ones get the class axis back as size 1 and broadcast over it.
internal static partial class Gradients
{
    // logits: d/dx = u·(softmax(x)·Σt - t), d/dt = -u·log_softmax(x)
    // probabilities (p = o / Σo, c = clip(p)): d/dp = -u·t / c where the clip does not bind, then through the
    // renormalization d/do = (d/dp - Σ d/dp·p) / Σo; d/dt = -u·log c
    public static Tensor?[] CategoricalCrossentropy(GradContext g)
    {
        bool logits = g.Attr(0, false);
        var t = g.X;
        var x = g.Y;
        int a = Normalize.Axis(g.Attr(1, -1), x.Rank);
        var u = K.ExpandDims(g.Upstream, a);
        if (logits)
        {
            var (shifted, logSum) = ShiftedLogSumExp(x, a);
            var dx = g.Wants(1) ? u * (K.Exp(shifted - logSum) * K.Sum(t, a, keepdims: true) - t) : null;
            var dt = g.Wants(0) ? -u * (shifted - logSum) : null;
            return [dt, dx];
        }
        var s = K.Sum(x, a, keepdims: true);
        var p = x / s;
        var c = ClipEpsilon(p);
        Tensor? dOut = null;
        if (g.Wants(1))
        {
            var dp = -(u * t / c) * GradOps.Equal(c, p, c.DType);
            dOut = (dp - K.Sum(dp * p, a, keepdims: true)) / s;
        }
        return [g.Wants(0) ? -u * K.Log(c) : null, dOut];
    }

    // logits: d/dx = u·(softmax(x) - onehot(t)); probabilities (c = clip(o)): d/do = u·(c / Σc - onehot(t)) / c where
    // the clip does not bind. Positions labelled ignore_class get no gradient; the integer target none at all.
    public static Tensor?[] SparseCategoricalCrossentropy(GradContext g)
    {
        if (!g.Wants(1)) return [null, null];
        bool logits = g.Attr(0, false);
        int? ignore = g.Attr<int?>(2, null);
        var x = g.Y;
        int a = Normalize.Axis(g.Attr(1, -1), x.Rank);
        int classes = x.Shape[a];
        if (classes < 0)
            throw new KerasValueException("gradients", "output",
                $"gradients: the gradient of sparse_categorical_crossentropy needs a known number of classes. Received: output.shape={x.Shape}");
        // One label per row of output, in the shape of the rows (a flattened target is reshaped back).
        var rows = ShapeRules.ReduceAxis(x, a);
        int[] rowDims = rows.ToArray().Select(d => d < 0 ? -1 : d).ToArray();
        var labels = g.X.Rank == rows.Rank ? g.X : K.Reshape(g.X, rowDims);
        var u = g.Upstream.Rank == rows.Rank ? g.Upstream : K.Reshape(g.Upstream, rowDims);
        if (ignore is int ic) u = u * (1.0 - GradOps.Equal(labels, K.Constant((double)ic, labels.DType), u.DType));
        var hot = K.Cast(K.OneHot(labels, classes), x.DType);
        if (a != x.Rank - 1)
            hot = K.PermuteDimensions(hot, Enumerable.Range(0, x.Rank).Select(i => i < a ? i : i == a ? x.Rank - 1 : i - 1).ToArray());
        var ue = K.ExpandDims(u, a);
        if (logits)
        {
            var (shifted, logSum) = ShiftedLogSumExp(x, a);
            return [null, ue * (K.Exp(shifted - logSum) - hot)];
        }
        var c = ClipEpsilon(x);
        var dx = ue * (c / K.Sum(c, a, keepdims: true) - hot) / c * GradOps.Equal(c, x, c.DType);
        return [null, dx];
    }

    // logits: d/dx = u·(sigmoid(x) - t), d/dt = -u·x
    // probabilities (c = clip(o)): d/do = -u·(t / (c + ε) - (1 - t) / (1 - c + ε)) where the clip does not bind,
    // d/dt = -u·(log(c + ε) - log(1 - c + ε))
    public static Tensor?[] BinaryCrossentropy(GradContext g)
    {
        bool logits = g.Attr(0, false);
        var t = g.X;
        var x = g.Y;
        var u = g.Upstream;
        if (logits)
            return [g.Wants(0) ? -u * x : null, g.Wants(1) ? u * (K.Sigmoid(x) - t) : null];
        var c = ClipEpsilon(x);
        double eps = Config.Epsilon;
        var hi = c + eps;
        var lo = 1.0 - c + eps;
        var dx = g.Wants(1) ? -u * (t / hi - (1.0 - t) / lo) * GradOps.Equal(c, x, c.DType) : null;
        var dt = g.Wants(0) ? -u * (K.Log(hi) - K.Log(lo)) : null;
        return [dt, dx];
    }

    /// <summary>(x - max(x), log Σ exp(x - max(x))) along <paramref name="axis"/>, keeping it: log_softmax = first - second.</summary>
    private static (Tensor Shifted, Tensor LogSum) ShiftedLogSumExp(Tensor x, int axis)
    {
        var shifted = x - K.Max(x, axis, keepdims: true);
        return (shifted, K.Log(K.Sum(K.Exp(shifted), axis, keepdims: true)));
    }

    /// <summary>tf.clip_by_value(p, ε, 1 - ε) with ε = epsilon(), in p's dtype.</summary>
    internal static Tensor ClipEpsilon(Tensor p)
    {
        double eps = Config.Epsilon;
        return K.Minimum(K.Maximum(p, K.Constant(eps, p.DType)), K.Constant(1.0 - eps, p.DType));
    }
}
