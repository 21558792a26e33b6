namespace KerasBackend;

/// <summary>
/// numpy basic indexing, in the encoding of <c>tf.strided_slice</c>: one (begin, end, stride) per index item and five
/// bit masks over the items. <see cref="Resolve"/> turns it into one <see cref="Axis"/> per axis of x (where the axis
/// starts, its step and how many elements it keeps) and the result's shape (with new axes). Shape rules, checks,
/// both backends' kernels and the gradients share it, so every one reads an index the same way.
/// </summary>
internal static class StridedSlicing
{
    /// <summary>What one axis of x contributes: its first element, the step, the count kept (-1: unknown), and whether
    /// an integer index removed it from the result.</summary>
    internal readonly record struct Axis(int Start, int Step, int Count, bool Shrink);

    /// <summary>The resolved index: per axis of x, and the result's shape.</summary>
    internal sealed record Plan(Axis[] Axes, Shape Result);

    private static bool Bit(int mask, int i) => i < 32 && (mask >> i & 1) != 0;

    /// <summary>
    /// numpy basic indexing over a shape: the ellipsis (explicit, or implied at the end) spans the axes the other
    /// items leave; an integer index (shrink) counts from the end when negative; a slice clamps as Python's
    /// <c>slice.indices(n)</c> does. An unknown dimension gives an unknown count (and start, marked -1).
    /// Call only when the index passed strided_slice's checks.
    /// </summary>
    public static Plan Resolve(Shape shape, int[] begin, int[] end, int[] strides, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask)
    {
        int items = begin.Length, rank = shape.Rank;
        int consuming = 0;
        bool hasEllipsis = false;
        for (int i = 0; i < items; i++)
        {
            if (Bit(ellipsisMask, i)) hasEllipsis = true;
            else if (!Bit(newAxisMask, i)) consuming++;
        }
        int spanned = rank - consuming;   // axes the ellipsis covers
        var axes = new Axis[rank];
        var result = new List<int>(rank + items);
        int axis = 0;
        void Whole(int a)
        {
            axes[a] = new Axis(0, 1, shape[a], false);
            result.Add(shape[a]);
        }
        for (int i = 0; i < items; i++)
        {
            if (Bit(ellipsisMask, i))
            {
                for (int k = 0; k < spanned; k++) Whole(axis++);
                continue;
            }
            if (Bit(newAxisMask, i)) { result.Add(1); continue; }
            int n = shape[axis];
            if (Bit(shrinkAxisMask, i))
            {
                int at = begin[i] < 0 && n >= 0 ? begin[i] + n : begin[i];
                axes[axis++] = new Axis(begin[i] < 0 && n < 0 ? -1 : at, 1, 1, true);
                continue;
            }
            var a = SliceAxis(n, Bit(beginMask, i) ? null : begin[i], Bit(endMask, i) ? null : end[i], strides[i]);
            axes[axis++] = a;
            result.Add(a.Count);
        }
        if (!hasEllipsis) while (axis < rank) Whole(axis++);
        return new Plan(axes, Shape.Wrap(result.ToArray()));
    }

    /// <summary>Python's <c>slice(start, stop, step).indices(n)</c> and the slice's length. An unknown n (-1) gives an
    /// unknown start and count: numpy clamps both ends to the axis, so no count is known before n is.</summary>
    internal static Axis SliceAxis(int n, int? start, int? stop, int step)
    {
        if (n < 0) return new Axis(-1, step, -1, false);
        long s, e;
        if (step > 0)
        {
            s = start is int a ? (a < 0 ? Math.Max(a + (long)n, 0) : Math.Min(a, n)) : 0;
            e = stop is int b ? (b < 0 ? Math.Max(b + (long)n, 0) : Math.Min(b, n)) : n;
        }
        else
        {
            s = start is int a ? (a < 0 ? Math.Max(a + (long)n, -1) : Math.Min(a, n - 1)) : n - 1;
            e = stop is int b ? (b < 0 ? Math.Max(b + (long)n, -1) : Math.Min(b, n - 1)) : -1;
        }
        long count = step > 0 ? (e > s ? (e - s + step - 1) / step : 0) : (s > e ? (s - e + (-(long)step) - 1) / -(long)step : 0);
        return new Axis((int)s, step, (int)count, false);
    }

