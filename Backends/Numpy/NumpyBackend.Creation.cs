namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    public void Zeros(Tensor output) { for (int i = 0; i < output.Size; i++) output.SetDouble(i, 0); }
    public void Ones(Tensor output) { for (int i = 0; i < output.Size; i++) output.SetDouble(i, 1); }

    /// <summary>numpy astype: float → int truncates (NaN/inf → min value); int → narrower int wraps; → bool is "nonzero".</summary>
    public void Cast(Tensor x, Tensor output)
    {
        for (int i = 0; i < output.Size; i++)
        {
            if (output.DType == DType.Bool) output.SetLong(i, x.GetDouble(i) != 0 ? 1 : 0);
            else if (output.DType.IsFloat()) output.SetDouble(i, x.GetDouble(i));
            else output.SetLong(i, x.GetLong(i));
        }
    }
}
