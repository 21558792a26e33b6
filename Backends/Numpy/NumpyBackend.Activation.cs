namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>numpy.tanh(x), element by element in double.</summary>
    public void Tanh(Tensor x, Tensor output) => Unary(x, output, Math.Tanh);

    /// <summary>1 / (1 + numpy.exp(-x)), element by element in double.</summary>
    public void Sigmoid(Tensor x, Tensor output) => Unary(x, output, v => 1 / (1 + Math.Exp(-v)));

    /// <summary>The relu docstring's three branches, element by element in double (alpha = 0 gives 0 below the threshold).</summary>
    public void Relu(Tensor x, double alpha, double? maxValue, double threshold, Tensor output)
    {
        for (int i = 0; i < output.Size; i++)
        {
            double v = x.GetDouble(i);
            double r;
            if (maxValue is double m && v >= m) r = m;
            else if (v >= threshold || double.IsNaN(v)) r = v;
            else r = alpha == 0 ? 0 : alpha * (v - threshold);
            output.SetDouble(i, r);
        }
    }
}
