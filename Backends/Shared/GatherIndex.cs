namespace KerasBackend.Backends;

/// <summary>gather's index rule, shared by the backends: numpy's negative indexing, and an IndexError naming the index.</summary>
public static class GatherIndex
{
    /// <summary>Index <paramref name="value"/> (at flat position <paramref name="position"/> of indices) into an axis of length <paramref name="n"/>.</summary>
    public static long Resolve(long value, int n, int position)
    {
        if (value < -n || value >= n)
            throw new KerasIndexException("gather", "indices",
                $"gather: index {value} at indices[{position}] is out of range for reference.shape[0]={n}; valid indices are in [{-n}, {n}).");
        return value < 0 ? value + n : value;
    }
}

/// <summary>The index rule of take and take_along_axis (Keras 3): numpy's negative indexing, and an IndexError naming the index, its position and the bound.</summary>
public static class SelectIndex
{
    /// <summary>
    /// Index <paramref name="value"/> (at flat position <paramref name="position"/> of indices) into an axis of length
    /// <paramref name="n"/>: axis <paramref name="axis"/> of x, or the flattened x when <paramref name="axis"/> is negative.
    /// </summary>
    public static long Resolve(long value, int n, int position, string op, int axis)
    {
        if (value < -n || value >= n) throw OutOfRange(value, n, position, op, axis);
        return value < 0 ? value + n : value;
    }

    /// <summary>Validates every index of <paramref name="indices"/> in order (the first bad one is reported).</summary>
    public static void CheckAll(Tensor indices, int n, string op, int axis)
    {
        for (int i = 0; i < indices.Size; i++) Resolve(indices.GetLong(i), n, i, op, axis);
    }

    private static KerasIndexException OutOfRange(long value, int n, int position, string op, int axis) =>
        new(op, "indices", $"{op}: index {value} at indices[{position}] is out of range for {(axis < 0 ? "x.size" : $"x.shape[{axis}]")}={n}; valid indices are in [{-n}, {n}).");
}
