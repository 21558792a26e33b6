namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    public void Add(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => a + b, (a, b) => unchecked(a + b));
    public void Subtract(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => a - b, (a, b) => unchecked(a - b));
    public void Multiply(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => a * b, (a, b) => unchecked(a * b));
    public void Divide(Tensor x, Tensor y, Tensor output) => Binary(x, y, output, (a, b) => a / b, (a, b) => throw new InvalidOperationException("divide has a float output"));
    public void Negative(Tensor x, Tensor output) => Unary(x, output, a => -a, a => unchecked(-a));
    public void Exp(Tensor x, Tensor output) => Unary(x, output, Math.Exp);
}
