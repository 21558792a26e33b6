namespace KerasBackend;

/// <summary>
/// One item of a numpy basic index in C#: an integer (<c>1</c>, <c>^1</c>), a range (<c>1..3</c>, <c>..</c>,
/// <c>^2..</c>), a slice with a step (<see cref="Step(int)"/>, <see cref="Step(int?, int?, int)"/>,
/// <c>(1..).Step(2)</c>), <see cref="NewAxis"/> or <see cref="Ellipsis"/>. The tensor indexer
/// <c>x[...]</c> and the update form <c>x.At[...].Set(v)</c> take a list of them; both are built on the ops
/// <c>strided_slice</c> and <c>strided_slice_update</c>, so they record into graphs and differentiate.
/// </summary>
/// <remarks>
/// Ranges follow numpy's slices: <c>x[1..3]</c> is <c>x[1:3]</c>, <c>x[^2..]</c> is <c>x[-2:]</c>, <c>x[..^1]</c> is
/// <c>x[:-1]</c>. A step needs a slice written with <see cref="Step(int?, int?, int)"/> (numpy's <c>start:stop:step</c>,
/// null for an omitted end, negative values counting from the end) or the extension <c>range.Step(k)</c>; with a
/// negative step prefer <c>TensorIndex.Step(-1)</c> (= <c>::-1</c>) or <c>Step(start, null, -1)</c>, since a C# range
/// cannot leave its ends out (<c>..</c> is <c>0..^0</c>, which with step -1 is numpy's empty <c>0:n:-1</c>).
/// With <c>using static KerasBackend.TensorIndex;</c> the markers read as in numpy: <c>x[Ellipsis, NewAxis, Step(-1)]</c>.
/// </remarks>
public readonly struct TensorIndex
{
    internal enum Kinds : byte { Integer, Slice, NewAxis, Ellipsis }

    internal Kinds Kind { get; }
    /// <summary>Integer: the index (negative from the end); slice: the start (null: omitted).</summary>
    internal int? Start { get; }
    internal int? Stop { get; }
    internal int StepValue { get; }

    private TensorIndex(Kinds kind, int? start, int? stop, int step)
    {
        Kind = kind;
        Start = start;
        Stop = stop;
        StepValue = step;
    }

    /// <summary>numpy's <c>None</c> / <c>np.newaxis</c>: inserts an axis of length 1.</summary>
    public static TensorIndex NewAxis { get; } = new(Kinds.NewAxis, null, null, 1);

    /// <summary>numpy's <c>...</c>: every axis the other items do not index (at most one per index).</summary>
    public static TensorIndex Ellipsis { get; } = new(Kinds.Ellipsis, null, null, 1);

    /// <summary>numpy's <c>start:stop:step</c>; null leaves an end out, negative values count from the end; step must not be 0.</summary>
    public static TensorIndex Step(int? start, int? stop, int step) => new(Kinds.Slice, start, stop, step);

    /// <summary>numpy's <c>::step</c>: the whole axis with a step (<c>Step(-1)</c> reverses it).</summary>
    public static TensorIndex Step(int step) => new(Kinds.Slice, null, null, step);

    /// <summary>An integer index: removes its axis; negative counts from the end.</summary>
    public static implicit operator TensorIndex(int index) => new(Kinds.Integer, index, null, 1);

    /// <summary>An index from <c>^k</c>: <c>^1</c> is the last element (numpy's -1).</summary>
    public static implicit operator TensorIndex(Index index) => new(Kinds.Integer, FromIndex(index), null, 1);

    /// <summary>A range <c>a..b</c>: numpy's <c>a:b</c> (ends from <c>^</c> count from the end).</summary>
    public static implicit operator TensorIndex(Range range) => new(Kinds.Slice, FromIndex(range.Start), FromIndex(range.End), 1);

    /// <summary>A range with a step: numpy's <c>a:b:step</c>.</summary>
    internal static TensorIndex FromRange(Range range, int step) => new(Kinds.Slice, FromIndex(range.Start), FromIndex(range.End), step);

    // ^k is numpy's -k; ^0 (one past the end) has no negative spelling, and int.MaxValue clamps to the same place
    // (Python's slice.indices clamps any end ≥ n to n); as an integer index it is out of bounds, as ^0 is.
    private static int FromIndex(Index i) => !i.IsFromEnd ? i.Value : i.Value == 0 ? int.MaxValue : -i.Value;

    /// <summary>numpy's spelling: <c>3</c>, <c>1:3</c>, <c>::-1</c>, <c>None</c>, <c>...</c>.</summary>
    public override string ToString() => Kind switch
    {
        Kinds.Integer => Start == int.MaxValue ? "^0" : Start!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kinds.NewAxis => "None",
        Kinds.Ellipsis => "...",
        _ => $"{End(Start)}:{End(Stop)}{(StepValue == 1 ? "" : ":" + StepValue.ToString(System.Globalization.CultureInfo.InvariantCulture))}",
    };

    private static string End(int? v) => v is null ? "" : v == int.MaxValue ? "^0" : v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The strided_slice arguments of an index (its items in order).</summary>
    internal static (int[] Begin, int[] End, int[] Strides, int BeginMask, int EndMask, int EllipsisMask, int NewAxisMask, int ShrinkAxisMask) Encode(
        Tensor x, TensorIndex[] items, string op)
    {
        if (items.Length > 32)
            throw new KerasIndexException(op, "index", $"{op}: an index has at most 32 items. Received: {items.Length} items");
        var begin = new int[items.Length];
        var end = new int[items.Length];
        var strides = new int[items.Length];
        int bm = 0, em = 0, el = 0, nm = 0, sm = 0;
        for (int i = 0; i < items.Length; i++)
        {
            var it = items[i];
            strides[i] = 1;
            switch (it.Kind)
            {
                case Kinds.Integer: begin[i] = it.Start!.Value; end[i] = begin[i] == int.MaxValue ? int.MaxValue : begin[i] + 1; sm |= 1 << i; break;
                case Kinds.NewAxis: nm |= 1 << i; break;
                case Kinds.Ellipsis:
                    if (el != 0) throw new KerasIndexException(op, "index", $"{op}: an index can only have a single ellipsis ('...'). Received: x[{Show(items)}]");
                    el |= 1 << i;
                    break;
                default:
                    if (it.StepValue == 0) throw new KerasValueException(op, "index", $"{op}: slice step cannot be zero. Received: x[{Show(items)}]");
                    strides[i] = it.StepValue;
                    if (it.Start is int s) begin[i] = s; else bm |= 1 << i;
                    if (it.Stop is int e) end[i] = e; else em |= 1 << i;
                    break;
            }
        }
        CheckBounds(x, items, op);
        return (begin, end, strides, bm, em, el, nm, sm);
    }

    // numpy's messages for the index's own mistakes, with the axis and its size (the op's checks say the same more generally).
    private static void CheckBounds(Tensor x, TensorIndex[] items, string op)
    {
        int consuming = items.Count(t => t.Kind is Kinds.Integer or Kinds.Slice);
        if (consuming > x.Rank)
            throw new KerasIndexException(op, "index",
                $"{op}: too many indices for tensor: tensor is {x.Rank}-dimensional, but {consuming} were indexed. Received: x[{Show(items)}], x.shape={x.Shape}");
        int axis = 0;
        foreach (var it in items)
        {
            switch (it.Kind)
            {
                case Kinds.Ellipsis: axis += x.Rank - consuming; continue;
                case Kinds.NewAxis: continue;
                case Kinds.Integer:
                    int n = x.Shape[axis];
                    int v = it.Start!.Value;
                    if (n >= 0 && (v == int.MaxValue || v < -n || v >= n))
                        throw new KerasIndexException(op, "index",
                            $"{op}: index {it} is out of bounds for axis {axis} with size {n}. Received: x[{Show(items)}], x.shape={x.Shape}");
                    break;
            }
            axis++;
        }
    }

    internal static string Show(TensorIndex[] items) => string.Join(", ", items.Select(t => t.ToString()));
}

