using System.Diagnostics;
using System.Globalization;

namespace KerasBackend.Samples.Training;

/// <summary>
/// A Keras-style progress bar for one epoch: <c> 12/45 [=======&gt;......] - 0.4s - loss: 0.5123</c>.
/// On a terminal it redraws one line with a carriage return; when the output is redirected (a log, CI)
/// it prints only the finished line, so logs stay readable.
/// </summary>
public sealed class ProgressBar
{
    private readonly int _total;
    private readonly int _width;
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDrawTicks = long.MinValue;

    public ProgressBar(int total, TextWriter? output = null, bool? interactive = null, int width = 30)
    {
        _total = Math.Max(total, 1);
        _width = width;
        _out = output ?? Console.Out;
        _interactive = interactive ?? !Console.IsOutputRedirected;
    }

    /// <summary>Seconds since the bar was made.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    /// <summary>Shows <paramref name="done"/> of the total steps with the running metrics.</summary>
    public void Update(int done, IReadOnlyList<(string name, double value)> metrics)
    {
        if (!_interactive) return;
        // Redrawing costs more than a small training step: at most ~20 redraws a second.
        long now = _clock.ElapsedTicks;
        if (done < _total && now - _lastDrawTicks < Stopwatch.Frequency / 20) return;
        _lastDrawTicks = now;
        _out.Write("\r" + Line(done, metrics));
        _out.Flush();
    }

    /// <summary>Draws the finished bar with the final metrics and ends the line.</summary>
    public void Finish(IReadOnlyList<(string name, double value)> metrics)
    {
        _out.Write((_interactive ? "\r" : "") + Line(_total, metrics) + Environment.NewLine);
        _out.Flush();
    }

    internal string Line(int done, IReadOnlyList<(string name, double value)> metrics)
    {
        done = Math.Clamp(done, 0, _total);
        int filled = (int)((long)_width * done / _total);
        var bar = new string('=', filled) + (done < _total ? ">" + new string('.', _width - filled - 1) : "");
        var digits = _total.ToString(CultureInfo.InvariantCulture).Length;
        var text = $"{done.ToString(CultureInfo.InvariantCulture).PadLeft(digits)}/{_total} [{bar}] - {Elapsed.ToString("0.00", CultureInfo.InvariantCulture)}s";
        foreach (var (name, value) in metrics)
            text += $" - {name}: {value.ToString("0.0000", CultureInfo.InvariantCulture)}";
        return text;
    }
}
