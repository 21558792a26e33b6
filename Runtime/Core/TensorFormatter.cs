using System.Globalization;
using System.Text;

namespace KerasBackend;

/// <summary>
/// Prints tensors exactly as numpy's <c>repr</c> does with its default options (numpy 1.24's arrayprint:
/// precision 8, floatmode "maxprec", linewidth 75, threshold 1000, edgeitems 3): shortest round-trip digits,
/// scientific notation when the nonzero magnitudes span more than 1e3 or reach 1e8 or go below 1e-4,
/// columns aligned, long rows wrapped, large tensors abbreviated with "...".
/// </summary>
internal static class TensorFormatter
{
    private const int LineWidth = 75, Threshold = 1000, EdgeItems = 3, Precision = 8;

    public static string Repr(Tensor t)
    {
        // numpy omits the dtype for its defaults (float64, int64, bool) unless the array is empty.
        bool skipDtype = t.DType is DType.Float64 or DType.Int64 or DType.Bool && t.Size > 0;
        const string prefix = "array(";
        string suffix = skipDtype ? ")" : ",";
        string body;
        if (t.Size > 0 || t.Shape == new Shape(0))
            body = t.Size == 0 ? "[]" : Format(t, LineWidth - suffix.Length, new string(' ', prefix.Length + 1));
        else
            body = $"[], shape={t.Shape}";
        var s = prefix + body + suffix;
        if (skipDtype) return s;
        var dtype = $"dtype={t.DType.Name()})";
        int lastLine = s.Length - (s.LastIndexOf('\n') + 1);
        return s + (lastLine + dtype.Length + 1 > LineWidth ? "\n" + new string(' ', prefix.Length) : " ") + dtype;
    }

    private static string Format(Tensor t, int lineWidth, string nextLinePrefix)
    {
        bool summarize = t.Size > Threshold;
        var shown = Enumerable.Range(0, t.Size).Where(i => !summarize || Shown(t.Shape, i)).ToList();
        var fmt = ElementFormat(t, shown);
        return Recurse(t, fmt, [], nextLinePrefix, lineWidth, summarize);
    }

    // The recursion of numpy's _formatArray: the last axis wraps words to the line width; outer axes put
    // rows on new lines (one blank line per extra axis).
    private static string Recurse(Tensor t, Func<int, string> fmt, List<int> index, string hanging, int width, bool summarize)
    {
        int axis = index.Count, axesLeft = t.Rank - axis;
        if (axesLeft == 0) return fmt(FlatIndex(t.Shape, index));
        string nextHanging = hanging + " ";
        int nextWidth = width - 1;
        int n = t.Shape[axis];
        bool showSummary = summarize && 2 * EdgeItems < n;
        int leading = showSummary ? EdgeItems : 0, trailing = showSummary ? EdgeItems : n;
        var sb = new StringBuilder();
        string Child(int i) { index.Add(i); var r = Recurse(t, fmt, index, nextHanging, nextWidth, summarize); index.RemoveAt(index.Count - 1); return r; }
        if (axesLeft == 1)
        {
            int elemWidth = width - 1;
            var line = hanging;
            for (int i = 0; i < leading; i++) { Extend(sb, ref line, Child(i), elemWidth, hanging); line += ", "; }
            if (showSummary) { Extend(sb, ref line, "...", elemWidth, hanging); line += ", "; }
            for (int i = trailing; i > 1; i--) { Extend(sb, ref line, Child(n - i), elemWidth, hanging); line += ", "; }
            Extend(sb, ref line, Child(n - 1), elemWidth, hanging);
            sb.Append(line);
        }
        else
        {
            var sep = "," + new string('\n', axesLeft - 1);
            for (int i = 0; i < leading; i++) sb.Append(hanging).Append(Child(i)).Append(sep);
            if (showSummary) sb.Append(hanging).Append("...").Append(sep);
            for (int i = trailing; i > 1; i--) sb.Append(hanging).Append(Child(n - i)).Append(sep);
            sb.Append(hanging).Append(Child(n - 1));
        }
        return "[" + sb.ToString(hanging.Length, sb.Length - hanging.Length) + "]";
    }

    private static void Extend(StringBuilder s, ref string line, string word, int width, string nextLinePrefix)
    {
        // Wrapping a line that holds only the indent would not help.
        if (line.Length + word.Length > width && line.Length > nextLinePrefix.Length)
        {
            s.Append(line.TrimEnd()).Append('\n');
            line = nextLinePrefix;
        }
        line += word;
    }

    private static int FlatIndex(Shape shape, List<int> index)
    {
        int f = 0;
        for (int i = 0; i < index.Count; i++) f = f * shape[i] + index[i];
        return f;
    }

