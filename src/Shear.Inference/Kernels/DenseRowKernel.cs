using System.Runtime.CompilerServices;

namespace Shear.Inference.Kernels;

/// <summary>
/// The dense row product: four output rows by four registers of positions per step, so each loaded input vector
/// feeds four FMAs and each broadcast weight four (16 accumulators, 24 registers in all); few positions (batch-1
/// linear layers, layers gathered position-major) are dot products, four rows at a time.
/// </summary>
internal static unsafe class DenseRowKernel
{
    /// <summary>Runs <paramref name="task"/> with <paramref name="weights"/> (dense).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TL, TV>(RowWeights weights, in RowTask task)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        float* packed = RowWeights.Address(weights.Packed!);
        float* bias = RowWeights.Address(weights.Bias);
        int depth = weights.Depth;
        int n = TL.Count;
        if (task.PositionStride > 0 || (task.Length == 1 && task.Contiguous))
        {
            Dots<TL, TV>(RowWeights.Address(weights.RowMajor!), bias, depth, task);
            return;
        }
        if (depth > Chunk)
        {
            Chunked<TL, TV>(packed, bias, depth, task);
            return;
        }
        int* offsets = task.Offsets;
        int q = 0;
        for (; q + (4 * n) <= task.Length; q += 4 * n)
        {
            for (int o = task.OStart; o < task.OEnd; o += RowWeights.Block)
            {
                Block4<TL, TV>(packed + (o * depth), bias, depth, offsets, task, o, q, true, true);
            }
        }
        if (q < task.Length && task.Length >= 4 * n)
        {
            // A partial last tile: recompute the tile that ends at the run's end (the overlap is written again with
            // the same values).
            for (int o = task.OStart; o < task.OEnd; o += RowWeights.Block)
            {
                Block4<TL, TV>(packed + (o * depth), bias, depth, offsets, task, o, task.Length - (4 * n), true, true);
            }
            q = task.Length;
        }
        for (; q + n <= task.Length; q += n)
        {
            for (int o = task.OStart; o < task.OEnd; o += RowWeights.Block)
            {
                Block1<TL, TV>(packed + (o * depth), bias, depth, offsets, task, o, q, true, true);
            }
        }
        if (q < task.Length && task.Length >= n)
        {
            // The last partial register: recompute the register that ends at the run's end (the overlap is written
            // again with the same values), so no position is left to scalar code.
            for (int o = task.OStart; o < task.OEnd; o += RowWeights.Block)
            {
                Block1<TL, TV>(packed + (o * depth), bias, depth, offsets, task, o, task.Length - n, true, true);
            }
            q = task.Length;
        }
        for (; q < task.Length; q++)
        {
            for (int o = task.OStart; o < task.OEnd; o++)
            {
                float* w = packed + ((o / RowWeights.Block * depth) * RowWeights.Block) + (o % RowWeights.Block);
                float sum = bias[o];
                for (int j = 0; j < depth; j++)
                {
                    sum += w[j * RowWeights.Block] * task.X[task.Offsets[j] + q];
                }
                task.Y[(o * task.OutRow) + q] = task.Relu && sum < 0 ? 0 : sum;
            }
        }
    }

    // Sources per pass over a tile when a row is long (gathered 3x3 layers of 256-512 channels have 2,304-4,608):
    // the tile's input rows then stay in L2 (512 x 64 floats = 128 KB) instead of streaming from memory once per
    // block of four output rows.
    private const int Chunk = 512;

    // Long rows in chunks of sources: the first chunk stores bias + partial sums, the next ones add to them, the last
    // applies the ReLU. Tiles never overlap here (an overlapping tile would add its overlap twice).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Chunked<TL, TV>(float* packed, float* bias, int depth, in RowTask task)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count;
        for (int k0 = 0; k0 < depth; k0 += Chunk)
        {
            int count = Math.Min(Chunk, depth - k0);
            bool first = k0 == 0, last = k0 + count == depth;
            int* offsets = task.Offsets + k0;
            int q = 0;
            for (; q + (4 * n) <= task.Length; q += 4 * n)
            {
                for (int o = task.OStart; o < task.OEnd; o += RowWeights.Block)
                {
                    Block4<TL, TV>(packed + (o * depth) + (k0 * RowWeights.Block), bias, count, offsets, task, o, q, first, last);
                }
            }
            for (; q + n <= task.Length; q += n)
            {
                for (int o = task.OStart; o < task.OEnd; o += RowWeights.Block)
                {
                    Block1<TL, TV>(packed + (o * depth) + (k0 * RowWeights.Block), bias, count, offsets, task, o, q, first, last);
                }
            }
            for (; q < task.Length; q++)
            {
                for (int o = task.OStart; o < task.OEnd; o++)
                {
                    float* w = packed + ((o / RowWeights.Block * depth) * RowWeights.Block) + (o % RowWeights.Block) + (k0 * RowWeights.Block);
                    float* y = task.Y + (o * task.OutRow) + q;
                    float sum = first ? bias[o] : *y;
                    for (int j = 0; j < count; j++)
                    {
                        sum += w[j * RowWeights.Block] * task.X[offsets[j] + q];
                    }
                    *y = last && task.Relu && sum < 0 ? 0 : sum;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4<TL, TV>(float* w, float* bias, int depth, int* offsets, in RowTask task, int o, int q, bool first, bool last)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count;
        TV a00 = default, a01 = default, a02 = default, a03 = default;
        TV a10 = default, a11 = default, a12 = default, a13 = default;
        TV a20 = default, a21 = default, a22 = default, a23 = default;
        TV a30 = default, a31 = default, a32 = default, a33 = default;
        float* x = task.X + q;
        for (int j = 0; j < depth; j++, w += RowWeights.Block)
        {
            float* p = x + offsets[j];
            TV x0 = TL.Load(p), x1 = TL.Load(p + n), x2 = TL.Load(p + (2 * n)), x3 = TL.Load(p + (3 * n));
            TV w0 = TL.Broadcast(w[0]);
            a00 = TL.MultiplyAdd(w0, x0, a00); a01 = TL.MultiplyAdd(w0, x1, a01); a02 = TL.MultiplyAdd(w0, x2, a02); a03 = TL.MultiplyAdd(w0, x3, a03);
            TV w1 = TL.Broadcast(w[1]);
            a10 = TL.MultiplyAdd(w1, x0, a10); a11 = TL.MultiplyAdd(w1, x1, a11); a12 = TL.MultiplyAdd(w1, x2, a12); a13 = TL.MultiplyAdd(w1, x3, a13);
            TV w2 = TL.Broadcast(w[2]);
            a20 = TL.MultiplyAdd(w2, x0, a20); a21 = TL.MultiplyAdd(w2, x1, a21); a22 = TL.MultiplyAdd(w2, x2, a22); a23 = TL.MultiplyAdd(w2, x3, a23);
            TV w3 = TL.Broadcast(w[3]);
            a30 = TL.MultiplyAdd(w3, x0, a30); a31 = TL.MultiplyAdd(w3, x1, a31); a32 = TL.MultiplyAdd(w3, x2, a32); a33 = TL.MultiplyAdd(w3, x3, a33);
        }
        Store4<TL, TV>(task, bias, o, q, first, last, a00, a01, a02, a03);
        Store4<TL, TV>(task, bias, o + 1, q, first, last, a10, a11, a12, a13);
        Store4<TL, TV>(task, bias, o + 2, q, first, last, a20, a21, a22, a23);
        Store4<TL, TV>(task, bias, o + 3, q, first, last, a30, a31, a32, a33);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block1<TL, TV>(float* w, float* bias, int depth, int* offsets, in RowTask task, int o, int q, bool first, bool last)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        TV a0 = default, a1 = default, a2 = default, a3 = default;
        float* x = task.X + q;
        for (int j = 0; j < depth; j++, w += RowWeights.Block)
        {
            TV v = TL.Load(x + offsets[j]);
            a0 = TL.MultiplyAdd(TL.Broadcast(w[0]), v, a0);
            a1 = TL.MultiplyAdd(TL.Broadcast(w[1]), v, a1);
            a2 = TL.MultiplyAdd(TL.Broadcast(w[2]), v, a2);
            a3 = TL.MultiplyAdd(TL.Broadcast(w[3]), v, a3);
        }
        Store1<TL, TV>(task, bias, o, q, first, last, a0);
        Store1<TL, TV>(task, bias, o + 1, q, first, last, a1);
        Store1<TL, TV>(task, bias, o + 2, q, first, last, a2);
        Store1<TL, TV>(task, bias, o + 3, q, first, last, a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<TL, TV>(in RowTask task, float* bias, int o, int q, bool first, bool last, TV v0, TV v1, TV v2, TV v3)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        if (o >= task.OEnd)
        {
            return;
        }
        int n = TL.Count;
        float* y = task.Y + (o * task.OutRow) + q;
        if (first)
        {
            TV b = TL.Broadcast(bias[o]);
            (v0, v1, v2, v3) = (TL.Add(v0, b), TL.Add(v1, b), TL.Add(v2, b), TL.Add(v3, b));
        }
        else
        {
            (v0, v1, v2, v3) = (TL.Add(v0, TL.Load(y)), TL.Add(v1, TL.Load(y + n)), TL.Add(v2, TL.Load(y + (2 * n))), TL.Add(v3, TL.Load(y + (3 * n))));
        }
        if (last && task.Relu)
        {
            TV zero = default;
            (v0, v1, v2, v3) = (TL.Max(v0, zero), TL.Max(v1, zero), TL.Max(v2, zero), TL.Max(v3, zero));
        }
        TL.Store(y, v0);
        TL.Store(y + n, v1);
        TL.Store(y + (2 * n), v2);
        TL.Store(y + (3 * n), v3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1<TL, TV>(in RowTask task, float* bias, int o, int q, bool first, bool last, TV v)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        if (o < task.OEnd)
        {
            float* y = task.Y + (o * task.OutRow) + q;
            v = TL.Add(v, first ? TL.Broadcast(bias[o]) : TL.Load(y));
            TL.Store(y, last && task.Relu ? TL.Max(v, default) : v);
        }
    }

    // Few positions (gathered position-major, or a batch-1 linear layer): each row a dot product per position. Four
    // rows at a time, so each loaded input vector feeds four FMAs: four positions per step (16 accumulators, 8 loads
    // per 16 FMAs), the rest one at a time (8 accumulators over two steps). Rows longer than a chunk are read a chunk
    // at a time while every position uses it. Without PositionStride the one position is X itself.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots<TL, TV>(float* rows, float* bias, int depth, in RowTask task)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int stride = task.PositionStride, positions = task.Length;
        float* sums = stackalloc float[RowWeights.Block * positions];
        for (int o = task.OStart; o < task.OEnd; o += RowWeights.Block)
        {
            int count = Math.Min(RowWeights.Block, task.OEnd - o);
            float* w = rows + ((long)o * depth);
            for (int r = 0; r < count; r++)
            {
                new Span<float>(sums + (r * positions), positions).Fill(bias[o + r]);
            }
            for (int j0 = 0; j0 < depth; j0 += DotChunk)
            {
                int j1 = Math.Min(depth, j0 + DotChunk);
                int q = 0;
                if (count == RowWeights.Block)
                {
                    for (; q + 4 <= positions; q += 4)
                    {
                        Dots4x4<TL, TV>(w, depth, task.X + ((long)q * stride), stride, j0, j1, sums + q, positions);
                    }
                    for (; q < positions; q++)
                    {
                        Dots4x1<TL, TV>(w, depth, task.X + ((long)q * stride), j0, j1, sums + q, positions);
                    }
                    continue;
                }
                for (int r = 0; r < count; r++)
                {
                    for (q = 0; q < positions; q++)
                    {
                        sums[(r * positions) + q] += Dot<TL, TV>(w + ((long)r * depth), task.X + ((long)q * stride), j0, j1);
                    }
                }
            }
            for (int r = 0; r < count; r++)
            {
                float* y = task.Y + ((long)(o + r) * task.OutRow);
                for (int q = 0; q < positions; q++)
                {
                    float sum = sums[(r * positions) + q];
                    y[q] = task.Relu && sum < 0 ? 0 : sum;
                }
            }
        }
    }

    // Sources per chunk of a row in Dots: four rows' chunks (128 KB) stay in L2 while every position reads them. 4 KB
    // chunks measured 7 % slower on VGG-11 at batch 1: each chunk ends in 16 horizontal sums per 4x4 tile.
    private const int DotChunk = 8192;

    // Rows w..w+3 (depth apart) by positions x..x+3 (stride apart) over sources [j0, j1), added to sums[r · pitch + q].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dots4x4<TL, TV>(float* w, int depth, float* x, int stride, int j0, int j1, float* sums, int pitch)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count, vectorEnd = j0 + ((j1 - j0) / n * n);
        float* w0 = w, w1 = w0 + depth, w2 = w1 + depth, w3 = w2 + depth;
        float* x0 = x, x1 = x0 + stride, x2 = x1 + stride, x3 = x2 + stride;
        TV a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        TV a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        for (int j = j0; j < vectorEnd; j += n)
        {
            TV v0 = TL.Load(x0 + j), v1 = TL.Load(x1 + j), v2 = TL.Load(x2 + j), v3 = TL.Load(x3 + j);
            TV k = TL.Load(w0 + j);
            (a00, a01, a02, a03) = (TL.MultiplyAdd(k, v0, a00), TL.MultiplyAdd(k, v1, a01), TL.MultiplyAdd(k, v2, a02), TL.MultiplyAdd(k, v3, a03));
            k = TL.Load(w1 + j);
            (a10, a11, a12, a13) = (TL.MultiplyAdd(k, v0, a10), TL.MultiplyAdd(k, v1, a11), TL.MultiplyAdd(k, v2, a12), TL.MultiplyAdd(k, v3, a13));
            k = TL.Load(w2 + j);
            (a20, a21, a22, a23) = (TL.MultiplyAdd(k, v0, a20), TL.MultiplyAdd(k, v1, a21), TL.MultiplyAdd(k, v2, a22), TL.MultiplyAdd(k, v3, a23));
            k = TL.Load(w3 + j);
            (a30, a31, a32, a33) = (TL.MultiplyAdd(k, v0, a30), TL.MultiplyAdd(k, v1, a31), TL.MultiplyAdd(k, v2, a32), TL.MultiplyAdd(k, v3, a33));
        }
        Add4(sums, TL.Sum(a00), TL.Sum(a01), TL.Sum(a02), TL.Sum(a03));
        Add4(sums + pitch, TL.Sum(a10), TL.Sum(a11), TL.Sum(a12), TL.Sum(a13));
        Add4(sums + (2 * pitch), TL.Sum(a20), TL.Sum(a21), TL.Sum(a22), TL.Sum(a23));
        Add4(sums + (3 * pitch), TL.Sum(a30), TL.Sum(a31), TL.Sum(a32), TL.Sum(a33));
        for (int j = vectorEnd; j < j1; j++)
        {
            for (int r = 0; r < 4; r++)
            {
                float k = w[(r * depth) + j];
                Add4(sums + (r * pitch), k * x0[j], k * x1[j], k * x2[j], k * x3[j]);
            }
        }
    }

    // Rows w..w+3 by the one position x over sources [j0, j1), added to sums[r · pitch]: two steps at a time, eight
    // independent accumulators.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dots4x1<TL, TV>(float* w, int depth, float* x, int j0, int j1, float* sums, int pitch)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count, pairEnd = j0 + ((j1 - j0) / (2 * n) * 2 * n), vectorEnd = j0 + ((j1 - j0) / n * n);
        float* w0 = w, w1 = w0 + depth, w2 = w1 + depth, w3 = w2 + depth;
        TV a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        int j = j0;
        for (; j < pairEnd; j += 2 * n)
        {
            TV v = TL.Load(x + j), u = TL.Load(x + j + n);
            (a0, a1, a2, a3) = (TL.MultiplyAdd(TL.Load(w0 + j), v, a0), TL.MultiplyAdd(TL.Load(w1 + j), v, a1), TL.MultiplyAdd(TL.Load(w2 + j), v, a2), TL.MultiplyAdd(TL.Load(w3 + j), v, a3));
            (b0, b1, b2, b3) = (TL.MultiplyAdd(TL.Load(w0 + j + n), u, b0), TL.MultiplyAdd(TL.Load(w1 + j + n), u, b1), TL.MultiplyAdd(TL.Load(w2 + j + n), u, b2), TL.MultiplyAdd(TL.Load(w3 + j + n), u, b3));
        }
        for (; j < vectorEnd; j += n)
        {
            TV v = TL.Load(x + j);
            (a0, a1, a2, a3) = (TL.MultiplyAdd(TL.Load(w0 + j), v, a0), TL.MultiplyAdd(TL.Load(w1 + j), v, a1), TL.MultiplyAdd(TL.Load(w2 + j), v, a2), TL.MultiplyAdd(TL.Load(w3 + j), v, a3));
        }
        float s0 = TL.Sum(TL.Add(a0, b0)), s1 = TL.Sum(TL.Add(a1, b1)), s2 = TL.Sum(TL.Add(a2, b2)), s3 = TL.Sum(TL.Add(a3, b3));
        for (; j < j1; j++)
        {
            (s0, s1, s2, s3) = (s0 + (w0[j] * x[j]), s1 + (w1[j] * x[j]), s2 + (w2[j] * x[j]), s3 + (w3[j] * x[j]));
        }
        sums[0] += s0;
        sums[pitch] += s1;
        sums[2 * pitch] += s2;
        sums[3 * pitch] += s3;
    }

    // One row by one position over sources [j0, j1) (the rows past the last whole block of four).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot<TL, TV>(float* w, float* x, int j0, int j1)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count, vectorEnd = j0 + ((j1 - j0) / n * n);
        TV a = default;
        int j = j0;
        for (; j < vectorEnd; j += n)
        {
            a = TL.MultiplyAdd(TL.Load(w + j), TL.Load(x + j), a);
        }
        float sum = TL.Sum(a);
        for (; j < j1; j++)
        {
            sum += w[j] * x[j];
        }
        return sum;
    }

    // s[k] += value k, for four consecutive positions.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add4(float* s, float a, float b, float c, float d) => (s[0], s[1], s[2], s[3]) = (s[0] + a, s[1] + b, s[2] + c, s[3] + d);
}
