namespace KerasBackend;

/// <summary>
/// An einsum subscripts string resolved against the operands' ranks (numpy.einsum's rules): every letter and every
/// dimension an ellipsis stands for becomes a label; ellipsis dimensions align from the right across operands; the
/// output is explicit (after "->") or implicit (the ellipsis dimensions, then the letters used once, in alphabetical
/// (ASCII) order). Labels are letters' char codes; ellipsis dimension p (counted from the left of the widest ellipsis)
/// is <see cref="EllipsisBase"/> + p.
/// </summary>
internal sealed class EinsumSpec
{
    public const int EllipsisBase = 1000;

    /// <summary>The labels of each operand's axes.</summary>
    public int[][] Inputs { get; }

    /// <summary>The labels of the output's axes.</summary>
    public int[] Output { get; }

    /// <summary>The number of dimensions the widest ellipsis stands for.</summary>
    public int EllipsisRank { get; }

    private EinsumSpec(int[][] inputs, int[] output, int ellipsisRank) => (Inputs, Output, EllipsisRank) = (inputs, output, ellipsisRank);

    /// <summary>Parses <paramref name="subscripts"/> for operands of the given ranks, or returns null with the reason in <paramref name="error"/>.</summary>
    public static EinsumSpec? TryParse(string subscripts, IReadOnlyList<int> ranks, out string error)
    {
        error = "";
        var text = subscripts.Replace(" ", "");
        int arrow = text.IndexOf("->", StringComparison.Ordinal);
        var lhs = arrow < 0 ? text : text[..arrow];
        var rhs = arrow < 0 ? null : text[(arrow + 2)..];
        if (rhs is not null && rhs.Contains("->")) { error = "more than one '->'"; return null; }
        var terms = lhs.Split(',');
        if (terms.Length != ranks.Count) { error = $"{terms.Length} operand subscripts for {ranks.Count} operands"; return null; }
        var letters = new List<int[]>();
        var ell = new int[terms.Length];
        int widest = 0;
        for (int i = 0; i < terms.Length; i++)
        {
            if (!TryLetters(terms[i], out var ls, out bool hasEllipsis, out error)) return null;
            int extra = ranks[i] - ls.Count(l => l >= 0);
            if (!hasEllipsis && extra != 0 || extra < 0)
            {
                error = $"operand {i} has rank {ranks[i]} but its subscripts '{terms[i]}' name {ls.Count(l => l >= 0)} axes";
                return null;
            }
            ell[i] = hasEllipsis ? extra : 0;
            widest = Math.Max(widest, ell[i]);
            letters.Add(ls);
        }
        var inputs = new int[terms.Length][];
        for (int i = 0; i < terms.Length; i++)
        {
            var axes = new List<int>();
            foreach (var l in letters[i])
            {
                if (l >= 0) axes.Add(l);
                else for (int p = 0; p < ell[i]; p++) axes.Add(EllipsisBase + widest - ell[i] + p);
            }
            inputs[i] = [.. axes];
        }
        int[] output;
        if (rhs is null)
        {
            var counts = new Dictionary<int, int>();
            foreach (var ls in letters) foreach (var l in ls) if (l >= 0) counts[l] = counts.GetValueOrDefault(l) + 1;
            output = [.. Enumerable.Range(EllipsisBase, widest), .. counts.Where(c => c.Value == 1).Select(c => c.Key).Order()];
        }
        else
        {
            if (!TryLetters(rhs, out var ls, out _, out error)) return null;
            var seen = new HashSet<int>();
            var all = inputs.SelectMany(a => a).ToHashSet();
            var outAxes = new List<int>();
            foreach (var l in ls)
            {
                if (l < 0) { outAxes.AddRange(Enumerable.Range(EllipsisBase, widest)); continue; }
                if (!seen.Add(l)) { error = $"output subscript '{(char)l}' appears more than once"; return null; }
                if (!all.Contains(l)) { error = $"output subscript '{(char)l}' does not appear in the operands"; return null; }
                outAxes.Add(l);
            }
            if (widest > 0 && !ls.Contains(-1))
            {
                // numpy: the dimensions an ellipsis stands for must appear in an explicit output.
                error = "the output has no '...' for the dimensions the operands' ellipses stand for";
                return null;
            }
            output = [.. outAxes];
        }
        return new EinsumSpec(inputs, output, widest);
    }

