namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>keras.ops.scatter: zeros of the output's shape, then zeros[tuple(index)] += values[i] row by row (numpy's loop).</summary>
    public void Scatter(Tensor indices, Tensor values, Tensor output)
    {
        var (rows, slice) = ScatterRows.Resolve(indices, output.Shape, "scatter", "shape");
        for (int p = 0; p < output.Size; p++) output.SetLong(p, 0);
        bool useFloat = output.DType.IsFloat();
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < slice; j++)
            {
                int to = (int)(rows[i] * slice + j), from = i * slice + j;
                // Each += rounds into the dtype (float16 stays float16), integers wrap, bool adds as logical or.
                if (useFloat) output.SetDouble(to, output.GetDouble(to) + values.GetDouble(from));
                else output.SetLong(to, output.GetLong(to) + values.GetLong(from));
            }
    }

    /// <summary>keras.ops.scatter_update: a copy of inputs, then inputs[index] = updates[i] row by row (the last write of a repeated index wins).</summary>
    public void ScatterUpdate(Tensor inputs, Tensor indices, Tensor updates, Tensor output)
    {
        var (rows, slice) = ScatterRows.Resolve(indices, inputs.Shape, "scatter_update", "inputs.shape");
        for (int p = 0; p < output.Size; p++) CopyElement(inputs, p, output, p);
        bool useFloat = output.DType.IsFloat();
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < slice; j++)
            {
                int to = (int)(rows[i] * slice + j), from = i * slice + j;
                // numpy's assignment casts: floats to integers truncate, anything nonzero to bool is True.
                if (useFloat || updates.DType.IsFloat()) output.SetDouble(to, updates.GetDouble(from));
                else output.SetLong(to, updates.GetLong(from));
            }
    }
}
