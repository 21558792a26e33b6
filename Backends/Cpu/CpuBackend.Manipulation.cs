namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void Transpose(Tensor x, Tensor output)
    {
        Span<int> reversed = stackalloc int[Math.Max(x.Rank, 1)];
        for (int i = 0; i < x.Rank; i++) reversed[i] = x.Rank - 1 - i;
        Layout.Permute(x, reversed[..x.Rank], output);
    }

    /// <summary>Copies each input's (outer, len·inner) block into its slot of every output row: contiguous memcpy runs.</summary>
    public void Concatenate(IReadOnlyList<Tensor> tensors, int axis, Tensor output)
    {
        var (outer, total, inner) = Indexing.AroundAxis(output.Shape, axis);
        int size = output.DType.ItemSize();
        var dst = output.Bytes();
        int offset = 0;
        foreach (var t in tensors)
        {
            var tc = As(t, output.DType);
            int run = t.Shape[axis] * inner * size;
            var src = tc.Bytes();
            for (int o = 0; o < outer; o++)
                src.Slice(o * run, run).CopyTo(dst.Slice((o * total * inner + offset * inner) * size, run));
            offset += t.Shape[axis];
            Release(tc, t);
        }
    }
}

public sealed partial class CpuBackend
{
    /// <summary>reshape: the row-major buffer is unchanged, so one block copy.</summary>
    public void Reshape(Tensor x, Tensor output) => x.Bytes().CopyTo(output.Bytes());

    /// <summary>expand_dims: same buffer, one block copy.</summary>
    public void ExpandDims(Tensor x, int axis, Tensor output) => x.Bytes().CopyTo(output.Bytes());

    /// <summary>squeeze: same buffer, one block copy.</summary>
    public void Squeeze(Tensor x, int axis, Tensor output) => x.Bytes().CopyTo(output.Bytes());

    /// <summary>permute_dimensions: out[i0..in] = x[i_pattern^-1]; block copies of the trailing axes that stay in place.</summary>
    public void PermuteDimensions(Tensor x, int[] pattern, Tensor output) => Layout.Permute(x, pattern, output);

    /// <summary>stack: out viewed as (outer, count, inner); tensor j fills slot j of every outer row with one memcpy per row.</summary>
    public void Stack(IReadOnlyList<Tensor> x, int axis, Tensor output)
    {
        int rank = x[0].Rank;
        int at = axis < 0 ? axis + rank + 1 : axis;
        int outer = x[0].Shape.Prod(0, at), inner = x[0].Shape.Prod(at, rank);
        int size = output.DType.ItemSize(), run = inner * size, count = x.Count;
        var dst = output.Bytes();
        for (int j = 0; j < count; j++)
        {
            var tc = As(x[j], output.DType);
            var src = tc.Bytes();
            if (outer == 1) src.CopyTo(dst.Slice(j * run, run));
            else for (int o = 0; o < outer; o++) src.Slice(o * run, run).CopyTo(dst.Slice((o * count + j) * run, run));
            Release(tc, x[j]);
        }
    }

    /// <summary>gather: out[i, ...] = reference[wrap(indices[i]), ...]; one row copy per index (see <see cref="Gathering"/>).</summary>
    public void Gather(Tensor reference, Tensor indices, Tensor output) => Gathering.Rows(reference, indices, output);

    /// <summary>reverse: out[i] = x[i with the axes flipped]; rows of the last axis are block copies, flipped in place when the last axis is reversed.</summary>
    public void Reverse(Tensor x, int[] axes, Tensor output)
    {
        if (output.Size == 0) return;
        if (x.Rank == 0) { x.Bytes().CopyTo(output.Bytes()); return; }
        int r = x.Rank, size = x.DType.ItemSize();
        int inner = x.Shape[r - 1], rowBytes = inner * size;
        bool flipLast = Array.IndexOf(axes, r - 1) >= 0;
        var flip = new bool[r];
        foreach (var a in axes) flip[a] = true;
        var strides = x.Shape.Strides();
        var src = x.Bytes();
        var dst = output.Bytes();
        var idx = new int[r];
        int rows = output.Size / inner;
        for (int row = 0; row < rows; row++)
        {
            int s = 0;
            for (int d = 0; d < r - 1; d++) s += (flip[d] ? x.Shape[d] - 1 - idx[d] : idx[d]) * strides[d];
            var to = dst.Slice(row * rowBytes, rowBytes);
            src.Slice(s * size, rowBytes).CopyTo(to);
            if (flipLast) ReverseItems(to, size);
            for (int d = r - 2; d >= 0; d--) { if (++idx[d] < x.Shape[d]) break; idx[d] = 0; }
        }
    }

