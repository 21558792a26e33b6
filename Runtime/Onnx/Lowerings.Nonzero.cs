namespace KerasBackend.Onnx;

// nonzero's node: the (ndim, count) int64 coordinates, ONNX NonZero of x != 0 (NaN compares unequal, so it counts).
internal static partial class Lowerings
{
    public static void Nonzero(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.InDType(0));
        var x = c.InAs(0, t);
        c.Return(c.Node("NonZero", [c.Node("Not", [c.Node("Equal", [x, c.Scalar(0, t)])])]), DType.Int64);
    }
}