    private static bool Shown(Shape shape, int flat)
    {
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            int n = shape[d];
            int i = flat % n;
            flat /= n;
            if (n > 2 * EdgeItems && i >= EdgeItems && i < n - EdgeItems) return false;
        }
        return true;
    }

    private static Func<int, string> ElementFormat(Tensor t, List<int> shown)
    {
        if (t.DType == DType.Bool)
        {
            string trueText = t.Rank == 0 ? "True" : " True";
            return i => t.GetLong(i) != 0 ? trueText : "False";
        }
        if (!t.DType.IsFloat())
        {
            int w = shown.Count == 0 ? 0 : shown.Max(i => t.GetLong(i).ToString(CultureInfo.InvariantCulture).Length);
            return i => t.GetLong(i).ToString(CultureInfo.InvariantCulture).PadLeft(w);
        }
        return FloatFormat(t, shown);
    }

    // numpy's FloatingFormat.fillFormat then __call__, for floatmode "maxprec" and sign "-".
    private static Func<int, string> FloatFormat(Tensor t, List<int> shown)
    {
        var finite = shown.Select(t.GetDouble).Where(double.IsFinite).ToList();
        var nonZero = finite.Where(v => v != 0).Select(Math.Abs).ToList();
        bool exp = nonZero.Count > 0 && (nonZero.Max() >= 1e8 || nonZero.Min() < 1e-4 || nonZero.Max() / nonZero.Min() > 1000);
        int padLeft = 0, padRight = 0, precision = Precision, expSize = -1, minDigits = 0;
        if (finite.Count > 0 && exp)
        {
            var parts = finite.Select(v => Scientific(v, t.DType, Precision, 0, 0, -1)).ToList();
            precision = parts.Max(p => p.Frac.Length);
            minDigits = precision;
            expSize = parts.Max(p => p.Exp.Length) - 1;
            padLeft = parts.Max(p => p.Int.Length);
            padRight = expSize + 2 + precision;
        }
        else if (finite.Count > 0)
        {
            var parts = finite.Select(v => Positional(v, t.DType, Precision)).ToList();
            padLeft = parts.Max(p => p.Int.Length);
            padRight = parts.Max(p => p.Frac.Length);
        }
        if (finite.Count != shown.Count)
        {
            bool negInf = shown.Select(t.GetDouble).Any(double.IsNegativeInfinity);
            int offset = padRight + 1;
            padLeft = Math.Max(padLeft, Math.Max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
        }
        return i =>
        {
            double v = t.GetDouble(i);
            if (!double.IsFinite(v))
            {
                var r = double.IsNaN(v) ? "nan" : v < 0 ? "-inf" : "inf";
                return r.PadLeft(padLeft + padRight + 1);
            }
            if (exp)
            {
                var p = Scientific(v, t.DType, precision, minDigits, 0, expSize);
                return p.Int.PadLeft(padLeft) + "." + p.Frac + "e" + p.Exp;
            }
            var q = Positional(v, t.DType, precision);
            return q.Int.PadLeft(padLeft) + "." + q.Frac.PadRight(padRight);
        };
    }

    /// <summary>The shortest digits that read back as <paramref name="v"/> in its dtype: v = 0.digits × 10^point.</summary>
    private static (string Digits, int Point) Shortest(double v, DType dtype)
    {
        var s = dtype switch
        {
            DType.Float32 => ((float)v).ToString("R", CultureInfo.InvariantCulture),
            DType.Float16 => ((Half)v).ToString("R", CultureInfo.InvariantCulture),
            _ => v.ToString("R", CultureInfo.InvariantCulture),
        };
        return Split(s);
    }

    // "-1.25E+03" or "0.0125" → digits without leading zeros and the position of the decimal point.
    private static (string Digits, int Point) Split(string s)
    {
        s = s.TrimStart('-');
        int e = 0;
        int ei = s.IndexOfAny(['E', 'e']);
        if (ei >= 0) { e = int.Parse(s[(ei + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); s = s[..ei]; }
        int dot = s.IndexOf('.');
        string digits = dot < 0 ? s : s.Remove(dot, 1);
        int point = (dot < 0 ? s.Length : dot) + e;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') { lead++; point--; }
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0) return ("0", 1);
        return (digits, point);
    }

    /// <summary>Positional text: at most <paramref name="precision"/> fractional digits (correctly rounded), trailing zeros trimmed.</summary>
    private static (string Int, string Frac) Positional(double v, DType dtype, int precision)
    {
        var (d, p) = Shortest(v, dtype);
        if (d.Length - p > precision) (d, p) = Split(v.ToString("F" + precision, CultureInfo.InvariantCulture));
        if (d == "0") p = 1;
        string intPart = p <= 0 ? "0" : d.Length >= p ? d[..p] : d + new string('0', p - d.Length);
        string frac = p >= d.Length ? "" : p < 0 ? new string('0', -p) + d : d[p..];
        bool neg = v < 0 || (v == 0 && double.IsNegative(v));
        return ((neg ? "-" : "") + intPart, frac.TrimEnd('0'));
    }

    /// <summary>Scientific text: at most <paramref name="precision"/> digits after the first (rounded), at least <paramref name="minDigits"/>, exponent of at least two digits (or <paramref name="expDigits"/>).</summary>
    private static (string Int, string Frac, string Exp) Scientific(double v, DType dtype, int precision, int minDigits, int _, int expDigits)
    {
        var (d, p) = Shortest(v, dtype);
        if (d.Length - 1 > precision) (d, p) = Split(v.ToString("E" + precision, CultureInfo.InvariantCulture));
        // numpy's min_digits prints further true digits of the value (rounded), not zeros.
        if (d.Length - 1 < minDigits && d != "0") (d, p) = Split(v.ToString("E" + minDigits, CultureInfo.InvariantCulture));
        int e = d == "0" ? 0 : p - 1;
        string frac = d.Length > 1 ? d[1..] : "";
        if (frac.Length < minDigits) frac = frac.PadRight(minDigits, '0');
        bool neg = v < 0 || (v == 0 && double.IsNegative(v));
        string exp = Math.Abs(e).ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(expDigits, 2), '0');
        return ((neg ? "-" : "") + d[0], frac, (e < 0 ? "-" : "+") + exp);
    }
}
