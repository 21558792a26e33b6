namespace KerasBackend.Composites;

/// <summary>Composite contractions: built from einsum, so they share its GEMM path and its gradient.</summary>
internal static class ContractionOps
{
    /// <summary>tensordot as one einsum: x1's free axes, then x2's; contracted pairs share a letter.</summary>
    public static Tensor Tensordot(Tensor x1, Tensor x2, int[]? axes)
    {
        var (a, b) = Checks.TensordotPairs(x1.Rank, x2.Rank, axes)!.Value;
        var left = Enumerable.Range(0, x1.Rank).Select(i => 'a' + i).ToArray();
        var right = Enumerable.Range(0, x2.Rank).Select(i => 'A' + i).ToArray();
        for (int i = 0; i < a.Length; i++) right[b[i]] = left[a[i]];
        var output = left.Where((_, i) => !a.Contains(i)).Concat(right.Where((_, i) => !b.Contains(i)));
        string Spell(IEnumerable<int> labels) => new(labels.Select(l => (char)l).ToArray());
        var r = K.Einsum($"{Spell(left)},{Spell(right)}->{Spell(output)}", [x1, x2]);
        // numpy.tensordot keeps result_type(x1, x2): int8 operands stay int8 (einsum widens them to int32), wrapping as astype does.
        return x1.DType == DType.Int8 && x2.DType == DType.Int8 ? K.Cast(r, DType.Int8) : r;
    }
}
