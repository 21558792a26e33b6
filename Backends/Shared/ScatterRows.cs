namespace KerasBackend.Backends;

/// <summary>
/// The index rule of scatter and scatter_update (Keras 3), shared by the backends: indices of shape (..., k) address
/// slices of a target shape by their leading k coordinates. Row i of indices becomes the flat offset of its slice
/// in units of the slice size <c>prod(target[k:])</c>, with numpy's negative indexing and an IndexError that names
/// the index, its position and the dimension.
/// </summary>
public static class ScatterRows
{
    /// <summary>
    /// The slice offsets of every row of <paramref name="indices"/> into <paramref name="target"/>, and the slice size.
    /// <paramref name="targetName"/> names the target in errors ("shape" or "inputs.shape").
    /// </summary>
    public static (long[] Rows, int Slice) Resolve(Tensor indices, Shape target, string op, string targetName)
    {
        int k = indices.Shape[-1];
        int count = k == 0 ? indices.Shape.Prod(0, indices.Rank - 1) : indices.Size / k;
        var rows = new long[count];
        for (int i = 0; i < count; i++)
        {
            long offset = 0;
            for (int j = 0; j < k; j++)
            {
                int n = target[j];
                long v = indices.GetLong(i * k + j);
                if (v < -n || v >= n)
                    throw new KerasIndexException(op, "indices",
                        $"{op}: index {v} at indices[{i}, {j}] (row {i} of indices reshaped to (-1, {k})) is out of range for {targetName}[{j}]={n}; valid indices are in [{-n}, {n}). Received: indices.shape={indices.Shape}, {targetName}={target}");
                offset = offset * n + (v < 0 ? v + n : v);
            }
            rows[i] = offset;
        }
        return (rows, target.Prod(k, target.Rank));
    }

    /// <summary>
    /// scatter_update's rule for repeated rows: row i is kept when no later row writes the same slice (the last
    /// write wins, as numpy's sequential assignment does).
    /// </summary>
    public static bool[] LastWrites(long[] rows)
    {
        var keep = new bool[rows.Length];
        var seen = new HashSet<long>();
        for (int i = rows.Length - 1; i >= 0; i--) keep[i] = seen.Add(rows[i]);
        return keep;
    }
}
