using System.Globalization;
using System.Text;

namespace KerasBackend;

/// <summary>Prints tensors the way numpy's repr does, abbreviating with "..." past 1000 elements.</summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000, EdgeItems = 3;

    public static string Repr(Tensor t)
    {
        bool summarize = t.Size > Threshold;
        var elems = new List<string>();
        var texts = FormatAll(t, summarize);
        var sb = new StringBuilder("array(");
        int indent = "array(".Length;
        Write(sb, t.Shape, 0, 0, texts, summarize, indent);
        bool showDtype = !(t.DType is DType.Float64 or DType.Int64 or DType.Bool) || t.Size == 0;
        if (showDtype) sb.Append(", dtype=").Append(t.DType.Name());
        sb.Append(')');
        return sb.ToString();
    }

    private static Dictionary<int, string> FormatAll(Tensor t, bool summarize)
    {
        var idx = Enumerable.Range(0, t.Size).Where(i => !summarize || Shown(t.Shape, i)).ToList();
        var raw = new Dictionary<int, string>();
        if (t.DType == DType.Bool) { foreach (var i in idx) raw[i] = t.GetLong(i) != 0 ? "True" : "False"; }
        else if (!t.DType.IsFloat()) { foreach (var i in idx) raw[i] = t.GetLong(i).ToString(CultureInfo.InvariantCulture); }
        else
        {
            bool allInt = idx.All(i => { var v = t.GetDouble(i); return double.IsNaN(v) || double.IsInfinity(v) || v == Math.Floor(v) && Math.Abs(v) < 1e16; });
            foreach (var i in idx)
            {
                double v = t.GetDouble(i);
                raw[i] = double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf"
                    : allInt ? v.ToString("0", CultureInfo.InvariantCulture) + "."
                    : FloatText(v, t.DType);
            }
        }
        int width = raw.Count == 0 ? 0 : raw.Values.Max(s => s.Length);
        foreach (var k in raw.Keys.ToList()) raw[k] = raw[k].PadLeft(width);
        return raw;
    }

    private static string FloatText(double v, DType dtype)
    {
        var s = dtype == DType.Float32 ? ((float)v).ToString("R", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);
        if (dtype == DType.Float16) s = ((float)(Half)v).ToString("G4", CultureInfo.InvariantCulture);
        double r = Math.Round(v, 8);
        if (Math.Abs(v) >= 1e-4 && Math.Abs(v) < 1e16) s = r.ToString("0.########", CultureInfo.InvariantCulture);
        if (!s.Contains('.') && !s.Contains('E') && !s.Contains('e')) s += ".";
        return s.Replace("E", "e");
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

    private static void Write(StringBuilder sb, Shape shape, int dim, int offset, Dictionary<int, string> texts, bool summarize, int indent)
    {
        if (shape.Rank == 0) { sb.Append(texts.Values.First().Trim()); return; }
        int n = shape[dim];
        int stride = shape.Prod(dim + 1, shape.Rank);
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (summarize && n > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append(dim == shape.Rank - 1 ? "..., " : "...,\n" + new string(' ', indent + dim + 1));
                i = n - EdgeItems - 1;
                continue;
            }
            if (dim == shape.Rank - 1) sb.Append(texts[offset + i]);
            else Write(sb, shape, dim + 1, offset + i * stride, texts, summarize, indent);
            if (i < n - 1)
            {
                if (dim == shape.Rank - 1) sb.Append(", ");
                else sb.Append(',').Append('\n', shape.Rank - dim - 1).Append(' ', indent + dim + 1);
            }
        }
        sb.Append(']');
    }
}
