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