    private static void ReverseItems(Span<byte> bytes, int size)
    {
        switch (size)
        {
            case 1: bytes.Reverse(); break;
            case 2: System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes).Reverse(); break;
            case 4: System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes).Reverse(); break;
            default: System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes).Reverse(); break;
        }
    }

    /// <summary>tile (numpy): out[i] = x[i mod x.shape] after padding x with leading 1s; each x row is copied n[-1] times, then whole tiled blocks are doubled.</summary>
    public void Tile(Tensor x, int[] n, Tensor output)
    {
        if (output.Size == 0) return;
        int r = output.Rank;
        if (r == 0) { x.Bytes().CopyTo(output.Bytes()); return; }
        var xd = Elementwise.Pad(x.Shape, r);
        int size = x.DType.ItemSize();
        int inner = xd[r - 1], reps = output.Shape[r - 1] / inner;
        int rowBytes = inner * size, outRowBytes = rowBytes * reps;
        var src = x.Bytes();
        var dst = output.Bytes();
        var xStrides = Shape.Wrap(xd).Strides();
        var idx = new int[r];
        int rows = output.Size / output.Shape[r - 1];
        // Rows of the output along the last axis: source row = x row at (idx mod x dims); the row repeats reps times.
        for (int row = 0; row < rows; row++)
        {
            int s = 0;
            for (int d = 0; d < r - 1; d++) s += (idx[d] % xd[d]) * xStrides[d];
            var to = dst.Slice(row * outRowBytes, outRowBytes);
            src.Slice(s * size, rowBytes).CopyTo(to);
            for (int done = rowBytes; done < outRowBytes; done *= 2)
                to.Slice(0, Math.Min(done, outRowBytes - done)).CopyTo(to.Slice(done));
            for (int d = r - 2; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>switch: out = condition ? then : else, per element, after broadcasting (condition padded on the right); rows of the last axis at a time.</summary>
    public void Switch(Tensor condition, Tensor thenExpression, Tensor elseExpression, Tensor output) =>
        Select(condition, condition.Shape, thenExpression, elseExpression, output);

    /// <summary>
    /// switch and where: the condition cast to bool under <paramref name="conditionShape"/> (its own shape, or numpy's
    /// left-padded one for where), both values in the output dtype, then <see cref="Select{T}"/>.
    /// </summary>
    private static void Select(Tensor condition, Shape conditionShape, Tensor whenTrue, Tensor whenFalse, Tensor output)
    {
        using var c = Tensor.Uninitialized(DType.Bool, conditionShape);
        Casting.Cast(condition, c);
        var t = As(whenTrue, output.DType);
        var e = As(whenFalse, output.DType);
        Dispatch.OnAny(output.DType, new SelectKernel(c, t, e, output));
        Release(t, whenTrue);
        Release(e, whenFalse);
    }

    private readonly struct SelectKernel(Tensor c, Tensor t, Tensor e, Tensor output) : IElementKernel
    {
        public void Run<T>() where T : unmanaged => Select<T>(c, t, e, output);
    }

    private static void Select<T>(Tensor c, Tensor t, Tensor e, Tensor output) where T : unmanaged
    {
        int n = output.Size;
        if (n == 0) return;
        var os = output.Shape;
        int r = Math.Max(os.Rank, 1);
        var cd = Elementwise.Pad(ShapeRules.PadRight(c.Shape, os.Rank), r);
        var td = Elementwise.Pad(t.Shape, r);
        var ed = Elementwise.Pad(e.Shape, r);
        int inner = os.Rank == 0 ? 1 : os[r - 1];
        var cst = Elementwise.StridesOf(cd);
        var tst = Elementwise.StridesOf(td);
        var est = Elementwise.StridesOf(ed);
        int cs = cd[r - 1] == 1 ? 0 : 1, ts = td[r - 1] == 1 ? 0 : 1, es = ed[r - 1] == 1 ? 0 : 1;
        ReadOnlySpan<bool> cv = c.ReadOnlySpan<bool>();
        ReadOnlySpan<T> tv = t.ReadOnlySpan<T>(), ev = e.ReadOnlySpan<T>();
        Span<T> ov = output.Span<T>();
        var idx = new int[r];
        int rows = n / inner;
        for (int row = 0; row < rows; row++)
        {
            int co = 0, to = 0, eo = 0;
            for (int d = 0; d < r - 1; d++) { co += idx[d] * cst[d]; to += idx[d] * tst[d]; eo += idx[d] * est[d]; }
            var dst = ov.Slice(row * inner, inner);
            if (cs == 0) { if (cv[co]) Fill(tv, to, ts, dst); else Fill(ev, eo, es, dst); }
            else for (int i = 0; i < inner; i++) dst[i] = cv[co + i] ? tv[to + i * ts] : ev[eo + i * es];
            for (int d = r - 2; d >= 0; d--) { if (++idx[d] < os[d]) break; idx[d] = 0; }
        }
    }

    private static void Fill<T>(ReadOnlySpan<T> src, int offset, int step, Span<T> dst) where T : unmanaged
    {
        if (step == 0) dst.Fill(src[offset]);
        else src.Slice(offset, dst.Length).CopyTo(dst);
    }
}
