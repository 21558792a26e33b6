using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace KerasBackend.Generators.Json;

/// <summary>A parsed JSON value with the 1-based line and column where it starts (for diagnostics).</summary>
internal abstract class JsonNode
{
    public int Line { get; set; }
    public int Column { get; set; }
    public int Offset { get; set; }
    public int Length { get; set; }
}

internal sealed class JsonObject : JsonNode
{
    /// <summary>Members in file order; keys are unique (the reader rejects duplicates).</summary>
    public List<KeyValuePair<string, JsonNode>> Members { get; } = new();

    public JsonNode? Get(string key)
    {
        foreach (var m in Members) if (m.Key == key) return m.Value;
        return null;
    }
}

internal sealed class JsonArray : JsonNode
{
    public List<JsonNode> Items { get; } = new();
}

internal sealed class JsonString : JsonNode
{
    public string Value { get; set; } = "";
}

internal sealed class JsonNumber : JsonNode
{
    public string Text { get; set; } = "";
    public bool IsInteger => Text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;
    public double Value => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
}

internal sealed class JsonBool : JsonNode
{
    public bool Value { get; set; }
}

internal sealed class JsonNull : JsonNode { }

/// <summary>Raised by <see cref="JsonReader"/> with the position of the error.</summary>
internal sealed class JsonSyntaxException : System.Exception
{
    public JsonSyntaxException(string message, int line, int column, int offset) : base(message)
    {
        Line = line; Column = column; Offset = offset;
    }
    public int Line { get; }
    public int Column { get; }
    public int Offset { get; }
}

/// <summary>
/// A small strict JSON reader that keeps positions. The generator targets netstandard2.0 and cannot ship
/// System.Text.Json as an analyzer dependency without extra packaging, and it needs line numbers anyway.
/// </summary>
internal sealed class JsonReader
{
    private readonly string _s;
    private int _pos, _line = 1, _col = 1;

    private JsonReader(string s) { _s = s; }

    public static JsonNode Parse(string text)
    {
        var r = new JsonReader(text);
        r.SkipWs();
        var v = r.ReadValue();
        r.SkipWs();
        if (r._pos < r._s.Length) throw r.Error("Unexpected text after the JSON value");
        return v;
    }

    private JsonSyntaxException Error(string msg) => new JsonSyntaxException(msg, _line, _col, _pos);

    private char Peek => _pos < _s.Length ? _s[_pos] : '\0';

    private void Advance()
    {
        if (_s[_pos] == '\n') { _line++; _col = 1; } else _col++;
        _pos++;
    }

    private void SkipWs()
    {
        while (_pos < _s.Length)
        {
            char c = _s[_pos];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') Advance();
            else break;
        }
    }

    private T Start<T>(T node) where T : JsonNode
    {
        node.Line = _line; node.Column = _col; node.Offset = _pos;
        return node;
    }

    private JsonNode ReadValue()
    {
        if (_pos >= _s.Length) throw Error("Unexpected end of file");
        char c = Peek;
        JsonNode node;
        int start = _pos;
        switch (c)
        {
            case '{': node = ReadObject(); break;
            case '[': node = ReadArray(); break;
            case '"': { var n = Start(new JsonString()); n.Value = ReadString(); node = n; break; }
            case 't': node = ReadWord("true", Start(new JsonBool { Value = true })); break;
            case 'f': node = ReadWord("false", Start(new JsonBool { Value = false })); break;
            case 'n': node = ReadWord("null", Start(new JsonNull())); break;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) { node = ReadNumber(); break; }
                throw Error($"Unexpected character '{c}'");
        }
        node.Length = _pos - start;
        return node;
    }

    private JsonNode ReadWord(string word, JsonNode node)
    {
        if (string.CompareOrdinal(_s, _pos, word, 0, word.Length) != 0) throw Error($"Expected '{word}'");
        for (int i = 0; i < word.Length; i++) Advance();
        return node;
    }

    private JsonNumber ReadNumber()
    {
        var n = Start(new JsonNumber());
        int start = _pos;
        if (Peek == '-') Advance();
        if (!char.IsDigit(Peek)) throw Error("Expected a digit");
        while (char.IsDigit(Peek)) Advance();
        if (Peek == '.') { Advance(); if (!char.IsDigit(Peek)) throw Error("Expected a digit after '.'"); while (char.IsDigit(Peek)) Advance(); }
        if (Peek == 'e' || Peek == 'E')
        {
            Advance();
            if (Peek == '+' || Peek == '-') Advance();
            if (!char.IsDigit(Peek)) throw Error("Expected a digit in the exponent");
            while (char.IsDigit(Peek)) Advance();
        }
        n.Text = _s.Substring(start, _pos - start);
        return n;
    }

    private string ReadString()
    {
        Advance(); // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _s.Length) throw Error("Unterminated string");
            char c = Peek;
            if (c == '"') { Advance(); return sb.ToString(); }
            if (c == '\n') throw Error("Newline in string");
            if (c == '\\')
            {
                Advance();
                char e = Peek;
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 >= _s.Length) throw Error("Bad \\u escape");
                        var hex = _s.Substring(_pos + 1, 4);
                        sb.Append((char)int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        for (int i = 0; i < 4; i++) Advance();
                        break;
                    default: throw Error($"Bad escape '\\{e}'");
                }
                Advance();
            }
            else { sb.Append(c); Advance(); }
        }
    }

    private JsonObject ReadObject()
    {
        var o = Start(new JsonObject());
        Advance();
        SkipWs();
        if (Peek == '}') { Advance(); return o; }
        while (true)
        {
            SkipWs();
            if (Peek != '"') throw Error("Expected a property name in double quotes");
            int kl = _line, kc = _col;
            var key = ReadString();
            foreach (var m in o.Members)
                if (m.Key == key) throw new JsonSyntaxException($"Duplicate key \"{key}\"", kl, kc, _pos);
            SkipWs();
            if (Peek != ':') throw Error("Expected ':'");
            Advance();
            SkipWs();
            var v = ReadValue();
            o.Members.Add(new KeyValuePair<string, JsonNode>(key, v));
            SkipWs();
            if (Peek == ',') { Advance(); continue; }
            if (Peek == '}') { Advance(); return o; }
            throw Error("Expected ',' or '}'");
        }
    }

    private JsonArray ReadArray()
    {
        var a = Start(new JsonArray());
        Advance();
        SkipWs();
        if (Peek == ']') { Advance(); return a; }
        while (true)
        {
            SkipWs();
            a.Items.Add(ReadValue());
            SkipWs();
            if (Peek == ',') { Advance(); continue; }
            if (Peek == ']') { Advance(); return a; }
            throw Error("Expected ',' or ']'");
        }
    }
}
