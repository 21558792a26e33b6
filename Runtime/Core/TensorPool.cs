using System.Buffers;

namespace KerasBackend;

/// <summary>
/// Pool of tensor buffers. Small buffers come from the GC (cheap); large ones are rented from
/// <see cref="ArrayPool{T}.Shared"/> so that their pages are already mapped when reused.
/// </summary>
/// <remarks>
/// <para><b>The ownership rule</b> (the one place it is written down; other docs point here):</para>
/// <list type="number">
/// <item>A concrete tensor owns its buffer. Whoever holds a tensor an API returned owns it: every eager op
/// (<c>K.Add</c>, ...) and every <see cref="KFunction"/> call returns new tensors that belong to the caller, as
/// Keras returns fresh arrays. Outside its kernel an eager op allocates its result, one <see cref="Tensor"/>
/// object and its buffer (a GC array below <see cref="PoolThresholdBytes"/>, a pooled one above; the shape is an
/// operand's when equal), plus the absolute axes a reduction's kernel receives.</item>
/// <item><see cref="Tensor.Dispose"/> means "I am done with it": a pooled buffer goes back here at once, for the
/// next tensor of about that size; the tensor must not be used afterwards (reading it raises
/// <see cref="ObjectDisposedException"/>). Dispose is optional: a tensor never disposed is collected by the GC
/// like any object and its buffer simply does not come back to the pool (a later rent makes a new one).</item>
/// <item>Nobody disposes what they do not own: kernels never dispose their inputs, K.Function never disposes fed
/// tensors, constants or variables, and the caller must not dispose a variable's value while it is in use.</item>
/// <item>Inside a K.Function the tensors of intermediate nodes belong to the function's per-call state
/// (<c>Graph.Plan.State</c>): a kernel node's tensor is kept across calls and refilled, and a pooled buffer is
/// handed back here after the node's value is last read and taken again when the node next runs. An output is
/// never such a tensor: it is a new tensor, or a copy when the value is a fed tensor, constant, variable or
/// another output.</item>
/// </list>
/// </remarks>
internal static class TensorPool
{
    /// <summary>Below this many bytes a plain array is cheaper than the pool's bookkeeping (measured: a 4 KB GC array costs ~0.6 µs per op in a loop, a pooled one that is disposed ~0.1 µs).</summary>
    internal const int PoolThresholdBytes = 1024;

    public static (Array data, bool pooled) Rent(DType dtype, int length, bool clear)
    {
        bool pool = (long)length * dtype.ItemSize() >= PoolThresholdBytes;
        return dtype switch
        {
            DType.Float32 => Get<float>(length, pool, clear),
            DType.Float64 => Get<double>(length, pool, clear),
            DType.Float16 => Get<Half>(length, pool, clear),
            DType.Int32 => Get<int>(length, pool, clear),
            DType.Int64 => Get<long>(length, pool, clear),
            DType.Int16 => Get<short>(length, pool, clear),
            DType.Int8 => Get<sbyte>(length, pool, clear),
            DType.UInt8 => Get<byte>(length, pool, clear),
            _ => Get<bool>(length, pool, clear),
        };
    }

    private static (Array, bool) Get<T>(int length, bool pool, bool clear)
    {
        if (!pool) return (clear ? new T[length] : GC.AllocateUninitializedArray<T>(length), false);
        var a = ArrayPool<T>.Shared.Rent(length);
        if (clear) Array.Clear(a, 0, length);
        return (a, true);
    }

    public static void Return(Array a)
    {
        switch (a)
        {
            case float[] x: ArrayPool<float>.Shared.Return(x); break;
            case double[] x: ArrayPool<double>.Shared.Return(x); break;
            case Half[] x: ArrayPool<Half>.Shared.Return(x); break;
            case int[] x: ArrayPool<int>.Shared.Return(x); break;
            case long[] x: ArrayPool<long>.Shared.Return(x); break;
            case short[] x: ArrayPool<short>.Shared.Return(x); break;
            // Exact types: the CLR lets a byte[] pass as sbyte[], which would mix the two pools.
            case byte[] x when x.GetType() == typeof(byte[]): ArrayPool<byte>.Shared.Return(x); break;
            case sbyte[] x: ArrayPool<sbyte>.Shared.Return(x); break;
            case bool[] x: ArrayPool<bool>.Shared.Return(x); break;
        }
    }
}
