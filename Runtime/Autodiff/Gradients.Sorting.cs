namespace KerasBackend.Autodiff;

// Gradient of sort.
internal static partial class Gradients
{
    /// <summary>sorted[j] = x[p[j]] with p the stable argsort: the upstream gradient goes back to position p[j].</summary>
    public static Tensor?[] Sort(GradContext g)
    {
        var axis = g.Attrs.Count > 0 ? g.Attrs[0] as int? : -1;
        return [SelectionGrads.ScatterAlongAxis(g.Upstream, K.Argsort(g.X, axis), g.X, axis)];
    }
}
