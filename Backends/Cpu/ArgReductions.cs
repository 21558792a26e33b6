using System.Numerics;
using System.Numerics.Tensors;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// Index-valued reductions along one axis (argmax, argmin) and in_top_k. Rows (the axis is last) use
/// TensorPrimitives.IndexOfMax/IndexOfMin, vectorized; other axes walk the (axis, inner) plane once per outer index
/// with a running best per inner position, so memory is read contiguously.
/// </summary>
internal static class ArgReductions
{
    /// <summary>The first index of the maximum (or minimum) along <paramref name="axis"/> into int64 <paramref name="output"/>; the first NaN wins.</summary>
    public static void Run<T>(Tensor x, int axis, Tensor output, bool max) where T : unmanaged, INumber<T>
    {
        var (outer, n, inner) = Indexing.AroundAxis(x.Shape, axis);
        var xs = x.ReadOnlySpan<T>();
        var o = output.Span<long>();
        if (inner == 1)
        {
            for (int r = 0; r < outer; r++)
            {
                var row = xs.Slice(r * n, n);
                int k = max ? TensorPrimitives.IndexOfMax(row) : TensorPrimitives.IndexOfMin(row);
                // TensorPrimitives orders +0 above -0; numpy sees a tie, so a zero result moves to the row's first zero.
                if (T.IsZero(row[k])) k = FirstZero(row);
                o[r] = k;
            }
            return;
        }
        var best = new T[inner]; // one small array per call
        for (int a = 0; a < outer; a++)
        {
            var plane = xs.Slice(a * n * inner, n * inner);
            plane[..inner].CopyTo(best);
            var oi = o.Slice(a * inner, inner);
            oi.Clear();
            for (int j = 1; j < n; j++)
            {
                var line = plane.Slice(j * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    T v = line[i], b = best[i];
                    if (T.IsNaN(b)) continue;
                    if (T.IsNaN(v) || (max ? v > b : v < b)) { best[i] = v; oi[i] = j; }
                }
            }
        }
    }

    private static int FirstZero<T>(ReadOnlySpan<T> row) where T : INumber<T>
    {
        for (int i = 0; i < row.Length; i++) if (T.IsZero(row[i])) return i;
        return -1;
    }

    /// <summary>TensorFlow's InTopK (tensorflow/core/kernels/in_topk_op.h) over rows of float32 or float64 predictions, into bool bytes.</summary>
    public static void InTopK<T>(Tensor predictions, Tensor targets, int k, Tensor output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = predictions.Shape[1];
        var p = predictions.ReadOnlySpan<T>();
        var o = output.Bytes();
        for (int b = 0; b < o.Length; b++)
        {
            long t = targets.GetLong(b);
            bool hit = false;
            if (t >= 0 && t < classes)
            {
                var row = p.Slice(b * classes, classes);
                T target = row[(int)t];
                int greater = 0;
                bool finite = true;
                foreach (var v in row)
                {
                    if (!T.IsFinite(v)) { finite = false; break; }
                    if (v > target) greater++;
                }
                hit = finite && greater < k;
            }
            o[b] = hit ? (byte)1 : (byte)0;
        }
    }
}
