namespace KerasBackend.Autodiff;

// Gradients of the linear-algebra ops.
internal static partial class Gradients
{
    // z[I, J, n] = Σ_k x[I, k] y[J, k, n]  ⇒  dx[I, k] = Σ_{J,n} u[I, J, n] y[J, k, n],  dy[J, k, n] = Σ_I x[I, k] u[I, J, n]
    public static Tensor?[] Dot(GradContext g)
    {
        Tensor x = g.X, y = g.Y, u = g.Upstream;
        int p = x.Rank, q = y.Rank;
        if (q == 1)
        {
            // z[I] = Σ_k x[I, k] y[k]
            var uk = GradOps.ExpandAxes(u, [p - 1]);
            return [g.Wants(0) ? K.Multiply(uk, y) : null,
                    g.Wants(1) ? SumLeading(K.Multiply(x, uk), p - 1) : null];
        }
        if (q == 2)
        {
            // The common case, one matrix product each way: dx = u · yᵀ; dy = xᵀ · u when x is a matrix.
            Tensor? dx = g.Wants(0) ? (p == 1 ? K.Dot(y, u) : K.Dot(u, K.Transpose(y))) : null;
            Tensor? dy = null;
            if (g.Wants(1))
                dy = p == 2 ? K.Dot(K.Transpose(x), u)
                    : SumLeading(K.Multiply(GradOps.ExpandAxes(x, [p]), GradOps.ExpandAxes(u, [p - 1])), p - 1);
            return [dx, dy];
        }
        // General Theano/numpy nD rule by broadcasting: u gets a k axis before n, x gets the J axes and an n axis.
        int jStart = p - 1, jCount = q - 2;
        var uWithK = GradOps.ExpandAxes(u, [jStart + jCount]);                                   // (I, J, 1, n)
        Tensor? gx = null, gy = null;
        if (g.Wants(0))
        {
            var prod = K.Multiply(uWithK, y);                                                    // (I, J, k, n)
            var axes = Enumerable.Range(jStart, jCount).Append(jStart + jCount + 1).ToArray();
            gx = K.Sum(prod, axes);                                                              // (I, k)
        }
        if (g.Wants(1))
        {
            var xAxes = Enumerable.Range(jStart, jCount).Append(jStart + jCount + 1).ToArray();
            var prod = K.Multiply(GradOps.ExpandAxes(x, xAxes), uWithK);                          // (I, J, k, n)
            gy = SumLeading(prod, p - 1);                                                        // (J, k, n)
        }
        return [gx, gy];
    }

    /// <summary>Σ over the first <paramref name="count"/> axes.</summary>
    private static Tensor SumLeading(Tensor t, int count) => count == 0 ? t : K.Sum(t, Enumerable.Range(0, count).ToArray());
}
