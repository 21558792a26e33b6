namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>tf.print(message, x) to Session.PrintWriter, then a copy of x (numpy.array(x, copy=True)).</summary>
    public void PrintTensor(Tensor x, string message, int summarize, Tensor output)
    {
        TensorPrint.Print(x, message, summarize);
        output.CopyFrom(x);
    }

    /// <summary>x's values (the flagged dimensions are 1 already: only the static shape changes).</summary>
    public void PatternBroadcast(Tensor x, bool[] broadcastable, Tensor output) => output.CopyFrom(x);
}
