namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>sort: see <see cref="Sorting"/> (bool through uint8).</summary>
    public void Sort(Tensor x, int? axis, Tensor output)
    {
        var work = x.DType == DType.Bool ? DType.UInt8 : x.DType;
        var xc = As(x, work);
        var od = work == output.DType ? output : Tensor.Uninitialized(work, output.Shape);
        Sorting.Sort(xc, AlongAxis.Of(axis, x.Rank), od, indices: false);
        Release(xc, x);
        if (!ReferenceEquals(od, output)) Finish(od, output);
    }

    /// <summary>argsort: stable, see <see cref="Sorting"/>.</summary>
    public void Argsort(Tensor x, int? axis, Tensor output)
    {
        var xc = As(x, x.DType == DType.Bool ? DType.UInt8 : x.DType);
        Sorting.Sort(xc, AlongAxis.Of(axis, x.Rank), output, indices: true);
        Release(xc, x);
    }

    /// <summary>top_k's indices: a heap per row behind a vector pre-filter, see <see cref="Sorting"/>.</summary>
    public void TopKIndices(Tensor x, int k, bool sorted, Tensor output)
    {
        var xc = As(x, x.DType switch { DType.Bool => DType.UInt8, DType.Float16 => DType.Float32, _ => x.DType });
        Sorting.TopK(xc, k, output);
        Release(xc, x);
    }
}
