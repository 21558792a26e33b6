using System.Globalization;

namespace KerasBackend.Interop;

/// <summary>
/// The strict grammar of a .npy header: a Python dict literal with exactly the keys <c>'descr'</c> (a string),
/// <c>'fortran_order'</c> (<c>True</c>/<c>False</c>) and <c>'shape'</c> (a tuple of non-negative ints: <c>()</c>,
/// <c>(5,)</c>, <c>(2, 3)</c> or <c>(2, 3,)</c>), in any order, an optional trailing comma, then only spaces
/// and newlines (numpy pads with spaces and ends with <c>\n</c>). Anything else — <c>(2,,,3)</c>,
/// <c>((2,3),)</c>, <c>(,)</c>, <c>(2)</c>, a missing, repeated or extra key, a negative dimension — is an error.
/// Dimensions are read as 64-bit values so that a dimension past <c>int</c> is reported as too big, not as garbage.
/// </summary>
internal ref struct NpyHeader
{
    private readonly ReadOnlySpan<char> _s;
    private readonly string _where;
    private int _i;

    private NpyHeader(ReadOnlySpan<char> s, string where) { _s = s; _where = where; _i = 0; }

    /// <summary>Parses the header text; the dimension list is as written (C or Fortran order is the caller's business).</summary>
    public static (string Descr, bool FortranOrder, int[] Dims) Parse(string header, string where)
    {
        var p = new NpyHeader(header, where);
        return p.Dict(header);
    }

    private (string, bool, int[]) Dict(string header)
    {
        string? descr = null; bool? fortran = null; int[]? dims = null;
        Ws();
        Expect('{');
        Ws();
        while (Peek() != '}')
        {
            var key = Str();
            Ws(); Expect(':'); Ws();
            switch (key)
            {
                case "descr" when descr is null:
                    if (Peek() is not ('\'' or '"')) throw Fail($"'descr' must be a string (structured dtypes are not supported)");
                    descr = Str(); break;
                case "fortran_order" when fortran is null: fortran = Bool(); break;
                case "shape" when dims is null: dims = Tuple(); break;
                case "descr" or "fortran_order" or "shape": throw Fail($"the key '{key}' appears twice");
                default: throw Fail($"unexpected key '{key}' (a header has exactly 'descr', 'fortran_order' and 'shape')");
            }
            Ws();
            if (Peek() == ',') { _i++; Ws(); continue; }
            if (Peek() != '}') throw Fail("expected ',' or '}'");
        }
        Expect('}');
        while (_i < _s.Length && _s[_i] is ' ' or '\n' or '\r' or '\t' or '\0') _i++;
        if (_i != _s.Length) throw Fail("unexpected text after the closing '}'");
        if (descr is null || fortran is null || dims is null)
            throw Npy.Bad(_where, $"its header lacks {(descr is null ? "'descr'" : fortran is null ? "'fortran_order'" : "'shape'")}: {header.Trim()}");
        return (descr, fortran.Value, dims);
    }

    private int[] Tuple()
    {
        Expect('(');
        Ws();
        var dims = new List<int>();
        if (Peek() == ')') { _i++; return []; }
        bool comma = false;
        while (true)
        {
            dims.Add(Dim());
            Ws();
            comma = false;
            if (Peek() == ',') { _i++; comma = true; Ws(); }
            if (Peek() == ')') { _i++; break; }
            if (!comma) throw Fail("expected ',' or ')' in 'shape'");
        }
        // (5) is the int 5, not a tuple: Python needs the comma for one element.
        if (dims.Count == 1 && !comma) throw Fail("'shape' must be a tuple: write (5,), not (5)");
        return dims.ToArray();
    }

    private int Dim()
    {
        int start = _i;
        while (_i < _s.Length && char.IsAsciiDigit(_s[_i])) _i++;
        if (_i == start) throw Fail("'shape' must hold non-negative integers");
        var digits = _s[start.._i];
        if (_i < _s.Length && _s[_i] == 'L') _i++; // Python 2 long suffix, as old numpy wrote it
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long d) || d > int.MaxValue)
            throw Npy.Bad(_where, $"its shape has the dimension {digits.ToString()}, larger than a tensor dimension can be ({int.MaxValue})");
        return (int)d;
    }

    private bool Bool()
    {
        if (_s[_i..].StartsWith("True")) { _i += 4; return true; }
        if (_s[_i..].StartsWith("False")) { _i += 5; return false; }
        throw Fail("'fortran_order' must be True or False");
    }

    private string Str()
    {
        char q = Peek();
        if (q is not ('\'' or '"')) throw Fail("expected a quoted key or string");
        int start = ++_i;
        while (_i < _s.Length && _s[_i] != q)
        {
            if (_s[_i] is '\\' or '\n') throw Fail("escapes and newlines are not allowed in header strings");
            _i++;
        }
        if (_i >= _s.Length) throw Fail("unterminated string");
        return _s[start.._i++].ToString();
    }

    private char Peek() => _i < _s.Length ? _s[_i] : '\0';

    private void Ws() { while (_i < _s.Length && _s[_i] is ' ' or '\t') _i++; }

    private void Expect(char c)
    {
        if (Peek() != c) throw Fail($"expected '{c}'");
        _i++;
    }

    private KerasValueException Fail(string why)
    {
        var text = _s.ToString().TrimEnd();
        if (text.Length > 200) text = text[..200] + "...";
        return Npy.Bad(_where, $"its header is not a valid numpy header ({why} at character {_i}): {text}");
    }
}
