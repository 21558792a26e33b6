namespace KerasBackend.Autodiff;

internal static partial class Gradients
{
    /// <summary>The index of a strided_slice node: begin, end, strides and the five masks, in spec order from attribute 0.</summary>
    private readonly record struct SliceIndex(int[] Begin, int[] End, int[] Strides, int BeginMask, int EndMask, int EllipsisMask, int NewAxisMask, int ShrinkAxisMask)
    {
        public static SliceIndex Of(GradContext g) => new(g.Attr<int[]>(0, []), g.Attr<int[]>(1, []), g.Attr<int[]>(2, []),
            g.Attr(3, 0), g.Attr(4, 0), g.Attr(5, 0), g.Attr(6, 0), g.Attr(7, 0));

        public Tensor Get(Tensor x) => K.StridedSlice(x, Begin, End, Strides, BeginMask, EndMask, EllipsisMask, NewAxisMask, ShrinkAxisMask);

        public Tensor Set(Tensor x, Tensor updates) =>
            K.StridedSliceUpdate(x, Begin, End, Strides, updates, BeginMask, EndMask, EllipsisMask, NewAxisMask, ShrinkAxisMask);
    }

    // d strided_slice(x) = the upstream scattered into zeros of x's shape (zeros_like takes x's run-time shape).
    public static Tensor?[] StridedSlice(GradContext g)
    {
        var ix = SliceIndex.Of(g);
        return [ix.Set(GradOps.ZerosLike(g.X, g.Upstream.DType), g.Upstream)];
    }

    // y = x with the region replaced by updates: dx = u with the region zeroed; dupdates = u's region, summed back over
    // the axes broadcasting stretched (and the leading 1s numpy dropped from updates).
    public static Tensor?[] StridedSliceUpdate(GradContext g)
    {
        var ix = SliceIndex.Of(g);
        var u = g.Upstream;
        Tensor? dx = null, dv = null;
        if (g.Wants(0)) dx = ix.Set(u, K.Zeros([], u.DType));
        if (g.Wants(1))
        {
            var v = g.Y;
            var region = ix.Get(u);
            int lead = Math.Max(0, v.Rank - region.Rank);   // the check made them 1s
            var like = v;
            for (int i = 0; i < lead; i++) like = K.Squeeze(like, 0);
            dv = GradOps.SumLike(region, like);
            for (int i = 0; i < lead; i++) dv = K.ExpandDims(dv, 0);
        }
        return [dx, dv];
    }
}
