using System.Globalization;
using System.Text;

namespace KerasBackend;

/// <summary>
/// K.PrintTensor's output, laid out as tf.print does: nested brackets without commas, rows on new lines indented by
/// their depth, floats to 6 significant digits (nan, inf), bools as 1/0, and only the first and last
/// <c>summarize</c> entries of a dimension longer than 2·summarize with "..." between (-1: everything).
/// </summary>
public static class TensorPrint
{
    /// <summary>Writes tf.print(message, x)'s line to <see cref="Session.PrintWriter"/>: the message, a space, the tensor.</summary>
    public static void Print(Tensor x, string message, int summarize)
    {
        var line = message + " " + Format(x, summarize);
        var w = Session.PrintWriter;
        lock (w) { w.WriteLine(line); w.Flush(); }
    }

    /// <summary>The tensor in tf.print's layout.</summary>
    public static string Format(Tensor x, int summarize)
    {
        ArgumentNullException.ThrowIfNull(x);
        var sb = new StringBuilder();
        if (x is SparseTensor sp) x = sp.ToDense();
        Append(sb, x, 0, 0, summarize);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Tensor x, int dim, int offset, int summarize)
    {
        if (dim == x.Rank) { sb.Append(Scalar(x, offset)); return; }
        int n = x.Shape[dim];
        int stride = 1;
        for (int d = dim + 1; d < x.Rank; d++) stride *= x.Shape[d];
        bool cut = summarize >= 0 && n > 2 * summarize;
        sb.Append('[');
        bool first = true;
        for (int i = 0; i < n; i++)
        {
            if (cut && i == summarize)
            {
                Separator(sb, x.Rank - dim - 1, dim);
                sb.Append("...");
                i = n - summarize - 1;
                continue;
            }
            if (!first) Separator(sb, x.Rank - dim - 1, dim);
            first = false;
            Append(sb, x, dim + 1, offset + i * stride, summarize);
        }
        sb.Append(']');
    }

    // Between entries: a space for numbers; between rows a newline (one more per deeper level) and an indent of dim + 1.
    private static void Separator(StringBuilder sb, int below, int dim)
    {
        if (below == 0) { sb.Append(' '); return; }
        sb.Append('\n', below);
        sb.Append(' ', dim + 1);
    }

    private static string Scalar(Tensor x, int i)
    {
        if (x.DType == DType.Bool) return x.GetLong(i) != 0 ? "1" : "0";
        if (!x.DType.IsFloat()) return x.GetLong(i).ToString(CultureInfo.InvariantCulture);
        double v = x.GetDouble(i);
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        return v.ToString("G6", CultureInfo.InvariantCulture);
    }
}
