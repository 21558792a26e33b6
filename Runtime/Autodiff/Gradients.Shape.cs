namespace KerasBackend.Autodiff;

internal static partial class Gradients
{
    // d slice(x, start, size) = u padded with zeros back to x's shape, one axis at a time: the zero blocks are
    // zeros_like of slices of x itself, so they take x's run-time shape also where it is unknown at build time.
    public static Tensor?[] Slice(GradContext g)
    {
        var x = g.X;
        var start = g.Attr<int[]>(0, []);
        var size = g.Attr<int[]>(1, []);
        var u = g.Upstream;
        for (int i = 0; i < x.Rank; i++)
        {
            bool before = start[i] > 0;
            bool after = size[i] != -1 && !(x.Shape[i] >= 0 && start[i] + size[i] == x.Shape[i]);
            if (!before && !after) continue;
            // Axes before i are already whole, axes after i still sliced: the zero block's shape matches u except on axis i.
            Tensor Zeros(int s, int n)
            {
                var st = (int[])start.Clone();
                var sz = (int[])size.Clone();
                for (int d = 0; d < i; d++) { st[d] = 0; sz[d] = -1; }
                st[i] = s;
                sz[i] = n;
                return K.ZerosLike(K.Slice(x, st, sz), u.DType);
            }
            var parts = new List<Tensor>();
            if (before) parts.Add(Zeros(0, start[i]));
            parts.Add(u);
            if (after) parts.Add(Zeros(start[i] + size[i], -1));
            u = K.Concatenate(parts, i);
        }
        return [u];
    }
}
