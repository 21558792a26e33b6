namespace KerasBackend;

// The one-argument form of keras.ops.where, whose result is a list of tensors (the three-argument K.Where returns one).
public static partial class K
{
    /// <summary>
    /// keras.ops.where(condition) with one argument: the indices of the nonzero elements of <paramref name="condition"/>,
    /// one 1-D int64 tensor per axis (numpy.where(condition) = numpy.nonzero(condition)). The same as <see cref="Nonzero"/>.
    /// </summary>
    /// <example><code>var (rows, cols) = (K.Where(mask)[0], K.Where(mask)[1]);</code></example>
    public static IReadOnlyList<Tensor> Where(Tensor condition) => Nonzero(condition);
}
