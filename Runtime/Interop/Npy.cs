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

    /// <summary>Reads one .npy array from <paramref name="stream"/>.</summary>
    public static Tensor Read(Stream stream, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var where = source ?? "stream";
        Span<byte> pre = stackalloc byte[8];
        ReadExactly(stream, pre, where);
        if (!pre[..6].SequenceEqual(Magic))
            throw Bad(where, "it does not start with the .npy magic string \\x93NUMPY");
        int major = pre[6];
        int headerLen;
        if (major == 1)
        {
            Span<byte> l = stackalloc byte[2];
            ReadExactly(stream, l, where);
            headerLen = BinaryPrimitives.ReadUInt16LittleEndian(l);
        }
        else if (major is 2 or 3)
        {
            Span<byte> l = stackalloc byte[4];
            ReadExactly(stream, l, where);
            uint n = BinaryPrimitives.ReadUInt32LittleEndian(l);
            if (n > 1 << 24) throw Bad(where, $"its header length {n} is implausible");
            headerLen = (int)n;
        }
        else throw Bad(where, $"format version {major}.{pre[7]} is not supported (1.0, 2.0 and 3.0 are)");
        var hb = new byte[headerLen];
        ReadExactly(stream, hb, where);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(hb);

        var descr = HeaderField(header, "descr", where);
        var fortran = HeaderField(header, "fortran_order", where);
        var shapeText = HeaderField(header, "shape", where);
        var (dtype, bigEndian) = ParseDescr(descr.Trim('\'', '"'), where);
        bool fortranOrder = fortran switch { "True" => true, "False" => false, _ => throw Bad(where, $"fortran_order is {fortran}") };
        var dims = ParseShape(shapeText, where);

        var shape = new Shape(fortranOrder ? dims.Reverse().ToArray() : dims);
        long size = shape.Size;
        if (size > Array.MaxLength) throw Bad(where, $"its shape {new Shape(dims)} has more elements than a .NET array holds");
        var t = Tensor.Uninitialized(dtype, shape);
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

    private static void ReadExactly(Stream s, Span<byte> buffer, string where)
    {
        try { s.ReadExactly(buffer); }
        catch (EndOfStreamException) { throw Bad(where, $"it ends early (expected {buffer.Length} more bytes)"); }
    }

    private static string HeaderField(string header, string key, string where)
    {
        var m = Regex.Match(header, @"['""]" + key + @"['""]\s*:\s*('[^']*'|""[^""]*""|True|False|\([^)]*\))");
        if (!m.Success) throw Bad(where, $"its header has no '{key}' entry: {header.Trim()}");
        return m.Groups[1].Value;
    }

    private static int[] ParseShape(string text, string where)
    {
        var inner = text.Trim('(', ')');
        var parts = inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var dims = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var p = parts[i].TrimEnd('L');
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
                throw Bad(where, $"its shape {text} is not a tuple of non-negative ints that fit an int");
        }
        return dims;
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

    private static KerasValueException Bad(string where, string why) =>
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

    /// <summary>Reads every array of a .npz file, by name (the entry name without ".npy").</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var f = File.OpenRead(path);
        ZipArchive zip;
        try { zip = new ZipArchive(f, ZipArchiveMode.Read); }
        catch (InvalidDataException e) { throw new KerasValueException("load_npz", "path", $"load_npz: {path} is not a valid .npz (zip) file: {e.Message}"); }
        using (zip)
        {
            var r = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var e in zip.Entries)
            {
                if (!e.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                using var s = e.Open();
                r[e.FullName[..^4]] = Npy.Read(s, path + ":" + e.FullName);
            }
            return r;
        }
    }
}
