namespace KerasBackend.Backends.Cpu;

// scatter and scatter_update: see Scattering.
public sealed partial class CpuBackend
{
    /// <summary>scatter: zeros, then each values slice added at its index row.</summary>
    public void Scatter(Tensor indices, Tensor values, Tensor output)
    {
        var (rows, slice) = ScatterRows.Resolve(indices, output.Shape, "scatter", "shape");
        output.Bytes().Clear();
        if (slice > 0) Scattering.Add(values, rows, slice, output);
    }

    /// <summary>scatter_update: a copy of inputs, updates cast to its dtype, each slice replaced in row order.</summary>
    public void ScatterUpdate(Tensor inputs, Tensor indices, Tensor updates, Tensor output)
    {
        var (rows, slice) = ScatterRows.Resolve(indices, inputs.Shape, "scatter_update", "inputs.shape");
        inputs.Bytes().CopyTo(output.Bytes());
        if (slice == 0 || rows.Length == 0) return;
        var cast = updates;
        if (updates.DType != output.DType)
        {
            cast = Tensor.Uninitialized(output.DType, updates.Shape);
            Casting.Cast(updates, cast);
        }
        Scattering.Replace(cast, rows, slice, output);
        if (!ReferenceEquals(cast, updates)) cast.Dispose();
    }
}
