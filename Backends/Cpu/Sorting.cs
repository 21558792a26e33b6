using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace KerasBackend.Backends.Cpu;

/// <summary>
/// sort, argsort and top_k's indices. Lines along the axis are copied into a pooled buffer (when strided), sorted there and
/// written back; lines are split over the cores when there are many. Order: ascending with NaN last (numpy); argsort is
/// stable (an index tiebreak); top_k is descending with NaN first and ties by lower index.
/// </summary>
/// <remarks>
/// top_k keeps the k best of a row in a binary heap whose root is the worst kept entry. An entry enters only if it is
/// larger than the root (a later equal one never beats an earlier one) or NaN, so after the first k entries the row is
/// scanned a vector at a time for any lane above the root's value (or NaN) and only those vectors are looked at element
/// by element; for random data almost every vector is skipped. Large k (above <see cref="HeapLimit"/>) sorts the row.
/// </remarks>
internal static class Sorting
{
    private const int HeapLimit = 64;
    private const long ParallelElements = 1 << 16;

    public static void Sort(Tensor x, int axis, Tensor output, bool indices) => Dispatch.OnNumeric(x.DType, new SortKernel(x, axis, output, indices));

    public static void TopK(Tensor x, int k, Tensor output) => Dispatch.OnNumeric(x.DType, new TopKKernel(x, k, output));

    /// <summary>Runs <paramref name="job"/> over <paramref name="count"/> lines in parts of <paramref name="step"/>: on the cores when there are enough elements, else inline.</summary>
    private static void RunParts<TJob>(ref TJob job, int count, int step, long elements) where TJob : struct, IWorkItem
    {
        int parts = (count + step - 1) / step;
        if (elements < ParallelElements || Workers.Threads < 2) { for (int p = 0; p < parts; p++) job.Run(p); return; }
        Workers.Run(ref job, parts);
    }

