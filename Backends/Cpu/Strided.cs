using System.Runtime.InteropServices;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// The element walk of numpy basic indexing (StridedSlicing's plan) over raw buffers: the region is visited in
/// row-major order, and when the innermost axis of x is kept with step 1 each row of the region is one block copy.
/// Elements move as 1-, 2-, 4- or 8-byte words, so one walk serves every dtype.
/// </summary>
internal static class Strided
{
    /// <summary>dst[k] = src[region element k] (dst is the region, row-major).</summary>
    public static void Gather(Tensor x, StridedSlicing.Plan plan, Tensor output) => Walk(x, plan, output, gather: true);

    /// <summary>target[region element k] = values[k] (values is the region, row-major, in target's dtype).</summary>
    public static void Scatter(Tensor values, StridedSlicing.Plan plan, Tensor target) => Walk(target, plan, values, gather: false);

    // Elements move as words of the dtype's size.
    private static void Walk(Tensor full, StridedSlicing.Plan plan, Tensor region, bool gather)
    {
        switch (full.DType.ItemSize())
        {
            case 1: Walk<byte>(full, plan, region, gather); break;
            case 2: Walk<short>(full, plan, region, gather); break;
            case 4: Walk<int>(full, plan, region, gather); break;
            default: Walk<long>(full, plan, region, gather); break;
        }
    }

    private static Span<T> Words<T>(Tensor t) where T : unmanaged => MemoryMarshal.Cast<byte, T>(t.Bytes());

    private static void Walk<T>(Tensor full, StridedSlicing.Plan plan, Tensor region, bool gather) where T : unmanaged
    {
        var f = Words<T>(full);
        var r = Words<T>(region);
        if (r.Length == 0) return;
        var strides = full.Shape.Strides();
        var axes = plan.Axes;
        int baseOffset = 0;
        var kept = new List<int>(axes.Length);
        for (int a = 0; a < axes.Length; a++)
        {
            baseOffset += axes[a].Start * strides[a];
            if (!axes[a].Shrink) kept.Add(a);
        }
        // The innermost kept axis walks as a run: contiguous when it is x's last axis with step 1.
        int k = kept.Count;
        int runLen = k == 0 ? 1 : axes[kept[k - 1]].Count;
        int runStep = k == 0 ? 0 : axes[kept[k - 1]].Step * strides[kept[k - 1]];
        int outer = k == 0 ? 1 : r.Length / runLen;
        var idx = new int[Math.Max(k - 1, 0)];
        int at = baseOffset;
        for (int o = 0; o < outer; o++)
        {
            var rowR = r.Slice(o * runLen, runLen);
            if (runStep == 1)
            {
                var rowF = f.Slice(at, runLen);
                if (gather) rowF.CopyTo(rowR); else rowR.CopyTo(rowF);
            }
            else if (gather) for (int j = 0, s = at; j < runLen; j++, s += runStep) rowR[j] = f[s];
            else for (int j = 0, s = at; j < runLen; j++, s += runStep) f[s] = rowR[j];
            for (int d = k - 2; d >= 0; d--)
            {
                var ax = axes[kept[d]];
                int step = ax.Step * strides[kept[d]];
                if (++idx[d] < ax.Count) { at += step; break; }
                at -= step * (ax.Count - 1);
                idx[d] = 0;
            }
        }
    }
}
