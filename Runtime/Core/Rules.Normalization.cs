namespace KerasBackend;

// Checks of the normalization ops (Spec/ops/normalization.json).
public static partial class Checks
{
    /// <summary>batch_normalization: each parameter is rank 1 with x.shape[axis] entries (or 1), or broadcasts to x.</summary>
    public static bool BatchNormParams(Tensor x, Tensor mean, Tensor var, Tensor? beta, Tensor? gamma, int axis)
    {
        if (!AxisValid(x, axis)) return true;
        int a = Normalize.Axis(axis, x.Rank);
        foreach (var p in new[] { mean, var, beta, gamma })
        {
            if (p is null) continue;
            if (p.Rank == 1 && x.Rank > 1)
            {
                int n = p.Shape[0], d = x.Shape[a];
                if (n != d && n != 1 && n >= 0 && d >= 0) return false;
            }
            else if (p.Rank > x.Rank || !BroadcastsTo(p, x)) return false;
        }
        return true;
    }

    /// <summary>normalize_batch_in_training: gamma and beta broadcast to x, or hold one value per position of the kept axes.</summary>
    public static bool NormalizeParams(Tensor x, Tensor? gamma, Tensor? beta, int[]? reductionAxes)
    {
        if (!AxesValid(x, reductionAxes)) return true;
        var axes = Normalize.Axes(reductionAxes, x.Rank);
        var kept = Enumerable.Range(0, x.Rank).Where(d => !axes.Contains(d)).Select(d => x.Shape[d]).ToArray();
        foreach (var p in new[] { gamma, beta })
        {
            if (p is null) continue;
            if (p.Rank == x.Rank) { if (!BroadcastsTo(p, x)) return false; continue; }
            if (!p.Shape.IsFullyDefined || kept.Any(d => d < 0)) continue;
            if (p.Size != kept.Aggregate(1, (m, d) => m * d)) return false;
        }
        return true;
    }
}
