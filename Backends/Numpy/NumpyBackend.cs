namespace KerasBackend.Backends.Numpy;

/// <summary>
/// The reference backend: plain scalar loops that follow numpy's semantics, written to be obviously
/// correct rather than fast. Floats compute in double and round once into the output dtype; integers
/// compute in long and wrap into the output width, as numpy's fixed-width arithmetic does. Other backends
/// are checked against this one.
/// </summary>
[BackendImplementation("numpy")]
public sealed partial class NumpyBackend : IBackend
{
    public string Name => "numpy";

    /// <summary>Applies <paramref name="f"/> (float path) or <paramref name="g"/> (integer path) element by element with broadcasting.</summary>
    private static void Binary(Tensor x, Tensor y, Tensor output, Func<double, double, double> f, Func<long, long, long> g)
    {
        var mx = Indexing.BroadcastMap(x.Shape, output.Shape);
        var my = Indexing.BroadcastMap(y.Shape, output.Shape);
        bool useFloat = output.DType.IsFloat();
        for (int i = 0; i < output.Size; i++)
        {
            if (useFloat) output.SetDouble(i, f(x.GetDouble(mx[i]), y.GetDouble(my[i])));
            else output.SetLong(i, g(x.GetLong(mx[i]), y.GetLong(my[i])));
        }
    }

    private static void Unary(Tensor x, Tensor output, Func<double, double> f, Func<long, long>? g = null)
    {
        bool useFloat = output.DType.IsFloat() || g is null;
        for (int i = 0; i < output.Size; i++)
        {
            if (useFloat) output.SetDouble(i, f(x.GetDouble(i)));
            else output.SetLong(i, g!(x.GetLong(i)));
        }
    }
}
