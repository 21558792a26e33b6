namespace KerasBackend.Onnx;

// ONNX lowering of einsum.
internal static partial class Lowerings
{
    /// <summary>einsum: the ONNX Einsum operator on the operands cast to the compute dtype (the equation without spaces).</summary>
    public static void Einsum(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var ins = Enumerable.Range(0, c.InputCount).Select(i => c.InAs(i, t)).ToArray();
        c.Return(c.Node("Einsum", ins, ("equation", c.Attr<string>(0).Replace(" ", ""))), t);
    }
}
