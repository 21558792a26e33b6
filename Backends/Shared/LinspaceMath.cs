namespace KerasBackend.Backends;

/// <summary>numpy.linspace's values in float64 (numpy/core/function_base.py): step = (stop − start) / div with div = num − 1
/// (endpoint) or num; i · step + start, or i / div · (stop − start) + start when the step underflows to 0; the last value
/// is stop itself when endpoint; a single value (div 0) is start.</summary>
public static class LinspaceMath
{
    public static double At(double start, double stop, int num, bool endpoint, int i)
    {
        if (endpoint && num > 1 && i == num - 1) return stop;
        int div = endpoint ? num - 1 : num;
        double delta = stop - start;
        if (div <= 0) return i * delta + start;
        double step = delta / div;
        return step == 0 ? i / (double)div * delta + start : i * step + start;
    }
}
