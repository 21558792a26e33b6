using System.Globalization;
using System.Text.Json;

namespace KerasBackend;

/// <summary>Values rendered as Python prints them, so configuration messages read like Keras' own.</summary>
internal static class PyText
{
    /// <summary>Python <c>repr</c> of a string (<c>'float8'</c>) or <c>None</c>.</summary>
    public static string Repr(string? s) => s is null ? "None" : "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>A Python set literal of strings: <c>{'float16', 'float32'}</c>.</summary>
    public static string Set(IEnumerable<string> items) => "{" + string.Join(", ", items.Select(Repr)) + "}";

    /// <summary>A float as Python's <c>repr</c> writes it: <c>1e-07</c>, <c>0.001</c>, <c>1.0</c>, <c>nan</c>, <c>inf</c>.</summary>
    public static string Float(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        var r = v.ToString("R", CultureInfo.InvariantCulture);
        // .NET writes 1E-07; Python writes 1e-07 and keeps a ".0" on integral values.
        if (r.Contains('E')) return r.Replace("E", "e");
        return r.Contains('.') ? r : r + ".0";
    }

    /// <summary>A JSON value as Python's <c>json.load</c> would show it: strings quoted, true → True, null → None.</summary>
    public static string Json(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => Repr(e.GetString()),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        _ => e.GetRawText(),
    };
}
