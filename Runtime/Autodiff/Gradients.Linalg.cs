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

internal static partial class Gradients
{
    // z[b, I, J] = Σ_k x[b, I, k] y[b, J, k] (k at axes a0 of x, a1 of y)  ⇒  dx[b, I, k] = Σ_J u y,  dy[b, J, k] = Σ_I u x
    public static Tensor?[] BatchDot(GradContext g)
    {
        Tensor x = g.X, y = g.Y;
        int p = x.Rank, q = y.Rank;
        var pair = Normalize.Pair(g.Attr<int[]?>(0, null), p, q);
        int nI = p - 2, nJ = q - 2;
        // Bring both operands to (batch, free axes..., contracted axis).
        var xPerm = Enumerable.Range(1, p - 1).Where(a => a != pair[0]).Prepend(0).Append(pair[0]).ToArray();
        var yPerm = Enumerable.Range(1, q - 1).Where(a => a != pair[1]).Prepend(0).Append(pair[1]).ToArray();
        var u = nI + nJ == 0 ? GradOps.SqueezeAxes(g.Upstream, [1]) : g.Upstream;   // a (batch, 1) result was (batch,)
        var uk = GradOps.ExpandAxes(u, [1 + nI + nJ]);                                 // (b, I, J, 1)
        var iAxes = Enumerable.Range(1, nI).ToArray();
        var jAxes = Enumerable.Range(1 + nI, nJ).ToArray();
        Tensor? dx = null, dy = null;
        if (g.Wants(0))
        {
            var yj = GradOps.ExpandAxes(Permute(y, yPerm), iAxes);                     // (b, 1.., J, k)
            var prod = K.Multiply(uk, yj);                                             // (b, I, J, k)
            dx = Permute(nJ == 0 ? prod : K.Sum(prod, jAxes), Inverse(xPerm));
        }
        if (g.Wants(1))
        {
            var xj = GradOps.ExpandAxes(Permute(x, xPerm), jAxes);                     // (b, I, 1.., k)
            var prod = K.Multiply(uk, xj);
            dy = Permute(nI == 0 ? prod : K.Sum(prod, iAxes), Inverse(yPerm));
        }
        return [dx, dy];
    }

    private static Tensor Permute(Tensor t, int[] pattern) =>
        pattern.Select((a, i) => a == i).All(same => same) ? t : K.PermuteDimensions(t, pattern);

    private static int[] Inverse(int[] pattern)
    {
        var inv = new int[pattern.Length];
        for (int i = 0; i < pattern.Length; i++) inv[pattern[i]] = i;
        return inv;
    }
}
