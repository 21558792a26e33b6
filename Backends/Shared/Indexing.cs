namespace KerasBackend.Backends;

/// <summary>Index arithmetic shared by backends: broadcasting maps and the (outer, axis, inner) view of an axis.</summary>
public static class Indexing
{
    /// <summary>
    /// For each element of <paramref name="output"/>, the flat index of the element of an input of shape
    /// <paramref name="input"/> that broadcasting pairs with it.
    /// </summary>
    public static int[] BroadcastMap(Shape input, Shape output)
    {
        int n = output.ElementCount;
        var map = new int[n];
        int r = output.Rank, off = r - input.Rank;
        var inStrides = input.Strides();
        var idx = new int[r];
        for (int i = 0; i < n; i++)
        {
            int src = 0;
            for (int d = off; d < r; d++)
                if (input[d - off] != 1) src += idx[d] * inStrides[d - off];
            map[i] = src;
            for (int d = r - 1; d >= 0; d--)
            {
                if (++idx[d] < output[d]) break;
                idx[d] = 0;
            }
        }
        return map;
    }

    /// <summary>Views <paramref name="shape"/> around <paramref name="axis"/> as (outer, length of axis, inner).</summary>
    public static (int outer, int axisLen, int inner) AroundAxis(Shape shape, int axis) =>
        (shape.Prod(0, axis), shape[axis], shape.Prod(axis + 1, shape.Rank));
}