    /// <summary>Letters as char codes, -1 for an ellipsis (at most one).</summary>
    private static bool TryLetters(string term, out int[] labels, out bool hasEllipsis, out string error)
    {
        var ls = new List<int>();
        hasEllipsis = false;
        error = "";
        for (int i = 0; i < term.Length; i++)
        {
            char c = term[i];
            if (c == '.')
            {
                if (hasEllipsis || i + 2 >= term.Length || term[i + 1] != '.' || term[i + 2] != '.')
                {
                    error = $"invalid ellipsis in '{term}'";
                    labels = [];
                    return false;
                }
                hasEllipsis = true;
                ls.Add(-1);
                i += 2;
                continue;
            }
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z'))
            {
                error = $"invalid subscript '{c}' in '{term}' (letters a-z and A-Z only)";
                labels = [];
                return false;
            }
            ls.Add(c);
        }
        labels = [.. ls];
        return true;
    }

    /// <summary>
    /// The size of every label: dimensions of one label agree or are 1 (numpy broadcasts those); unknown (-1) dimensions
    /// defer to known ones. Returns false, naming the label, when two known sizes above 1 differ.
    /// </summary>
    public bool TrySizes(IReadOnlyList<Shape> shapes, out Dictionary<int, int> sizes, out string error)
    {
        sizes = [];
        error = "";
        for (int i = 0; i < Inputs.Length; i++)
            for (int a = 0; a < Inputs[i].Length; a++)
            {
                int l = Inputs[i][a], d = shapes[i][a];
                if (!sizes.TryGetValue(l, out int have)) { sizes[l] = d; continue; }
                if (have == d || d == 1) continue;
                if (have == 1 || have < 0 && d >= 0) { sizes[l] = d; continue; }
                if (d < 0) continue;
                error = $"subscript {Name(l)} has size {have} and {d}";
                return false;
            }
        return true;
    }

    /// <summary>A label as a message shows it.</summary>
    public static string Name(int label) => label >= EllipsisBase ? $"... dimension {label - EllipsisBase}" : $"'{(char)label}'";

    /// <summary>Every label, output labels first, then the summed ones in order of appearance.</summary>
    public int[] AllLabels() => [.. Output, .. Inputs.SelectMany(a => a).Distinct().Where(l => !Output.Contains(l))];

    /// <summary>
    /// A subscripts string for the given label lists, spelling each label with a letter: letters as themselves,
    /// other labels (ellipsis dimensions, fresh labels) with letters no list uses.
    /// </summary>
    public static string Format(IReadOnlyList<int[]> inputs, int[] output)
    {
        var used = inputs.SelectMany(a => a).Concat(output).Where(l => l < EllipsisBase).ToHashSet();
        var free = new Queue<char>(Enumerable.Range('a', 26).Concat(Enumerable.Range('A', 26)).Select(c => (char)c).Where(c => !used.Contains(c)));
        var spell = new Dictionary<int, char>();
        char Letter(int l)
        {
            if (l < EllipsisBase) return (char)l;
            if (!spell.TryGetValue(l, out var c))
            {
                if (free.Count == 0) throw new KerasValueException("einsum", "subscripts", "einsum: more than 52 distinct subscripts are needed.");
                spell[l] = c = free.Dequeue();
            }
            return c;
        }
        return string.Join(",", inputs.Select(a => new string(a.Select(Letter).ToArray()))) + "->" + new string(output.Select(Letter).ToArray());
    }
}
