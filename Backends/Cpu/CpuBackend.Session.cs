namespace KerasBackend.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>tf.print(message, x) to Session.PrintWriter, then x's buffer copied.</summary>
    public void PrintTensor(Tensor x, string message, int summarize, Tensor output)
    {
        TensorPrint.Print(x, message, summarize);
        output.CopyFrom(x);
    }

    /// <summary>x's buffer copied (only the static shape changes).</summary>
    public void PatternBroadcast(Tensor x, bool[] broadcastable, Tensor output) => output.CopyFrom(x);
}
