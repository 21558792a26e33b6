using ScottPlot;

namespace KerasBackend.Samples.Training;

/// <summary>Saves training curves (loss per epoch, optionally a second series) as a PNG with ScottPlot.</summary>
public static class LossPlot
{
    /// <summary>Writes <paramref name="path"/> (its folder is created) and returns its full path.</summary>
    public static string Save(string path, string title, IReadOnlyList<(string label, IReadOnlyList<double> values)> series,
        string yLabel = "loss", int width = 800, int height = 500)
    {
        var plot = new Plot();
        foreach (var (label, values) in series)
        {
            if (values.Count == 0) continue;
            // Epochs are counted from 1 on the x axis, as Keras' History does when printed.
            var xs = Enumerable.Range(1, values.Count).Select(i => (double)i).ToArray();
            var line = plot.Add.Scatter(xs, values.ToArray());
            line.LegendText = label;
            line.MarkerSize = 4;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        plot.SavePng(full, width, height);
        return full;
    }

    /// <summary>
    /// Ends a sample's run: saves the train/test loss curves to <paramref name="path"/>, prints the time per epoch
    /// (first epoch excluded: it includes JIT warm-up), the line <c>test accuracy: 0.xxxx</c> and the PNG's path.
    /// </summary>
    public static void SaveAndReport(string path, string title, IReadOnlyList<EpochResult> history)
    {
        var png = Save(path, title,
            [("train loss", history.Select(h => h.TrainLoss).ToList()), ("test loss", history.Select(h => h.TestLoss).ToList())]);
        var perEpoch = history.Count > 1 ? history.Skip(1).Average(h => h.Seconds) : history[0].Seconds;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine($"time per epoch: {perEpoch.ToString("0.000", inv)} s (training only, first epoch excluded)");
        Console.WriteLine($"test accuracy: {history[^1].TestAccuracy.ToString("0.0000", inv)}");
        Console.WriteLine(png);
    }
}
