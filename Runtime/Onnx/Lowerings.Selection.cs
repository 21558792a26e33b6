namespace KerasBackend.Onnx;

// ONNX lowerings of take and take_along_axis.
internal static partial class Lowerings
{
    /// <summary>take: Gather along the axis (negative indices wrap in ONNX too); a null axis gathers from the flattened x.</summary>
    public static void Take(LoweringContext c)
    {
        var axis = c.Attr(0) as int?;
        string x = c.In(0), idx = c.InAs(1, DType.Int64);
        if (axis is null) x = c.Node("Reshape", [x, c.Ints(-1)]);
        long a = axis is null ? 0 : Normalize.Axis(axis.Value, c.InRank(0));
        c.Return(c.Node("Gather", [x, idx], ("axis", a)), c.InDType(0));
    }

    /// <summary>take_along_axis: GatherElements after expanding x and the indices to the broadcast shape (x keeps its axis
    /// length), from constants when the shapes are known, else from Shape nodes.</summary>
    public static void TakeAlongAxis(LoweringContext c)
    {
        var axis = c.Attr(0) as int?;
        string x = c.In(0), idx = c.InAs(1, DType.Int64);
        if (axis is null)
        {
            c.Return(c.Node("GatherElements", [c.Node("Reshape", [x, c.Ints(-1)]), idx], ("axis", 0L)), c.InDType(0));
            return;
        }
        int a = Normalize.Axis(axis.Value, c.InRank(0));
        var outShape = c.OutShape;
        if (outShape.IsFullyDefined && c.InShape(0).IsFullyDefined)
        {
            var target = outShape.Dims.ToArray().Select(d => (long)d).ToArray();
            if (c.InShape(1) != outShape) idx = c.Node("Expand", [idx, c.Ints(target)]);
            target[a] = c.InShape(0)[a];
            if (!c.InShape(0).Dims.SequenceEqual(target.Select(d => (int)d).ToArray())) x = c.Node("Expand", [x, c.Ints(target)]);
        }
        else
        {
            // Sizes known only when the graph runs: the broadcast shape off the axis is the elementwise max of the two
            // shapes with the axis set to 1 (dimensions are equal or one of them is 1); each keeps its own axis length.
            string xShape = c.Node("Shape", [x]), iShape = c.Node("Shape", [idx]);
            string AxisOne(string shape) => c.Node("Concat", [c.Node("Slice", [shape, c.Ints(0), c.Ints(a)]), c.Ints(1), c.Node("Slice", [shape, c.Ints(a + 1), c.Ints(long.MaxValue)])], ("axis", 0L));
            var common = c.Node("Max", [AxisOne(xShape), AxisOne(iShape)]);
            string With(string shape) => c.Node("Concat", [c.Node("Slice", [common, c.Ints(0), c.Ints(a)]), c.Node("Slice", [shape, c.Ints(a), c.Ints(a + 1)]), c.Node("Slice", [common, c.Ints(a + 1), c.Ints(long.MaxValue)])], ("axis", 0L));
            idx = c.Node("Expand", [idx, With(iShape)]);
            x = c.Node("Expand", [x, With(xShape)]);
        }
        c.Return(c.Node("GatherElements", [x, idx], ("axis", (long)a)), c.InDType(0));
    }
}
