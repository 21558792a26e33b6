namespace KerasBackend.Onnx;

// ONNX lowering of einsum.
internal static partial class Lowerings
{
    /// <summary>
    /// einsum: the ONNX Einsum operator on the operands cast to the compute dtype, with the equation made explicit as numpy
    /// reads it, since ONNX Runtime's Einsum reads it otherwise: an implicit output is written out (the ellipsis axes, then
    /// the letters used once, in ASCII order), and the ellipsis becomes letters of its own, aligned on the right across
    /// the operands, each operand's size-1 ellipsis axes expanded to their broadcast extent (numpy broadcasts them; ONNX
    /// Runtime broadcasts neither ellipses of other ranks nor size-1 ellipsis axes).
    /// </summary>
    public static void Einsum(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var ins = Enumerable.Range(0, c.InputCount).Select(i => c.InAs(i, t)).ToArray();
        var equation = ExplicitEquation(c, c.Attr<string>(0).Replace(" ", ""), ins);
        c.Return(c.Node("Einsum", ins, ("equation", equation)), t);
    }

    /// <summary>The equation in explicit form without ellipsis; <paramref name="ins"/> gets the expanded operands.</summary>
    private static string ExplicitEquation(LoweringContext c, string equation, string[] ins)
    {
        int arrow = equation.IndexOf("->", StringComparison.Ordinal);
        var terms = (arrow < 0 ? equation : equation[..arrow]).Split(',');
        string? output = arrow < 0 ? null : equation[(arrow + 2)..];
        // Ellipsis axes per operand, and their broadcast extents aligned on the right (-1: unknown).
        var counts = terms.Select((term, i) => term.Contains("...", StringComparison.Ordinal) ? c.InRank(i) - (term.Length - 3) : 0).ToArray();
        int e = counts.Length == 0 ? 0 : counts.Max();
        var used = equation.Where(char.IsLetter).ToHashSet();
        var fresh = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".Where(ch => !used.Contains(ch)).Take(e).ToArray();
        if (fresh.Length < e) return equation;
        var extent = Enumerable.Repeat(1, e).ToArray();
        for (int i = 0; i < terms.Length; i++)
        {
            int start = terms[i].IndexOf("...", StringComparison.Ordinal);
            for (int k = 0; k < counts[i]; k++)
            {
                int d = c.InShape(i)[start + k], slot = e - counts[i] + k;
                if (d < 0 || extent[slot] < 0) extent[slot] = -1;
                else if (d != 1) extent[slot] = d;
            }
        }
        var letters = new string(fresh);
        var once = terms.SelectMany(term => term.Where(char.IsLetter)).GroupBy(ch => ch).Where(g => g.Count() == 1)
            .Select(g => g.Key).OrderBy(ch => ch).ToArray();
        for (int i = 0; i < terms.Length; i++)
        {
            if (counts[i] == 0 && !terms[i].Contains("...", StringComparison.Ordinal)) continue;
            int start = terms[i].IndexOf("...", StringComparison.Ordinal);
            var shape = c.InShape(i);
            var target = shape.Dims.ToArray();
            bool expand = false;
            for (int k = 0; k < counts[i]; k++)
            {
                int slot = e - counts[i] + k;
                if (target[start + k] == 1 && extent[slot] > 1) { target[start + k] = extent[slot]; expand = true; }
            }
            if (expand && target.All(d => d >= 0)) ins[i] = c.Node("Expand", [ins[i], c.Ints(Longs(target))]);
            terms[i] = terms[i].Replace("...", letters[(e - counts[i])..], StringComparison.Ordinal);
        }
        output = output is null ? letters + new string(once) : output.Replace("...", letters, StringComparison.Ordinal);
        return string.Join(",", terms) + "->" + output;
    }
}
