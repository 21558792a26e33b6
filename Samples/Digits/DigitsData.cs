using System.Globalization;
using System.IO.Compression;
using KerasBackend.Samples.Training;

namespace KerasBackend.Samples.Digits;

/// <summary>
/// The 8×8 handwritten digits (1797 samples, UCI "Optical Recognition of Handwritten Digits" test set) as
/// scikit-learn ships it: a gzipped CSV, one sample per line, 64 pixel counts in 0..16 then the label.
/// See Data/DATA.md for its source and licence.
/// </summary>
public static class DigitsData
{
    public const int Pixels = 64, Classes = 10;

    /// <summary>The shipped file next to the program (copied to the output folder at build).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv.gz");

    /// <summary>Reads the file; pixels are scaled to [0, 1] by dividing by 16.</summary>
    public static Dataset Load(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
            throw new FileNotFoundException($"The digits data file is missing: {path}. It ships in Samples/Digits/Data/ and is copied next to the program at build.", path);
        var features = new List<float>(1797 * Pixels);
        var labels = new List<int>(1797);
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        int lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != Pixels + 1)
                throw new InvalidDataException($"{path}:{lineNo}: expected {Pixels + 1} comma-separated values, found {cells.Length}.");
            for (int i = 0; i < Pixels; i++)
                features.Add(float.Parse(cells[i], CultureInfo.InvariantCulture) / 16f);
            labels.Add((int)float.Parse(cells[Pixels], CultureInfo.InvariantCulture));
        }
        return new Dataset(features.ToArray(), [Pixels], labels.ToArray(), Classes);
    }
}