    private readonly struct SortKernel(Tensor x, int axis, Tensor output, bool indices) : INumericKernel
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var (outer, n, inner) = axis < 0 ? (1, x.Size, 1) : Indexing.AroundAxis(x.Shape, axis);
            var job = new LinesJob<T> { X = x, Output = output, Outer = outer, N = n, Inner = inner, Indices = indices };
            int lines = outer * inner;
            if (lines == 0 || n == 0) return;
            job.Step = Math.Max(1, lines / (Workers.Threads * 4));
            RunParts(ref job, lines, job.Step, (long)lines * n);
        }
    }

    private struct LinesJob<T> : IWorkItem where T : unmanaged, INumber<T>
    {
        public Tensor X, Output;
        public int Outer, N, Inner, Step;
        public bool Indices;

        public readonly void Run(int part)
        {
            int lines = Outer * Inner, first = part * Step, last = Math.Min(lines, first + Step);
            var keys = ArrayPool<T>.Shared.Rent(N);
            var order = ArrayPool<int>.Shared.Rent(N);
            try
            {
                var src = X.ReadOnlySpan<T>();
                for (int line = first; line < last; line++)
                {
                    int o = line / Inner, j = line % Inner;
                    long baseAt = (long)o * N * Inner + j;
                    var key = keys.AsSpan(0, N);
                    for (int p = 0; p < N; p++) key[p] = src[(int)(baseAt + (long)p * Inner)];
                    if (Indices)
                    {
                        var idx = order.AsSpan(0, N);
                        for (int p = 0; p < N; p++) idx[p] = p;
                        idx.Sort(new Ascending<T>(keys));
                        var dst = Output.Span<int>();
                        for (int p = 0; p < N; p++) dst[(int)(baseAt + (long)p * Inner)] = idx[p];
                    }
                    else
                    {
                        int count = NaNsLast(key);
                        key[..count].Sort();
                        var dst = Output.Span<T>();
                        for (int p = 0; p < N; p++) dst[(int)(baseAt + (long)p * Inner)] = key[p];
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(keys);
                ArrayPool<int>.Shared.Return(order);
            }
        }
    }

    /// <summary>Moves the NaNs of <paramref name="v"/> to its end; returns the count of the others.</summary>
    private static int NaNsLast<T>(Span<T> v) where T : unmanaged, INumber<T>
    {
        int w = 0;
        for (int i = 0; i < v.Length; i++) if (!T.IsNaN(v[i])) v[w++] = v[i];
        for (int i = w; i < v.Length; i++) v[i] = T.CreateTruncating(double.NaN);
        return w;
    }

    /// <summary>Positions by ascending key, NaN last, ties by position (a stable order from an unstable sort).</summary>
    private readonly struct Ascending<T>(T[] keys) : IComparer<int> where T : unmanaged, INumber<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Compare(int i, int j)
        {
            T a = keys[i], b = keys[j];
            if (a < b) return -1;
            if (a > b) return 1;
            bool an = T.IsNaN(a), bn = T.IsNaN(b);
            if (an != bn) return an ? 1 : -1;
            return i.CompareTo(j);
        }
    }

    /// <summary>Positions by descending key, NaN first, ties by position: top_k's order.</summary>
    private readonly struct Descending<T>(T[] keys) : IComparer<int> where T : unmanaged, INumber<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Compare(int i, int j)
        {
            T a = keys[i], b = keys[j];
            if (a > b) return -1;
            if (a < b) return 1;
            bool an = T.IsNaN(a), bn = T.IsNaN(b);
            if (an != bn) return an ? -1 : 1;
            return i.CompareTo(j);
        }
    }

    private readonly struct TopKKernel(Tensor x, int k, Tensor output) : INumericKernel
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            int n = x.Shape[-1], rows = n == 0 ? 0 : x.Size / n;
            if (rows == 0 || k == 0) return;
            var job = new TopKJob<T> { X = x, Output = output, N = n, K = k, Rows = rows };
            job.Step = Math.Max(1, rows / (Workers.Threads * 8));
            RunParts(ref job, rows, job.Step, (long)rows * n);
        }
    }

    private struct TopKJob<T> : IWorkItem where T : unmanaged, INumber<T>
    {
        public Tensor X, Output;
        public int N, K, Rows, Step;

        public readonly void Run(int part)
        {
            int first = part * Step, last = Math.Min(Rows, first + Step);
            var src = X.ReadOnlySpan<T>();
            var dst = Output.Span<int>();
            if (K > HeapLimit)
            {
                var keys = ArrayPool<T>.Shared.Rent(N);
                var order = ArrayPool<int>.Shared.Rent(N);
                try
                {
                    for (int r = first; r < last; r++)
                    {
                        src.Slice(r * N, N).CopyTo(keys);
                        var idx = order.AsSpan(0, N);
                        for (int p = 0; p < N; p++) idx[p] = p;
                        idx.Sort(new Descending<T>(keys));
                        idx[..K].CopyTo(dst.Slice(r * K, K));
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(keys);
                    ArrayPool<int>.Shared.Return(order);
                }
                return;
            }
            Span<int> heap = stackalloc int[K];
            for (int r = first; r < last; r++) Row(src.Slice(r * N, N), heap, dst.Slice(r * K, K));
        }

        /// <summary>The k best of one row into <paramref name="result"/>, best first.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Row(ReadOnlySpan<T> row, Span<int> heap, Span<int> result)
        {
            int k = K;
            for (int i = 0; i < k; i++) { heap[i] = i; SiftUp(row, heap, i); }
            int p = k;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            {
                int w = Vector<T>.Count;
                for (; p + w <= row.Length; p += w)
                {
                    var v = new Vector<T>(row.Slice(p, w));
                    var root = new Vector<T>(row[heap[0]]);
                    // Lanes that could enter: above the root, or NaN (x != x).
                    if (Vector.GreaterThanAny(v, root) || !Vector.EqualsAll(v, v))
                        for (int q = p; q < p + w; q++) Offer(row, heap, q);
                }
            }
            for (; p < row.Length; p++) Offer(row, heap, p);
            // The kept entries best first: an insertion sort of at most HeapLimit.
            for (int i = 0; i < k; i++)
            {
                int e = heap[i], j = i;
                for (; j > 0 && Worse(row, result[j - 1], e); j--) result[j] = result[j - 1];
                result[j] = e;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Offer(ReadOnlySpan<T> row, Span<int> heap, int q)
        {
            // q comes after every kept index: it beats the root only by a larger value (or as a NaN over a number).
            if (!Worse(row, heap[0], q)) return;
            heap[0] = q;
            SiftDown(row, heap);
        }

        /// <summary>Whether entry i ranks below entry j in top_k's order (smaller, a number below a NaN, or equal with a larger index).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Worse(ReadOnlySpan<T> row, int i, int j)
        {
            T a = row[i], b = row[j];
            if (a < b) return true;
            if (a > b) return false;
            bool an = T.IsNaN(a), bn = T.IsNaN(b);
            if (an != bn) return bn;
            return i > j;
        }

        private static void SiftUp(ReadOnlySpan<T> row, Span<int> heap, int i)
        {
            while (i > 0)
            {
                int parent = (i - 1) / 2;
                if (!Worse(row, heap[i], heap[parent])) break;
                (heap[i], heap[parent]) = (heap[parent], heap[i]);
                i = parent;
            }
        }

        private static void SiftDown(ReadOnlySpan<T> row, Span<int> heap)
        {
            int i = 0, n = heap.Length;
            while (true)
            {
                int l = 2 * i + 1, r = l + 1, worst = i;
                if (l < n && Worse(row, heap[l], heap[worst])) worst = l;
                if (r < n && Worse(row, heap[r], heap[worst])) worst = r;
                if (worst == i) return;
                (heap[i], heap[worst]) = (heap[worst], heap[i]);
                i = worst;
            }
        }
    }
}
