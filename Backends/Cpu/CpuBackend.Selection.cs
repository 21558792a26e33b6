namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>take: one row copy per (outer index, index) around the axis (see <see cref="Gathering"/>).</summary>
    public void Take(Tensor x, Tensor indices, int? axis, Tensor output) => Gathering.Take(x, indices, AlongAxis.Of(axis, x.Rank), output);

    /// <summary>take_along_axis: see <see cref="Selecting"/>.</summary>
    public void TakeAlongAxis(Tensor x, Tensor indices, int? axis, Tensor output) =>
        Selecting.AlongAxis(x, indices, AlongAxis.Of(axis, x.Rank), output);
}
