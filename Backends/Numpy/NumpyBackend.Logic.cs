namespace KerasBackend.Backends.Numpy;

public sealed partial class NumpyBackend
{
    /// <summary>numpy.equal in the promoted dtype: NaN equals nothing.</summary>
    public void Equal(Tensor x, Tensor y, Tensor output) => Compare(x, y, output, (a, b) => a == b, (a, b) => a == b);

    /// <summary>numpy.not_equal in the promoted dtype: NaN differs from everything.</summary>
    public void NotEqual(Tensor x, Tensor y, Tensor output) => Compare(x, y, output, (a, b) => a != b, (a, b) => a != b);

    public void Greater(Tensor x, Tensor y, Tensor output) => Compare(x, y, output, (a, b) => a > b, (a, b) => a > b);
    public void GreaterEqual(Tensor x, Tensor y, Tensor output) => Compare(x, y, output, (a, b) => a >= b, (a, b) => a >= b);
    public void Less(Tensor x, Tensor y, Tensor output) => Compare(x, y, output, (a, b) => a < b, (a, b) => a < b);
    public void LessEqual(Tensor x, Tensor y, Tensor output) => Compare(x, y, output, (a, b) => a <= b, (a, b) => a <= b);

    /// <summary>
    /// Both operands converted to their promoted dtype (floats rounded to it, integers and bool exact as long),
    /// then compared element by element with broadcasting; the output is bool.
    /// </summary>
    private static void Compare(Tensor x, Tensor y, Tensor output, Func<double, double, bool> f, Func<long, long, bool> g)
    {
        var p = DTypeRules.Promote(x, y);
        var mx = Indexing.BroadcastMap(x.Shape, output.Shape);
        var my = Indexing.BroadcastMap(y.Shape, output.Shape);
        for (int i = 0; i < output.Size; i++)
        {
            bool r = p.IsFloat()
                ? f(RoundTo(x.GetDouble(mx[i]), p), RoundTo(y.GetDouble(my[i]), p))
                : g(x.GetLong(mx[i]), y.GetLong(my[i]));
            output.SetLong(i, r ? 1 : 0);
        }
    }

    /// <summary>A double rounded to the nearest value of a float dtype.</summary>
    private static double RoundTo(double v, DType d) => d switch
    {
        DType.Float16 => (double)(Half)v,
        DType.Float32 => (float)v,
        _ => v,
    };

    /// <summary>numpy.any: true when some element of the group is nonzero (NaN is nonzero); false for an empty group.</summary>
    public void Any(Tensor x, int[] axis, bool keepdims, Tensor output) => Reduce(x, axis, output, (o, items) =>
    {
        bool r = false;
        foreach (var i in items) if (x.GetDouble(i) != 0) { r = true; break; }
        output.SetLong(o, r ? 1 : 0);
    });

    /// <summary>numpy.all: true when every element of the group is nonzero (NaN is nonzero); true for an empty group.</summary>
    public void All(Tensor x, int[] axis, bool keepdims, Tensor output) => Reduce(x, axis, output, (o, items) =>
    {
        bool r = true;
        foreach (var i in items) if (x.GetDouble(i) == 0) { r = false; break; }
        output.SetLong(o, r ? 1 : 0);
    });

    /// <summary>numpy.argmax along the axis: the first index of the maximum; the first NaN wins.</summary>
    public void Argmax(Tensor x, int axis, Tensor output) => ArgExtreme(x, axis, output, +1);

    /// <summary>numpy.argmin along the axis: the first index of the minimum; the first NaN wins.</summary>
    public void Argmin(Tensor x, int axis, Tensor output) => ArgExtreme(x, axis, output, -1);

    private static void ArgExtreme(Tensor x, int axis, Tensor output, int sign)
    {
        var (outer, n, inner) = Indexing.AroundAxis(x.Shape, axis);
        bool useFloat = x.DType.IsFloat();
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                for (int j = 1; j < n; j++)
                {
                    int at = (o * n + j) * inner + i, bestAt = (o * n + best) * inner + i;
                    if (useFloat)
                    {
                        double v = x.GetDouble(at), b = x.GetDouble(bestAt);
                        if (double.IsNaN(b)) break;
                        if (double.IsNaN(v) || (sign > 0 ? v > b : v < b)) best = j;
                    }
                    else
                    {
                        long v = x.GetLong(at), b = x.GetLong(bestAt);
                        if (sign > 0 ? v > b : v < b) best = j;
                    }
                }
                output.SetLong(o * inner + i, best);
            }
    }

    /// <summary>
    /// TensorFlow's InTopK: a row is true when its target is a valid class, no prediction of the row is
    /// non-finite, and fewer than k predictions are strictly greater than the target's.
    /// </summary>
    public void InTopK(Tensor predictions, Tensor targets, int k, Tensor output)
    {
        int classes = predictions.Shape[1];
        for (int b = 0; b < output.Size; b++)
        {
            long t = targets.GetLong(b);
            bool r = false;
            if (t >= 0 && t < classes)
            {
                double p = predictions.GetDouble(b * classes + (int)t);
                int greater = 0;
                bool finite = true;
                for (int c = 0; c < classes; c++)
                {
                    double v = predictions.GetDouble(b * classes + c);
                    if (!double.IsFinite(v)) { finite = false; break; }
                    if (v > p) greater++;
                }
                r = finite && greater < k;
            }
            output.SetLong(b, r ? 1 : 0);
        }
    }
}
