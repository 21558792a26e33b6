using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasBackend.Backends.Cpu;

/// <summary>Axis permutations: output[i_0, …, i_{r-1}] = x[j] with j[pattern[d]] = i_d.</summary>
/// <remarks>
/// Design. When the trailing axes stay in place, each kept run is one contiguous block copy. Otherwise the
/// permutation is a stack of 2-D transposes: the input's contiguous last axis becomes output axis p and the
/// output's contiguous last axis reads input axis q with stride s_q. Each plane is walked in 64×64 blocks
/// (16 KiB of float32 read and 16 KiB written: both stay in L1, and a block touches only 64 pages of each
/// side, so the TLB holds them), and each block in 8×8 float32 / 4×4 float64 register tiles transposed with
/// AVX unpack/shuffle/permute2f128 (eight 32-byte loads and stores per tile, no scalar gathers). 1- and 2-byte
/// dtypes use the same blocking with scalar tiles. Copies of at least 1 MiB split output rows over both cores.
/// </remarks>
internal static unsafe class Layout
{
    private const int Block = 64;
    private const long ParallelBytes = 1 << 20;

    public static void Permute(Tensor x, int[] pattern, Tensor output)
    {
        int rank = x.Rank, size = x.DType.ItemSize();
        if (output.Size == 0) return;
        var inStrides = x.Shape.Strides();
        // Trailing axes that stay in place form one contiguous run.
        int keep = 0;
        while (keep < rank && pattern[rank - 1 - keep] == rank - 1 - keep) keep++;
        if (keep == 0 && rank >= 2)
        {
            TransposePlanes(x, pattern, output, inStrides, size);
            return;
        }
        var src = x.Bytes();
        var dst = output.Bytes();
        int run = 1;
        for (int i = rank - keep; i < rank; i++) run *= x.Shape[i];
        int outerRank = rank - keep;
        var idx = new int[outerRank];
        int count = output.Size / run;
        int bytes = run * size;
        for (int o = 0; o < count; o++)
        {
            int s = 0;
            for (int d = 0; d < outerRank; d++) s += idx[d] * inStrides[pattern[d]];
            src.Slice(s * size, bytes).CopyTo(dst.Slice(o * bytes, bytes));
            for (int d = outerRank - 1; d >= 0; d--) { if (++idx[d] < output.Shape[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>The last input axis moves: a 2-D transpose per combination of the remaining output axes.</summary>
    private static void TransposePlanes(Tensor x, int[] pattern, Tensor output, int[] inStrides, int size)
    {
        int rank = x.Rank;
        var outStrides = output.Shape.Strides();
        int p = Array.IndexOf(pattern, rank - 1), q = pattern[rank - 1];
        int rows = output.Shape[p], cols = output.Shape[rank - 1];
        long srcLd = inStrides[q], dstLd = outStrides[p];
        // Remaining output axes, outermost first.
        var outer = Enumerable.Range(0, rank - 1).Where(d => d != p).ToArray();
        int planes = 1;
        foreach (int d in outer) planes *= output.Shape[d];
        var srcBase = new long[planes];
        var dstBase = new long[planes];
        var idx = new int[outer.Length];
        for (int o = 0; o < planes; o++)
        {
            long s = 0, t = 0;
            for (int e = 0; e < outer.Length; e++) { s += (long)idx[e] * inStrides[pattern[outer[e]]]; t += (long)idx[e] * outStrides[outer[e]]; }
            srcBase[o] = s; dstBase[o] = t;
            for (int e = outer.Length - 1; e >= 0; e--) { if (++idx[e] < output.Shape[outer[e]]) break; idx[e] = 0; }
        }
        fixed (byte* src = x.Bytes())
        fixed (byte* dst = output.Bytes())
        {
            nint sp = (nint)src, dp = (nint)dst;
            int rowBlocks = (rows + Block - 1) / Block;
            long tasks = (long)planes * rowBlocks;
            if ((long)output.Size * size >= ParallelBytes && tasks > 1)
                Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
                {
                    int o = (int)(t / rowBlocks), rb = (int)(t % rowBlocks) * Block;
                    Plane((byte*)sp + srcBase[o] * size, srcLd, (byte*)dp + dstBase[o] * size, dstLd, rb, Math.Min(rows, rb + Block), cols, size);
                });
            else
                for (int o = 0; o < planes; o++)
                    Plane(src + srcBase[o] * size, srcLd, dst + dstBase[o] * size, dstLd, 0, rows, cols, size);
        }
    }

    /// <summary>dst[r·dstLd + c] = src[c·srcLd + r] for r in [r0, r1), c in [0, cols) (strides in elements).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane(byte* src, long srcLd, byte* dst, long dstLd, int r0, int r1, int cols, int size)
    {
        switch (size)
        {
            case 4: Blocked<uint>((uint*)src, srcLd, (uint*)dst, dstLd, r0, r1, cols, Avx.IsSupported ? 8 : 0); break;
            case 8: Blocked<ulong>((ulong*)src, srcLd, (ulong*)dst, dstLd, r0, r1, cols, Avx.IsSupported ? 4 : 0); break;
            case 2: Blocked<ushort>((ushort*)src, srcLd, (ushort*)dst, dstLd, r0, r1, cols, 0); break;
            default: Blocked<byte>(src, srcLd, dst, dstLd, r0, r1, cols, 0); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T>(T* src, long srcLd, T* dst, long dstLd, int r0, int r1, int cols, int tile) where T : unmanaged
    {
        for (int rb = r0; rb < r1; rb += Block)
        {
            int re = Math.Min(r1, rb + Block);
            for (int cb = 0; cb < cols; cb += Block)
            {
                int ce = Math.Min(cols, cb + Block);
                int r = rb;
                if (tile > 0)
                {
                    // Full register tiles first; the ragged right and bottom strips fall through to scalars.
                    for (; r + tile <= re; r += tile)
                    {
                        int c = cb;
                        for (; c + tile <= ce; c += tile)
                        {
                            if (tile == 8) Tile8x8((float*)(src + c * srcLd + r), srcLd, (float*)(dst + r * dstLd + c), dstLd);
                            else Tile4x4((double*)(src + c * srcLd + r), srcLd, (double*)(dst + r * dstLd + c), dstLd);
                        }
                        for (int rr = r; rr < r + tile; rr++)
                            for (int cc = c; cc < ce; cc++) dst[rr * dstLd + cc] = src[cc * srcLd + rr];
                    }
                }
                for (; r < re; r++)
                    for (int c = cb; c < ce; c++) dst[r * dstLd + c] = src[c * srcLd + r];
            }
        }
    }

    /// <summary>8×8 32-bit transpose in registers: unpack pairs, shuffle quads, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Tile8x8(float* s, long ls, float* d, long ld)
    {
        var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls); var r3 = Avx.LoadVector256(s + 3 * ls);
        var r4 = Avx.LoadVector256(s + 4 * ls); var r5 = Avx.LoadVector256(s + 5 * ls);
        var r6 = Avx.LoadVector256(s + 6 * ls); var r7 = Avx.LoadVector256(s + 7 * ls);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ld, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ld, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ld, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ld, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ld, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ld, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ld, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>4×4 64-bit transpose in registers: unpack pairs, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x4(double* s, long ls, double* d, long ld)
    {
        var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls); var r3 = Avx.LoadVector256(s + 3 * ls);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ld, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * ld, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * ld, Avx.Permute2x128(t1, t3, 0x31));
    }
}