/// <summary><c>(1..).Step(2)</c>: a range with a step, numpy's <c>1::2</c>.</summary>
public static class TensorIndexExtensions
{
    /// <summary>The range as numpy's <c>start:stop:step</c> (its ends as written; see <see cref="TensorIndex"/> for negative steps).</summary>
    public static TensorIndex Step(this Range range, int step) => TensorIndex.FromRange(range, step);
}

public partial class Tensor
{
    /// <summary>
    /// numpy basic indexing: <c>x[1]</c>, <c>x[^1]</c>, <c>x[1..3]</c>, <c>x[.., 0]</c>, <c>x[TensorIndex.Ellipsis, 0]</c>,
    /// <c>x[TensorIndex.NewAxis]</c>, <c>x[TensorIndex.Step(-1)]</c>: a new tensor (never a view), through
    /// <see cref="K.StridedSlice(Tensor, int[], int[], int[], int, int, int, int, int)"/>, so it records into graphs
    /// (unknown dimensions stay unknown) and differentiates.
    /// </summary>
    /// <exception cref="KerasIndexException">An integer outside [-n, n) of its axis (the message names the axis, the index and
    /// the size), more indexed axes than the tensor has, or two ellipses.</exception>
    /// <exception cref="KerasValueException">A zero step.</exception>
    [System.Runtime.CompilerServices.IndexerName("Elements")]   // "Item" is numpy's item() (TensorInterop)
    public Tensor this[params TensorIndex[] index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            var e = TensorIndex.Encode(this, index, "strided_slice");
            return K.StridedSlice(this, e.Begin, e.End, e.Strides, e.BeginMask, e.EndMask, e.EllipsisMask, e.NewAxisMask, e.ShrinkAxisMask);
        }
    }

    /// <summary>
    /// The functional update form, as JAX's <c>x.at[...]</c>: <c>var y = x.At[.., 0].Set(v);</c> is numpy's
    /// <c>y = x.copy(); y[:, 0] = v</c>. x is never modified; the result is a new tensor.
    /// </summary>
    public TensorAt At => new(this);
}

