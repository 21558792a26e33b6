namespace KerasBackend.Conformance.Graph;

/// <summary>DTypes: names, parsing, the promotion table of Spec/dtypes.md (computed from Keras 3's lattice).</summary>
public class DTypeTests
{
    internal static string RepoFile(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var f = Path.Combine(d.FullName, relative);
            if (File.Exists(f)) return f;
        }
        throw new FileNotFoundException(relative);
    }

    [Fact]
    public void Promote_matches_the_table_in_spec_dtypes_md()
    {
        var lines = File.ReadAllLines(RepoFile("Spec/dtypes.md"));
        int header = Array.FindIndex(lines, l => l.StartsWith("| | float16"));
        var cols = lines[header].Split('|', StringSplitOptions.TrimEntries).Where(c => c.Length > 0).ToArray();
        Assert.Equal(9, cols.Length);
        int checkedCells = 0;
        for (int r = header + 2; r < header + 2 + cols.Length; r++)
        {
            var cells = lines[r].Split('|', StringSplitOptions.TrimEntries).Where(c => c.Length > 0).ToArray();
            var a = DTypes.Parse(cells[0].Trim('*'));
            for (int c = 0; c < cols.Length; c++)
            {
                var b = DTypes.Parse(cols[c]);
                Assert.True(DTypes.Parse(cells[c + 1]) == DTypes.Promote(a, b), $"promote({a.Name()}, {b.Name()}): table {cells[c + 1]}, code {DTypes.Promote(a, b).Name()}");
                Assert.Equal(DTypes.Promote(a, b), DTypes.Promote(b, a));
                checkedCells++;
            }
        }
        Assert.Equal(81, checkedCells);
    }

    [Fact]
    public void Weak_scalars_follow_the_table()
    {
        foreach (var d in DTypes.All.Where(d => d != DType.Bool))
        {
            Assert.Equal(d, DTypes.PromoteWeak(d, scalarIsFloat: false));
            Assert.Equal(d.IsFloat() ? d : DType.Float32, DTypes.PromoteWeak(d, scalarIsFloat: true));
        }
        Assert.Equal(DType.Int32, DTypes.PromoteWeak(DType.Bool, false));
        Assert.Equal(DType.Float32, DTypes.PromoteWeak(DType.Bool, true));
        Assert.Equal(DType.Int32, (K.Constant(new[] { true, false }, DType.Bool) + 1).DType);
    }

    [Fact]
    public void Names_and_parsing_as_keras_spells_them()
    {
        Assert.Equal(new[] { "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool" }, DTypes.All.Select(d => d.Name()));
        foreach (var d in DTypes.All) Assert.Equal(d, DTypes.Parse(d.Name()));
        Assert.Equal(typeof(Half), DType.Float16.ClrType());
        Assert.Equal(DType.UInt8, DTypes.Of<byte>());
        var e = Assert.Throws<KerasTypeException>(() => DTypes.Parse("unsupported"));
        Assert.Contains("unsupported", e.Message);
        // tf-keras backend_test: 'int16' and 'bool' variables round-trip their dtype; an unknown dtype is a TypeError.
        Assert.Equal("int16", K.DType(K.Variable(1, DType.Int16)));
        Assert.Equal("bool", K.DType(K.Variable(true, DType.Bool)));
        Assert.Equal("float32", K.DType(K.Variable(new[] { 10 })));
    }
}
