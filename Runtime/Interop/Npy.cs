using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace KerasBackend.Interop;

/// <summary>
/// Reads and writes numpy's <c>.npy</c> format (versions 1.0, 2.0 and 3.0; little- or big-endian; C or Fortran
/// order) for the dtypes a <see cref="Tensor"/> holds. Files written here load with <c>numpy.load</c>.
/// </summary>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Writes <paramref name="tensor"/> to <paramref name="path"/> as a version 1.0 .npy file (C order, little-endian).</summary>
    public static void Save(string path, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var f = File.Create(path);
        Write(f, tensor);
    }

    /// <summary>Reads a .npy file into a new tensor.</summary>
    public static Tensor Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var f = File.OpenRead(path);
        return Read(f, path);
    }

    /// <summary>Writes the .npy bytes of <paramref name="tensor"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.IsSymbolic || tensor.IsSparse)
            throw new KerasTypeException("save_npy", "tensor", $"save_npy: only concrete dense tensors can be saved. Received: {tensor.Describe()}{(tensor.IsSparse ? " (sparse: K.ToDense it first)" : "")}");
        var shape = tensor.Shape.Rank switch
        {
            0 => "()",
            1 => $"({tensor.Shape[0]},)",
            _ => "(" + string.Join(", ", tensor.Shape.Dims.ToArray()) + ")",
        };
        var header = $"{{'descr': '{Descr(tensor.DType)}', 'fortran_order': False, 'shape': {shape}, }}";
        // The header is padded with spaces and ends with '\n' so that data starts on a 64-byte boundary.
        int total = Magic.Length + 2 + 2 + header.Length + 1;
        int pad = (64 - total % 64) % 64;
        header = header + new string(' ', pad) + "\n";
        if (header.Length > ushort.MaxValue)
            throw new KerasValueException("save_npy", "tensor", $"save_npy: the header of a tensor of rank {tensor.Rank} is too long for format 1.0.");
        Span<byte> pre = stackalloc byte[10];
        Magic.CopyTo(pre);
        pre[6] = 1; pre[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(pre[8..], (ushort)header.Length);
        stream.Write(pre);
        stream.Write(Encoding.ASCII.GetBytes(header));
        var bytes = tensor.Bytes();
        if (BitConverter.IsLittleEndian || tensor.DType.ItemSize() == 1) stream.Write(bytes);
        else
        {
            var copy = bytes.ToArray();
            Swap(copy, tensor.DType.ItemSize());
            stream.Write(copy);
        }
    }

    /// <summary>
    /// Reads one .npy array from <paramref name="stream"/>. The header must follow numpy's grammar exactly (a dict
    /// literal with the keys <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, the shape a tuple of
    /// non-negative ints); the declared data size is checked against <see cref="Shape.MaxBytes"/> and, for a
    /// seekable stream, against the bytes left in it before anything is allocated. An array past
    /// <see cref="Shape.MaxBytes"/> (about 2 GiB) is refused with a <see cref="KerasValueException"/>.
    /// </summary>
    public static Tensor Read(Stream stream, string? source = null) => Read(stream, source, available: null);

    /// <summary><see cref="Read(Stream, string?)"/> with the number of bytes the source holds from here when the stream cannot tell (a zip entry's declared size).</summary>
    internal static Tensor Read(Stream stream, string? source, long? available)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var where = source ?? "stream";
        if (available is null && stream.CanSeek) available = Math.Max(0, stream.Length - stream.Position);
        Span<byte> pre = stackalloc byte[8];
        ReadExactly(stream, pre, where);
        if (!pre[..6].SequenceEqual(Magic))
            throw Bad(where, "it does not start with the .npy magic string \\x93NUMPY");
        int major = pre[6];
        int headerLen, preLen;
        if (major == 1)
        {
            Span<byte> l = stackalloc byte[2];
            ReadExactly(stream, l, where);
            headerLen = BinaryPrimitives.ReadUInt16LittleEndian(l);
            preLen = 10;
        }
        else if (major is 2 or 3)
        {
            Span<byte> l = stackalloc byte[4];
            ReadExactly(stream, l, where);
            uint n = BinaryPrimitives.ReadUInt32LittleEndian(l);
            if (n > MaxHeaderBytes) throw Bad(where, $"its header length {n} is implausible (at most {MaxHeaderBytes} bytes)");
            headerLen = (int)n;
            preLen = 12;
        }
        else throw Bad(where, $"format version {major}.{pre[7]} is not supported (1.0, 2.0 and 3.0 are)");
        if (available is { } av && av < preLen + headerLen)
            throw Bad(where, $"it ends early (its header needs {preLen + headerLen} bytes, the source holds {av})");
        var hb = new byte[headerLen];
        ReadExactly(stream, hb, where);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(hb);

        var (descr, fortranOrder, dims) = NpyHeader.Parse(header, where);
        var (dtype, bigEndian) = ParseDescr(descr, where);

        // Sizes in checked 64-bit arithmetic, before any allocation.
        var declared = new Shape(dims);
        if (!Shape.TryProduct(dims, out long count) || count > Shape.MaxBytes / dtype.ItemSize())
            throw TooBig(where, declared, descr);
        try { declared.CheckConcrete(dtype, "load_npy"); }
        catch (KerasValueException) { throw TooBig(where, declared, descr); }
        long dataBytes = count * dtype.ItemSize();
        if (available is { } left && left - preLen - headerLen < dataBytes)
            throw Bad(where, $"it ends early: its header declares shape {declared} of '{descr}', {dataBytes} bytes of data, but only {left - preLen - headerLen} bytes follow the header");

        var shape = new Shape(fortranOrder ? dims.Reverse().ToArray() : dims);
        var t = Tensor.Uninitialized(dtype, shape, "load_npy");
        var bytes = t.Bytes();
        ReadExactly(stream, bytes, where);
        if (bigEndian == BitConverter.IsLittleEndian && dtype.ItemSize() > 1) Swap(bytes, dtype.ItemSize());
        if (dtype == DType.Bool)
            foreach (ref var b in bytes) b = b != 0 ? (byte)1 : (byte)0;
        if (!fortranOrder || dims.Length < 2) return t;
        // Fortran order is the C order of the reversed shape: transpose back.
        var r = K.Transpose(t);
        t.Dispose();
        return r;
    }

    /// <summary>The longest header accepted in format 2.0/3.0 (numpy itself caps what it reads at 10,000 bytes by default).</summary>
    internal const int MaxHeaderBytes = 1 << 20;

    private static KerasValueException TooBig(string where, Shape declared, string descr) =>
        new("load_npy", "path", $"load_npy: {where} declares shape {declared} of '{descr}', more than a tensor holds: at most {Shape.MaxBytes} bytes (about 2 GiB) of data.");

    private static void ReadExactly(Stream s, Span<byte> buffer, string where)
    {
        try { s.ReadExactly(buffer); }
        catch (EndOfStreamException) { throw Bad(where, $"it ends early (expected {buffer.Length} more bytes)"); }
        catch (InvalidDataException e) { throw Bad(where, $"its compressed data is corrupt ({e.Message})"); }
    }

    private static (DType, bool bigEndian) ParseDescr(string descr, string where)
    {
        if (descr.Length < 2) throw Unsupported(descr, where);
        char order = descr[0];
        bool big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        var code = order is '<' or '>' or '|' or '=' ? descr[1..] : descr;
        DType? d = code switch
        {
            "f2" => DType.Float16, "f4" => DType.Float32, "f8" => DType.Float64,
            "i1" => DType.Int8, "i2" => DType.Int16, "i4" => DType.Int32, "i8" => DType.Int64,
            "u1" => DType.UInt8, "b1" => DType.Bool,
            _ => null,
        };
        return d is null ? throw Unsupported(descr, where) : (d.Value, big);
    }

    internal static string Descr(DType d) => d switch
    {
        DType.Float16 => "<f2", DType.Float32 => "<f4", DType.Float64 => "<f8",
        DType.Int8 => "|i1", DType.Int16 => "<i2", DType.Int32 => "<i4", DType.Int64 => "<i8",
        DType.UInt8 => "|u1", _ => "|b1",
    };

    private static void Swap(Span<byte> bytes, int size)
    {
        for (int i = 0; i < bytes.Length; i += size) bytes.Slice(i, size).Reverse();
    }

    internal static KerasValueException Bad(string where, string why) =>
        new("load_npy", "path", $"load_npy: {where} is not a valid .npy file: {why}.");

    private static KerasTypeException Unsupported(string descr, string where) =>
        new("load_npy", "path", $"load_npy: {where} holds dtype '{descr}', which a tensor cannot hold. Supported: float16, float32, float64, int8, int16, int32, int64, uint8, bool.");
}

