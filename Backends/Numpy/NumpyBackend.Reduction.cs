namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>Visits every output element and the input elements reduced into it.</summary>
    private static void Reduce(Tensor x, int[] axes, Tensor output, Action<int, IEnumerable<int>> reduce)
    {
        var shape = x.Shape;
        var keep = Enumerable.Range(0, shape.Rank).Where(d => Array.IndexOf(axes, d) < 0).ToArray();
        var strides = shape.Strides();
        var groups = new List<int>[Math.Max(output.Size, 0)];
        for (int i = 0; i < groups.Length; i++) groups[i] = new List<int>();
        var idx = new int[shape.Rank];
        for (int flat = 0; flat < shape.Length; flat++)
        {
            int o = 0;
            foreach (var d in keep) o = o * shape[d] + idx[d];
            groups[o].Add(flat);
            for (int d = shape.Rank - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
        }
        for (int o = 0; o < groups.Length; o++) reduce(o, groups[o]);
    }

    public void Sum(Tensor x, int[] axis, bool keepdims, Tensor output) => Reduce(x, axis, output, (o, items) =>
    {
        if (output.DType.IsFloat()) { double s = 0; foreach (var i in items) s += x.GetDouble(i); output.SetDouble(o, s); }
        else { long s = 0; foreach (var i in items) s = unchecked(s + x.GetLong(i)); output.SetLong(o, s); }
    });
}