    /// <summary>The first integer index outside [-n, n) of its (known) axis, as numpy words it; null when all fit.</summary>
    public static string? OutOfBounds(Shape shape, int[] begin, int[] end, int[] strides, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask)
    {
        var plan = Resolve(shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask);
        for (int a = 0; a < plan.Axes.Length; a++)
        {
            var ax = plan.Axes[a];
            int n = shape[a];
            if (ax.Shrink && n >= 0 && (ax.Start < 0 || ax.Start >= n))
                return $"index {Original(shape, a, ax.Start)} is out of bounds for axis {a} with size {n}";
        }
        return null;
    }

    private static int Original(Shape shape, int axis, int resolved) => resolved < 0 ? resolved - shape[axis] : resolved;

    /// <summary>For each element of the result, in row-major order, the flat index of the element of x it reads.
    /// x must be concrete (every count known).</summary>
    public static void ForEachSource(Shape shape, Plan plan, Action<int, int> visit)
    {
        var strides = shape.Strides();
        // Only the kept (non-shrunk) axes iterate; shrunk ones add a fixed offset.
        int baseOffset = 0;
        var kept = new List<int>();
        for (int a = 0; a < plan.Axes.Length; a++)
        {
            var ax = plan.Axes[a];
            if (plan.Axes[a].Count == 0) return;
            baseOffset += ax.Start * strides[a];
            if (!ax.Shrink) kept.Add(a);
        }
        int k = kept.Count;
        var idx = new int[k];
        long total = 1;
        foreach (var a in kept) total *= plan.Axes[a].Count;
        int src = baseOffset;
        for (int o = 0; o < total; o++)
        {
            visit(o, src);
            for (int d = k - 1; d >= 0; d--)
            {
                var ax = plan.Axes[kept[d]];
                int step = ax.Step * strides[kept[d]];
                if (++idx[d] < ax.Count) { src += step; break; }
                src -= step * (ax.Count - 1);
                idx[d] = 0;
            }
        }
    }

    /// <summary>An assigned value's shape without the leading 1s beyond the region's rank (numpy drops them before
    /// broadcasting the value into the region).</summary>
    public static Shape WithoutLeadingOnes(Shape value, int regionRank)
    {
        int lead = 0;
        while (value.Rank - lead > regionRank && value[lead] == 1) lead++;
        return lead == 0 ? value : Shape.Wrap(value.ToArray()[lead..]);
    }

    /// <summary>The index as ONNX Slice inputs (per sliced axis: start, end, axis, step; an omitted end is the int64
    /// extreme in the step's direction, which Slice clamps as numpy does), the axes Squeeze removes (integer indices) and
    /// the result positions Unsqueeze inserts (new axes).</summary>
    public static (long[] Starts, long[] Ends, long[] Axes, long[] Steps, long[] Squeeze, long[] NewAxes) OnnxSlices(int rank, int[] begin, int[] end, int[] strides,
        int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask)
    {
        var starts = new List<long>(); var ends = new List<long>(); var axes = new List<long>(); var steps = new List<long>();
        var squeeze = new List<long>(); var newAxes = new List<long>();
        int consuming = 0;
        for (int i = 0; i < begin.Length; i++) if (!Bit(ellipsisMask, i) && !Bit(newAxisMask, i)) consuming++;
        int axis = 0, outPos = 0;
        for (int i = 0; i < begin.Length; i++)
        {
            if (Bit(ellipsisMask, i)) { axis += rank - consuming; outPos += rank - consuming; continue; }
            if (Bit(newAxisMask, i)) { newAxes.Add(outPos++); continue; }
            if (Bit(shrinkAxisMask, i))
            {
                starts.Add(begin[i]); ends.Add(begin[i] == -1 ? long.MaxValue : begin[i] + 1L); axes.Add(axis); steps.Add(1);
                squeeze.Add(axis++);
                continue;
            }
            int s = strides[i];
            starts.Add(Bit(beginMask, i) ? (s > 0 ? 0 : long.MaxValue) : begin[i]);
            ends.Add(Bit(endMask, i) ? (s > 0 ? long.MaxValue : long.MinValue) : end[i]);
            axes.Add(axis++); steps.Add(s);
            outPos++;
        }
        return (starts.ToArray(), ends.ToArray(), axes.ToArray(), steps.ToArray(), squeeze.ToArray(), newAxes.ToArray());
    }
}
