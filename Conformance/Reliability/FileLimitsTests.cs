using System.IO.Compression;
using System.Text;
using KerasBackend.Conformance.Runtime;
using KerasBackend.Interop;

namespace KerasBackend.Conformance.Reliability;

/// <summary>Bounded, strict reads of .npy/.npz files: sizes checked before allocating, numpy's header grammar only, a decompression cap.</summary>
public sealed class NpyLimitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kb-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A version 1.0 .npy file: the header as given (padded), then <paramref name="data"/>.</summary>
    private static byte[] NpyBytes(string header, byte[]? data = null)
    {
        int total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        var b = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8) };
        b.AddRange(Encoding.Latin1.GetBytes(header));
        if (data is not null) b.AddRange(data);
        return b.ToArray();
    }

    private string Write(byte[] bytes, string name = "a.npy")
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    private static string Header(string shape, string descr = "<f4") => $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";

    [Fact]
    public void A_small_file_declaring_an_overflowing_shape_is_refused()
    {
        // The 96-byte file of the issue: five dimensions whose product wraps.
        var path = Write(NpyBytes(Header("(65536, 65536, 65536, 65536, 65536)"), new byte[16]));
        var e = Assert.Throws<KerasValueException>(() => Npy.Load(path));
        Assert.Equal("load_npy", e.Op);
        Assert.Contains("more than a tensor holds", e.Message);
    }

    [Fact]
    public void A_77_byte_file_declaring_17_GB_is_refused_before_allocating()
    {
        var path = Write(NpyBytes(Header("(2147483591,)", "<f8"), new byte[13]));
        long before = GC.GetTotalAllocatedBytes();
        var e = Assert.Throws<KerasValueException>(() => Npy.Load(path));
        Assert.Contains("(2147483591,)", e.Message);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 16 << 20);
    }

    [Fact]
    public void At_the_size_limit_the_declared_size_is_checked_against_the_file_length_before_allocating()
    {
        // 268,435,448 float64 = 2,147,483,584 bytes: allowed by the limit, but the file holds 8 bytes of data.
        var path = Write(NpyBytes(Header("(268435448,)", "<f8"), new byte[8]));
        long before = GC.GetTotalAllocatedBytes();
        var e = Assert.Throws<KerasValueException>(() => Npy.Load(path));
        Assert.Contains("ends early", e.Message);
        Assert.Contains("2147483584 bytes", e.Message);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 16 << 20, "the buffer must not be allocated before the length check");
        // One element more is past the limit.
        Assert.Contains("more than a tensor holds", Assert.Throws<KerasValueException>(() => Npy.Load(Write(NpyBytes(Header("(268435449,)", "<f8")), "b.npy"))).Message);
        // A dimension past int is "too big", not an unknown dimension.
        Assert.Contains("larger than a tensor dimension", Assert.Throws<KerasValueException>(() => Npy.Load(Write(NpyBytes(Header("(3000000000,)", "|u1")), "c.npy"))).Message);
    }

    [Theory]
    [InlineData("(2,,,3)")]
    [InlineData("((2,3),)")]
    [InlineData("(,)")]
    [InlineData("(2)")]
    [InlineData("(-2,)")]
    [InlineData("(2.0,)")]
    [InlineData("[2, 3]")]
    [InlineData("(2 3)")]
    [InlineData("(0x10,)")]
    public void Malformed_shapes_in_the_header_are_refused(string shape)
    {
        var path = Write(NpyBytes(Header(shape), new byte[64]));
        var e = Assert.Throws<KerasValueException>(() => Npy.Load(path));
        Assert.Equal("load_npy", e.Op);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing")]
    [InlineData("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}")]
    [InlineData("'descr': '<f4', 'fortran_order': False, 'shape': (2,)")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}")]
    public void Malformed_headers_are_refused(string header)
    {
        var path = Write(NpyBytes(header, new byte[64]));
        Assert.Equal("load_npy", Assert.Throws<KerasValueException>(() => Npy.Load(path)).Op);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new[] { 2, 3 })]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3,)}", new[] { 2, 3 })]
    [InlineData("{\"descr\": \"<f4\", \"shape\": (6,), \"fortran_order\": False}", new[] { 6 })]
    [InlineData("{'shape': (1L, 6L), 'fortran_order': False, 'descr': '<f4'}", new[] { 1, 6 })]
    [InlineData("{'descr':'<f4','fortran_order':False,'shape':(3,2)}", new[] { 3, 2 })]
    public void Every_form_numpy_writes_is_accepted(string header, int[] dims)
    {
        var data = new byte[24];
        var path = Write(NpyBytes(header, data));
        Assert.Equal(new Shape(dims), Npy.Load(path).Shape);
    }

    [Fact]
    public void Scalar_and_empty_arrays_read()
    {
        Assert.Equal(Shape.Scalar, Npy.Load(Write(NpyBytes(Header("()"), new byte[4]))).Shape);
        Assert.Equal(new Shape(0, 5), Npy.Load(Write(NpyBytes(Header("(0, 5)")), "e.npy")).Shape);
    }

    private string Npz(params (string Name, byte[] Bytes, CompressionLevel Level)[] entries)
    {
        var p = Path.Combine(_dir, "a.npz");
        using (var f = File.Create(p))
        using (var zip = new ZipArchive(f, ZipArchiveMode.Create))
            foreach (var (name, bytes, level) in entries)
            {
                using var s = zip.CreateEntry(name, level).Open();
                s.Write(bytes);
            }
        return p;
    }

    [Fact]
    public void Npz_decompression_is_capped_and_a_larger_cap_is_an_explicit_opt_in()
    {
        // 4 MB of zeros deflate to a few KB: a small file standing for much more.
        var zeros = NpyBytes(Header("(1048576,)"), new byte[4 << 20]);
        var path = Npz(("w.npy", zeros, CompressionLevel.Optimal));
        Assert.True(new FileInfo(path).Length < 64 << 10);
        var e = Assert.Throws<KerasValueException>(() => KerasBackend.Interop.Npz.Load(path, maxBytes: 1 << 20));
        Assert.Equal("load_npz", e.Op);
        Assert.Contains("maxBytes", e.Message);
        Assert.Equal(new Shape(1048576), KerasBackend.Interop.Npz.Load(path, maxBytes: 8 << 20)["w"].Shape);
        Assert.Equal(new Shape(1048576), KerasBackend.Interop.Npz.Load(path)["w"].Shape); // the default cap (1 GiB) holds it
        Assert.Equal(1L << 30, KerasBackend.Interop.Npz.DefaultMaxBytes);
    }

    [Fact]
    public void An_npz_entry_whose_header_declares_more_than_the_entry_holds_is_refused_before_allocating()
    {
        var lie = NpyBytes(Header("(100000000,)"), new byte[16]); // 400 MB declared, 16 bytes present
        var path = Npz(("w.npy", lie, CompressionLevel.Optimal));
        long before = GC.GetTotalAllocatedBytes();
        Assert.Contains("ends early", Assert.Throws<KerasValueException>(() => KerasBackend.Interop.Npz.Load(path)).Message);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 16 << 20);
    }

    [Fact]
    public void A_corrupt_npz_entry_is_a_value_error()
    {
        var good = NpyBytes(Header("(4,)"), new byte[16]);
        var path = Npz(("w.npy", good, CompressionLevel.Optimal));
        var bytes = File.ReadAllBytes(path);
        // Flip bytes in the deflate stream (after the 30-byte local header and the name).
        for (int i = 40; i < 48 && i < bytes.Length; i++) bytes[i] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.ThrowsAny<KerasValueException>(() => KerasBackend.Interop.Npz.Load(path));
    }
}

