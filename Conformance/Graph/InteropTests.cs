using System.Text.Json;
using KerasBackend.Interop;

#pragma warning disable SYSLIB5001

namespace KerasBackend.Conformance.Graph;

/// <summary>C# arrays, spans, System.Numerics.Tensors and numpy .npy/.npz files (written by real numpy: Conformance/Data/npy/make_npy.py).</summary>
public class InteropTests
{
    private static string Data(string name) => DTypeTests.RepoFile(Path.Combine("Conformance", "Data", "npy", name));

    [Fact]
    public void Multidimensional_arrays_round_trip()
    {
        var a = new double[2, 3, 2];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 2; k++) a[i, j, k] = i * 100 + j * 10 + k;
        var t = Tensor.FromArray(a);
        Assert.Equal(new Shape(2, 3, 2), t.Shape);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal(121.0, t.GetDouble((1 * 3 + 2) * 2 + 1));
        var back = t.ToMultiArray<double[,,]>();
        Assert.Equal(a, back);
        var m = K.Constant(new float[,] { { 1, 2 }, { 3, 4 } });
        Assert.Equal(new float[,] { { 1, 2 }, { 3, 4 } }, (float[,])m.ToMultiArray());
        Assert.Throws<KerasTypeException>(() => m.ToMultiArray<double[,]>());
        Assert.Equal(new[] { 7 }, (int[])K.Constant(7, DType.Int32).ToMultiArray());
        Assert.Equal(7, K.Constant(7, DType.Int32).Item<int>());
        Assert.Equal(new bool[,] { { true }, { false } }, Tensor.FromArray(new bool[,] { { true }, { false } }).ToMultiArray<bool[,]>());
        Assert.Throws<KerasTypeException>(() => Tensor.FromArray(new decimal[2]));
    }

    [Fact]
    public void Spans_with_a_shape()
    {
        Span<float> s = [1, 2, 3, 4, 5, 6];
        var t = Tensor.FromSpan<float>(s, 3, 2);
        Assert.Equal(new Shape(3, 2), t.Shape);
        Assert.Equal(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, t.ToMultiArray<float[,]>());
        s[0] = 9; // copied
        Assert.Equal(1f, t.ToArray<float>()[0]);
        var arr = s.ToArray();
        var e = Assert.Throws<KerasValueException>(() => Tensor.FromSpan<float>(arr, 4, 2));
        Assert.Contains("(4, 2)", e.Message);
    }

    [Fact]
    public void System_numerics_tensors_round_trip()
    {
        var n = System.Numerics.Tensors.Tensor.Create(new[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var t = Tensor.FromNumerics(n);
        Assert.Equal(new Shape(2, 3), t.Shape);
        Assert.Equal(DType.Int32, t.DType);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<int>());
        // a strided (transposed) view is copied in its logical row-major order
        var tr = System.Numerics.Tensors.Tensor.Create(new[] { 1, 2, 3, 4, 5, 6 }, [3, 2], [1, 3]);
        Assert.Equal(new[] { 1, 4, 2, 5, 3, 6 }, Tensor.FromNumerics(tr).ToArray<int>());
        var back = K.Constant(new double[,] { { 1.5, 2 }, { 3, 4 } }, DType.Float64).ToNumerics<double>();
        Assert.Equal(new nint[] { 2, 2 }, back.Lengths.ToArray());
        var flat = new double[4];
        back.FlattenTo(flat);
        Assert.Equal(new[] { 1.5, 2, 3, 4 }, flat);
        Assert.Throws<KerasTypeException>(() => K.Constant(new double[] { 1 }, DType.Float64).ToNumerics<float>());
    }

    public static TheoryData<string> NpyFiles()
    {
        var d = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(Data("reprs.json"))!, "*.npy").OrderBy(f => f)) d.Add(Path.GetFileNameWithoutExtension(f));
        return d;
    }

    [Theory, MemberData(nameof(NpyFiles))]
    public void Npy_files_from_numpy_load_and_save_back_identically(string name)
    {
        var t = Npy.Load(Data(name + ".npy"));
        // numpy's repr (from the same script) pins the dtype, shape and values
        var repr = JsonDocument.Parse(File.ReadAllText(Data("reprs.json"))).RootElement.GetProperty(name).GetString()!;
        Assert.Equal(repr, t.ToString());
        var path = Path.Combine(Path.GetTempPath(), $"kb_{name}_{Environment.ProcessId}.npy");
        try
        {
            Npy.Save(path, t);
            var again = Npy.Load(path);
            Assert.Equal(t.Shape, again.Shape);
            Assert.Equal(t.DType, again.DType);
            Assert.Equal(t.ToDoubleArray(), again.ToDoubleArray());
            // a C-order little-endian file is byte-identical to numpy's own
            var original = File.ReadAllBytes(Data(name + ".npy"));
            if (!name.StartsWith("fortran") && !name.StartsWith("bigendian") && !name.StartsWith("v2"))
                Assert.Equal(original, File.ReadAllBytes(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Npy_values_are_exact()
    {
        var f = Npy.Load(Data("fortran_3x2.npy"));
        Assert.Equal(new Shape(3, 2), f.Shape);
        Assert.Equal(new[] { 0.0, 1, 2, 3, 4, 5 }, f.ToArray<double>());
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, Npy.Load(Data("bigendian_i32.npy")).ToArray<int>());
        Assert.Equal(new[] { 1.5, -2.0, 3.25, 1e300 }, Npy.Load(Data("bigendian_f8.npy")).ToArray<double>());
        Assert.Equal(new long[] { 1, -(1L << 62), 7 }, Npy.Load(Data("i64_col.npy")).ToArray<long>());
        Assert.Equal(new Half[] { (Half)0.5, (Half)(-1.25), (Half)65504, (Half)6e-5 }, Npy.Load(Data("f16_2x2.npy")).ToArray<Half>());
        var s = Npy.Load(Data("i32_scalar.npy"));
        Assert.Equal(0, s.Rank);
        Assert.Equal(42, s.Item<int>());
        Assert.Equal(new Shape(0, 3), Npy.Load(Data("empty_0x3.npy")).Shape);
    }

    [Fact]
    public void Npz_archives_from_numpy_and_back()
    {
        var plain = Npz.Load(Data("plain.npz"));
        Assert.Equal(new[] { "a", "b", "flags" }, plain.Keys.OrderBy(k => k));
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f }, plain["a"].ToArray<float>());
        Assert.Equal(new[] { true, false, false, true }, plain["flags"].ToArray<bool>());
        var comp = Npz.Load(Data("compressed.npz"));
        Assert.Equal(new Shape(4, 5), comp["w"].Shape);
        Assert.Equal(42, comp["s"].Item<int>());
        Assert.Equal(Npy.Load(Data("rand_f32_4x5.npy")).ToArray<float>(), comp["w"].ToArray<float>());
        foreach (var compressed in new[] { false, true })
        {
            var path = Path.Combine(Path.GetTempPath(), $"kb_npz_{compressed}_{Environment.ProcessId}.npz");
            try
            {
                Npz.Save(path, new Dictionary<string, Tensor> { ["w"] = comp["w"], ["b"] = plain["b"] }, compressed);
                var back = Npz.Load(path);
                Assert.Equal(comp["w"].ToArray<float>(), back["w"].ToArray<float>());
                Assert.Equal(plain["b"].ToArray<long>(), back["b"].ToArray<long>());
            }
            finally { File.Delete(path); }
        }
    }

    [Fact]
    public void Bad_npy_files_raise_typed_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kb_bad_{Environment.ProcessId}.npy");
        try
        {
            File.WriteAllBytes(path, "not numpy"u8.ToArray());
            Assert.Contains("magic", Assert.Throws<KerasValueException>(() => Npy.Load(path)).Message);
            var good = File.ReadAllBytes(Data("f32_2x3.npy"));
            File.WriteAllBytes(path, good[..^4]);
            Assert.Contains("ends early", Assert.Throws<KerasValueException>(() => Npy.Load(path)).Message);
            var complex = System.Text.Encoding.Latin1.GetBytes(System.Text.Encoding.Latin1.GetString(good).Replace("'<f4'", "'<c8'"));
            File.WriteAllBytes(path, complex);
            Assert.Contains("<c8", Assert.Throws<KerasTypeException>(() => Npy.Load(path)).Message);
            Assert.Throws<KerasValueException>(() => Npz.Load(path));
            Assert.Throws<KerasTypeException>(() => Npy.Save(path, K.Placeholder([2])));
        }
        finally { File.Delete(path); }
    }
}
