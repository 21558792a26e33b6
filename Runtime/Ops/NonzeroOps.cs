using KerasBackend.Graph;

namespace KerasBackend.Composites;

/// <summary>
/// nonzero, the one-argument where: a result whose length depends on the values. Concrete tensors are scanned at once;
/// a symbolic x records one node <c>nonzero</c> with the (ndim, None) int64 matrix of coordinates (ONNX's NonZero
/// layout, tf.where's transposed), and each axis's indices are a row of it (K.Gather), of shape (None,).
/// </summary>
internal static class NonzeroOps
{
    public static IReadOnlyList<Tensor> Nonzero(Tensor x)
    {
        var coords = x.IsSymbolic
            ? GraphBuilder.Record("nonzero", [x], [], new Shape(x.Rank, Shape.Unknown), DType.Int64, ins => Coordinates(ins[0]!))
            : Coordinates(x);
        if (!x.IsSymbolic) return Rows(coords);
        return Enumerable.Range(0, x.Rank).Select(a => K.Gather(coords, K.Constant(a, DType.Int32))).ToList();
    }

    /// <summary>The (ndim, count) int64 coordinates of the nonzero elements of x in row-major order (NaN is nonzero).</summary>
    private static Tensor Coordinates(Tensor x)
    {
        int rank = x.Rank;
        var hits = new List<int>();
        for (int i = 0; i < x.Size; i++)
            if (x.DType.IsFloat() ? x.GetDouble(i) != 0 : x.GetLong(i) != 0) hits.Add(i);
        var strides = x.Shape.Strides();
        var c = new long[rank * hits.Count];
        for (int j = 0; j < hits.Count; j++)
            for (int a = 0, f = hits[j]; a < rank; a++) { c[a * hits.Count + j] = f / strides[a]; f %= strides[a]; }
        return Tensor.FromSpan<long>(c, rank, hits.Count);
    }

    private static List<Tensor> Rows(Tensor coords)
    {
        int rank = coords.Shape[0], count = coords.Shape[1];
        var all = coords.ToArray<long>();
        return Enumerable.Range(0, rank).Select(a => Tensor.FromSpan<long>(all.AsSpan(a * count, count), count)).ToList();
    }
}