/// <summary>keras.json is read only as a regular file, capped at 1 MiB and within a timeout; anything else warns and uses the defaults.</summary>
[Collection(ConfigCollection.Name)]
public sealed class ConfigFileLimitsTests : IDisposable
{
    private readonly ConfigSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private ConfigState Load(string dir) => KerasConfigFile.Load(_box.Environment() with { ReadTimeout = TimeSpan.FromMilliseconds(500) });

    [Fact]
    public void A_file_over_1_MiB_warns_and_runs_on_the_defaults()
    {
        var path = _box.WriteConfig("{\"floatx\": \"float64\"" + new string(' ', (1 << 20) + 10) + "}");
        var s = Load(path);
        Assert.Equal(DType.Float32, s.Floatx);
        Assert.Contains("larger than 1048576 bytes", _box.Warnings.ToString());
    }

    [Fact]
    public void A_file_just_under_the_cap_is_read()
    {
        var json = "{\"floatx\": \"float64\"}";
        _box.WriteConfig(json + new string(' ', KerasConfigFile.MaxFileBytes - json.Length));
        Assert.Equal(DType.Float64, Load("").Floatx);
    }

    [Fact]
    public void A_link_to_an_endless_device_warns_and_runs_on_the_defaults()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/dev/zero")) return;
        var dir = _box.KerasHome();
        Directory.CreateDirectory(dir);
        File.CreateSymbolicLink(Path.Combine(dir, "keras.json"), "/dev/zero");
        long before = GC.GetTotalAllocatedBytes();
        var s = Load(dir);
        Assert.Equal(ConfigState.Defaults.Floatx, s.Floatx);
        Assert.Contains("was not read", _box.Warnings.ToString());
        Assert.True(GC.GetTotalAllocatedBytes() - before < 32 << 20);
    }

    [Fact]
    public void A_named_pipe_without_a_writer_warns_after_the_timeout_instead_of_blocking()
    {
        if (OperatingSystem.IsWindows()) return;
        var dir = _box.KerasHome();
        Directory.CreateDirectory(dir);
        var fifo = Path.Combine(dir, "keras.json");
        using (var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false }))
        {
            if (p is null) return;
            p.WaitForExit();
            if (p.ExitCode != 0) return; // no mkfifo on this machine
        }
        var s = Load(dir);
        Assert.Equal(ConfigState.Defaults.Floatx, s.Floatx);
        Assert.Contains("could not be read within", _box.Warnings.ToString());
        // Unblock the abandoned reader so that its thread ends.
        using (var w = new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
    }
}