/// <summary>The indexer of <see cref="Tensor.At"/>: <c>x.At[index]</c> names the region that <c>Set</c> and <c>Add</c> replace.</summary>
public readonly struct TensorAt
{
    private readonly Tensor _x;

    internal TensorAt(Tensor x) => _x = x;

    /// <summary>The region <paramref name="index"/> selects (numpy basic indexing, as <c>x[index]</c>).</summary>
    public TensorRegion this[params TensorIndex[] index] => new(_x, index ?? throw new ArgumentNullException(nameof(index)));
}

/// <summary>A region of a tensor (<c>x.At[index]</c>): <see cref="Set(Tensor)"/> and <see cref="Add(Tensor)"/> give new tensors.</summary>
public readonly struct TensorRegion
{
    private readonly Tensor _x;
    private readonly TensorIndex[] _index;

    internal TensorRegion(Tensor x, TensorIndex[] index)
    {
        _x = x;
        _index = index;
    }

    /// <summary>The region's values: the same as <c>x[index]</c>.</summary>
    public Tensor Get() => _x[_index];

    /// <summary>A copy of x with the region replaced by <paramref name="values"/> (broadcast to the region, cast to x's dtype):
    /// numpy's <c>y = x.copy(); y[index] = values</c>.</summary>
    public Tensor Set(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var e = TensorIndex.Encode(_x, _index, "strided_slice_update");
        return K.StridedSliceUpdate(_x, e.Begin, e.End, e.Strides, values, e.BeginMask, e.EndMask, e.EllipsisMask, e.NewAxisMask, e.ShrinkAxisMask);
    }

    /// <summary><see cref="Set(Tensor)"/> with a number (x's dtype).</summary>
    public Tensor Set(double value) => Set(K.Constant(value, _x.DType));

    /// <summary>A copy of x with <paramref name="values"/> added to the region: numpy's <c>y = x.copy(); y[index] += values</c>
    /// (basic indexing never selects an element twice).</summary>
    public Tensor Add(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Set(Get() + values);
    }

    /// <summary><see cref="Add(Tensor)"/> with a number.</summary>
    public Tensor Add(double value) => Set(Get() + value);
}