/// <summary>Reads and writes numpy's <c>.npz</c> archives (a zip of .npy files, stored or deflated).</summary>
public static class Npz
{
    /// <summary>Writes the named tensors to <paramref name="path"/> (as numpy.savez, or numpy.savez_compressed when <paramref name="compressed"/>).</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (var name in arrays.Keys)
            if (string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\\'))
                throw new KerasValueException("save_npz", "arrays", $"save_npz: array names must be non-empty and contain no path separator. Received: '{name}'");
        using var f = File.Create(path);
        using var zip = new ZipArchive(f, ZipArchiveMode.Create);
        foreach (var (name, t) in arrays.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var e = zip.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            using var s = e.Open();
            Npy.Write(s, t);
        }
    }

    /// <summary>
    /// The default cap on the bytes <see cref="Load(string, long)"/> decompresses from one archive: 1 GiB. A
    /// compressed entry can stand for ~1000 times its size (a 4 MB file for 4 GB), so more needs an explicit
    /// opt-in: pass a larger <c>maxBytes</c>.
    /// </summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>
    /// Reads every array of a .npz file, by name (the entry name without ".npy"). Each entry is read only as far as
    /// its .npy header declares, and never past its declared uncompressed size; the total is capped at
    /// <paramref name="maxBytes"/> (default <see cref="DefaultMaxBytes"/>), checked from the zip directory before
    /// anything is decompressed. Each array is limited as <see cref="Npy.Read(Stream, string?)"/> describes.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (maxBytes < 0) throw new KerasValueException("load_npz", "maxBytes", $"load_npz: maxBytes must be non-negative. Received: maxBytes={maxBytes}");
        using var f = File.OpenRead(path);
        ZipArchive zip;
        try { zip = new ZipArchive(f, ZipArchiveMode.Read); }
        catch (InvalidDataException e) { throw new KerasValueException("load_npz", "path", $"load_npz: {path} is not a valid .npz (zip) file: {e.Message}"); }
        using (zip)
        {
            var entries = zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)).ToList();
            long total = 0;
            foreach (var e in entries)
            {
                total += e.Length;
                if (total > maxBytes)
                    throw new KerasValueException("load_npz", "maxBytes",
                        $"load_npz: {path} would decompress to more than {maxBytes} bytes (entry {e.FullName} declares {e.Length}); pass a larger maxBytes to allow it. Received: maxBytes={maxBytes}");
            }
            var r = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            try
            {
                foreach (var e in entries)
                {
                    using var s = e.Open();
                    r[e.FullName[..^4]] = Npy.Read(s, path + ":" + e.FullName, available: e.Length);
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or KerasValueException)
            {
                foreach (var t in r.Values) t.Dispose();
                if (ex is KerasValueException) throw;
                throw new KerasValueException("load_npz", "path", $"load_npz: {path} is not a valid .npz (zip) file: {ex.Message}");
            }
            return r;
        }
    }
}
