namespace KerasBackend.Onnx;

// ONNX lowering of einsum.
internal static partial class Lowerings
{
    /// <summary>
    /// einsum: the ONNX Einsum operator on the operands cast to the compute dtype, with numpy's rules made explicit first
    /// (ONNX Einsum neither aligns ellipses of other ranks nor broadcasts size-1 axes): the subscripts resolved against the
    /// operands' ranks (EinsumSpec) and spelled with one letter per axis and an explicit output, and each operand expanded
    /// where an axis of size 1 meets a larger size of its label.
    /// </summary>
    public static void Einsum(LoweringContext c)
    {
        var t = LoweringContext.ComputeOf(c.OutDType);
        var ranks = Enumerable.Range(0, c.InputCount).Select(c.InRank).ToArray();
        var shapes = Enumerable.Range(0, c.InputCount).Select(c.InShape).ToArray();
        var spec = EinsumSpec.TryParse(c.Attr<string>(0), ranks, out var error)
            ?? throw new OnnxExportException("einsum", $"einsum: {error}");
        if (!spec.TrySizes(shapes, out var sizes, out error)) throw new OnnxExportException("einsum", $"einsum: {error}");
        var ins = new string[c.InputCount];
        for (int i = 0; i < ins.Length; i++)
        {
            ins[i] = c.InAs(i, t);
            var labels = spec.Inputs[i];
            var target = labels.Select((l, a) => shapes[i][a] == 1 && sizes[l] > 1 ? sizes[l] : shapes[i][a]).ToArray();
            if (!target.SequenceEqual(shapes[i].Dims.ToArray()))
                ins[i] = c.Node("Expand", [ins[i], c.Ints(Longs(target))]);
        }
        c.Return(c.Node("Einsum", ins, ("equation", EinsumSpec.Format(spec.Inputs, spec.Output))), t);
    }
}
