using System.Collections;

namespace KerasBackend;

// Checks of split, broadcast_to, pad and slice_update (Spec/ops/indexing.json), and the argument forms they read.
public static partial class Checks
{
    private static object? Plain(object? v) => v is System.Text.Json.JsonElement ? ArgConvert.Value(v, "args", "value") : v;

    private static int? AsInt(object? v) => Plain(v) switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        double d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        Tensor t when t.Rank == 0 && !t.IsSymbolic && !t.DType.IsFloat() => (int)t.GetLong(0),
        _ => null,
    };

    private static List<object?>? AsList(object? v) => Plain(v) switch
    {
        string => null,
        Tensor => null,
        IEnumerable e => e.Cast<object?>().ToList(),
        System.Runtime.CompilerServices.ITuple t => Enumerable.Range(0, t.Length).Select(i => t[i]).ToList(),
        _ => null,
    };

    /// <summary>split: the number of sections when indices_or_sections is one integer, else null.</summary>
    internal static int? SplitSectionsCount(object indicesOrSections) => AsInt(indicesOrSections);

    /// <summary>split: the cut indices when indices_or_sections is a list of integers, else null.</summary>
    internal static int[]? SplitIndices(object indicesOrSections)
    {
        var list = AsList(indicesOrSections);
        if (list is null) return null;
        var r = new int[list.Count];
        for (int i = 0; i < r.Length; i++)
        {
            if (AsInt(list[i]) is not int k) return null;
            r[i] = k;
        }
        return r;
    }

    /// <summary>split: an integer N > 0 that divides the (known) axis, or a list of integer indices.</summary>
    public static bool SplitSectionsValid(Tensor x, object indicesOrSections, int axis)
    {
        if (SplitSectionsCount(indicesOrSections) is int n)
        {
            if (n <= 0) return false;
            int a = axis < 0 ? axis + x.Rank : axis;
            if (a < 0 || a >= x.Rank) return true;   // axis_valid reports it
            int dim = x.Shape[a];
            return dim >= 0 && dim % n == 0;
        }
        return SplitIndices(indicesOrSections) is not null;
    }

    /// <summary>broadcast_to: numpy's rule: shape has at least x's rank, and each of x's trailing dimensions is 1 or equal.</summary>
    public static bool BroadcastableTo(Tensor x, int[] shape)
    {
        if (shape.Length < x.Rank || shape.Any(d => d < 0)) return false;
        for (int i = 1; i <= x.Rank; i++)
        {
            int a = x.Shape[^i], b = shape[^i];
            if (a >= 0 && a != 1 && a != b) return false;
        }
        return true;
    }

    /// <summary>pad: pad_width as (before, after) per axis: an int (every side), [p] or [before, after] (every axis), or one
    /// [before, after] (or [p]) per axis (numpy's forms); null when the form is not one of these.</summary>
    internal static (int Before, int After)[]? PadPairs(Tensor x, object padWidth)
    {
        static (int, int)? Pair(object? v)
        {
            if (AsInt(v) is int p) return (p, p);
            var l = AsList(v);
            if (l is null || l.Count is < 1 or > 2) return null;
            if (AsInt(l[0]) is not int b) return null;
            if (l.Count == 1) return (b, b);
            return AsInt(l[1]) is int a ? (b, a) : null;
        }
        if (Pair(padWidth) is (int, int) all) return Enumerable.Repeat(all, x.Rank).ToArray();
        var list = AsList(padWidth);
        if (list is null) return null;
        var pairs = list.Select(Pair).ToList();
        if (pairs.Any(p => p is null)) return null;
        if (pairs.Count == 1) return Enumerable.Repeat(pairs[0]!.Value, x.Rank).ToArray();
        return pairs.Count == x.Rank ? pairs.Select(p => p!.Value).ToArray() : null;
    }

    /// <summary>pad: pad_width is one of numpy's forms and every pad is non-negative.</summary>
    public static bool PadWidthValid(Tensor x, object padWidth) => PadPairs(x, padWidth) is { } p && p.All(q => q.Before >= 0 && q.After >= 0);

    /// <summary>pad: a mode this library implements (numpy's constant, reflect, symmetric).</summary>
    public static bool PadModeValid(string mode) => mode is "constant" or "reflect" or "symmetric";

    /// <summary>pad: constant_values only with mode "constant" (Keras 3 ops.pad).</summary>
    public static bool PadConstantOnly(string mode, double? constantValues) => constantValues is null || mode == "constant";

    /// <summary>pad: reflect needs pads below the (known) axis length, symmetric at most the length (one reflection).</summary>
    public static bool PadFits(Tensor x, object padWidth, string mode)
    {
        if (mode == "constant" || PadPairs(x, padWidth) is not { } pairs) return true;
        for (int a = 0; a < x.Rank; a++)
        {
            int n = x.Shape[a], most = Math.Max(pairs[a].Before, pairs[a].After);
            if (n < 0 || most == 0) continue;
            if (mode == "reflect" ? most > n - 1 : most > n) return false;
        }
        return true;
    }

    /// <summary>slice_update: one start index per axis of inputs, updates of inputs' rank with known dimensions.</summary>
    public static bool SliceUpdateRanks(Tensor inputs, int[] startIndices, Tensor updates) =>
        startIndices.Length == inputs.Rank && updates.Rank == inputs.Rank && updates.Shape.IsFullyDefined;

    /// <summary>slice_update: 0 ≤ start and start + updates.shape ≤ inputs.shape on every (known) axis.</summary>
    public static bool SliceUpdateInBounds(Tensor inputs, int[] startIndices, Tensor updates)
    {
        if (!SliceUpdateRanks(inputs, startIndices, updates)) return true;
        for (int i = 0; i < inputs.Rank; i++)
        {
            if (startIndices[i] < 0) return false;
            if (inputs.Shape[i] >= 0 && (long)startIndices[i] + updates.Shape[i] > inputs.Shape[i]) return false;
        }
        return true;
    }
}

public static partial class Checks
{
    /// <summary>while_loop: at least one loop variable.</summary>
    public static bool NonemptyList(IReadOnlyList<Tensor> tensors) => tensors.Count > 0;

    /// <summary>while_loop: maximum_iterations is null or ≥ 0.</summary>
    public static bool NonNegativeOrNull(int? n) => n is null or >= 0;

    /// <summary>scan: xs or length given; xs of rank ≥ 1 with a known first axis; length equal to it when both are given; at least one step.</summary>
    public static bool ScanLength(Tensor? xs, int? length)
    {
        if (xs is null) return length is > 0;
        if (xs.Rank == 0 || xs.Shape[0] < 0) return false;
        return (length ?? xs.Shape[0]) == xs.Shape[0] && xs.Shape[0] > 0;
    }
}
