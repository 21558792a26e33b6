namespace KerasBackend.Backends.Cpu;

/// <summary>
/// scatter and scatter_update on resolved slice offsets (<see cref="ScatterRows"/>): one slice of <c>Slice</c> elements
/// per index row, rows in order (so repeated rows accumulate for scatter and the last write wins for scatter_update).
/// A slice add is one vectorized span loop (<see cref="VectorLoops"/> with <see cref="AddOperator"/>); bool adds as
/// logical or, integers wrap, as numpy's += does. A slice replacement is a byte copy.
/// </summary>
internal static class Scattering
{
    /// <summary>output (already zeroed) [rows[i]] += values[i] for every row i.</summary>
    public static void Add(Tensor values, long[] rows, int slice, Tensor output) => Dispatch.On(output.DType, new AddRows(values, rows, slice, output));

    /// <summary>output[rows[i]] = source[i] for every row i, byte for byte (source has output's dtype).</summary>
    public static void Replace(Tensor source, long[] rows, int slice, Tensor output)
    {
        int row = slice * output.DType.ItemSize();
        ReadOnlySpan<byte> s = source.Bytes();
        Span<byte> d = output.Bytes();
        for (int i = 0; i < rows.Length; i++) s.Slice(i * row, row).CopyTo(d.Slice(checked((int)(rows[i] * row)), row));
    }

    private readonly struct AddRows(Tensor values, long[] rows, int slice, Tensor output) : IDTypeKernel
    {
        public void Float<T>() where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>, System.Numerics.IMinMaxValue<T> => Numeric<T>();

        public void Integer<T>() where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T> => Numeric<T>();

        public void Bool()
        {
            ReadOnlySpan<bool> s = values.ReadOnlySpan<bool>();
            Span<bool> d = output.Span<bool>();
            for (int i = 0; i < rows.Length; i++)
            {
                int at = checked((int)(rows[i] * slice));
                for (int j = 0; j < slice; j++) d[at + j] |= s[i * slice + j];
            }
        }

        private void Numeric<T>() where T : unmanaged, System.Numerics.INumber<T>
        {
            ReadOnlySpan<T> s = values.ReadOnlySpan<T>();
            Span<T> d = output.Span<T>();
            var body = new BinaryBody<AddOperator, T>(default);
            for (int i = 0; i < rows.Length; i++)
            {
                var to = d.Slice(checked((int)(rows[i] * slice)), slice);
                VectorLoops.Binary(to, s.Slice(i * slice, slice), to, body);
            }
        }
    }
}
