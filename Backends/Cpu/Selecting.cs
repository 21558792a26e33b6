namespace KerasBackend.Backends.Cpu;

/// <summary>
/// take_along_axis: out[o, i, j] = x[o, wrap(indices[o, i, j]), j] over the (outer, axis, inner) view, when x and indices
/// agree on every other axis (the usual case: top_k's and argsort's indices); with broadcasting, through the
/// per-element maps of <see cref="AlongAxis"/>. Elements move in their own type; int32 and int64 indices are read directly.
/// </summary>
internal static class Selecting
{
    public static void AlongAxis(Tensor x, Tensor indices, int axis, Tensor output) =>
        Dispatch.OnAny(x.DType, new AlongAxisKernel(x, indices, axis, output));

    private readonly struct AlongAxisKernel(Tensor x, Tensor indices, int axis, Tensor output) : IElementKernel
    {
        public void Run<T>() where T : unmanaged
        {
            const string op = "take_along_axis";
            var src = x.ReadOnlySpan<T>();
            var dst = output.Span<T>();
            if (axis >= 0 && SameBesideAxis(x.Shape, indices.Shape, axis))
            {
                var (outer, n, inner) = Indexing.AroundAxis(x.Shape, axis);
                int m = indices.Shape[axis];
                if (indices.DType == DType.Int32) Direct(src, indices.ReadOnlySpan<int>(), dst, outer, n, m, inner, axis);
                else if (indices.DType == DType.Int64) Direct(src, indices.ReadOnlySpan<long>(), dst, outer, n, m, inner, axis);
                else
                {
                    for (int o = 0, p = 0; o < outer; o++)
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < inner; j++, p++)
                                dst[p] = src[(int)((o * (long)n + SelectIndex.Resolve(indices.GetLong(p), n, p, op, axis)) * inner + j)];
                }
                return;
            }
            var (index, bases, stride, len) = Backends.AlongAxis.Maps(x.Shape, indices.Shape, output.Shape, axis);
            SelectIndex.CheckAll(indices, len, op, axis);
            for (int p = 0; p < dst.Length; p++)
                dst[p] = src[(int)(bases[p] + SelectIndex.Resolve(indices.GetLong(index[p]), len, index[p], op, axis) * stride)];
        }

        private static void Direct<T, TI>(ReadOnlySpan<T> src, ReadOnlySpan<TI> idx, Span<T> dst, int outer, int n, int m, int inner, int axis)
            where T : unmanaged where TI : unmanaged, System.Numerics.IBinaryInteger<TI>
        {
            for (int o = 0, p = 0; o < outer; o++)
            {
                long baseOffset = o * (long)n * inner;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < inner; j++, p++)
                        dst[p] = src[(int)(baseOffset + SelectIndex.Resolve(long.CreateTruncating(idx[p]), n, p, "take_along_axis", axis) * inner + j)];
            }
        }
    }

    /// <summary>x and indices have one rank and equal dimensions on every axis but <paramref name="axis"/>.</summary>
    private static bool SameBesideAxis(Shape x, Shape indices, int axis)
    {
        if (x.Rank != indices.Rank) return false;
        for (int d = 0; d < x.Rank; d++) if (d != axis && x[d] != indices[d]) return false;
        return true;
    }
}
