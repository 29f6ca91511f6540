using System.Runtime.CompilerServices;

namespace Shear.Inference.Kernels;

/// <summary>
/// The dense row product: four output rows by four registers of positions per step, so each loaded input vector
/// feeds four FMAs and each broadcast weight four (16 accumulators, 24 registers in all); a single position
/// (batch-1 linear layers) is one dot product per row.
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
        if (task.Length == 1 && task.Contiguous)
        {
            Dot<TL, TV>(RowWeights.Address(weights.RowMajor!), bias, depth, task);
            return;
        }
        if (task.PositionStride > 0)
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

    // A few positions, position-major (a gathered layer on a 3x3 or 1x1 plane at batch 1): each row is dotted with
    // every position a chunk of sources at a time, so the chunk of weights is read from memory once and then from L1
    // (deep layers' weights do not fit in cache: reading them is the cost).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots<TL, TV>(float* rows, float* bias, int depth, in RowTask task)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count, stride = task.PositionStride, positions = task.Length;
        float* sums = stackalloc float[positions];
        for (int o = task.OStart; o < task.OEnd; o++)
        {
            float* w = rows + ((long)o * depth), y = task.Y + ((long)o * task.OutRow);
            for (int q = 0; q < positions; q++)
            {
                sums[q] = bias[o];
            }
            for (int j0 = 0; j0 < depth; j0 += DotChunk)
            {
                int j1 = Math.Min(depth, j0 + DotChunk), vectorEnd = j0 + ((j1 - j0) / n * n);
                int q = 0;
                for (; q + 4 <= positions; q += 4)
                {
                    float* x0 = task.X + ((long)q * stride);
                    float* x1 = x0 + stride, x2 = x1 + stride, x3 = x2 + stride;
                    TV a0 = default, a1 = default, a2 = default, a3 = default;
                    for (int j = j0; j < vectorEnd; j += n)
                    {
                        TV v = TL.Load(w + j);
                        a0 = TL.MultiplyAdd(v, TL.Load(x0 + j), a0);
                        a1 = TL.MultiplyAdd(v, TL.Load(x1 + j), a1);
                        a2 = TL.MultiplyAdd(v, TL.Load(x2 + j), a2);
                        a3 = TL.MultiplyAdd(v, TL.Load(x3 + j), a3);
                    }
                    float s0 = TL.Sum(a0), s1 = TL.Sum(a1), s2 = TL.Sum(a2), s3 = TL.Sum(a3);
                    for (int j = vectorEnd; j < j1; j++)
                    {
                        (s0, s1, s2, s3) = (s0 + (w[j] * x0[j]), s1 + (w[j] * x1[j]), s2 + (w[j] * x2[j]), s3 + (w[j] * x3[j]));
                    }
                    (sums[q], sums[q + 1], sums[q + 2], sums[q + 3]) = (sums[q] + s0, sums[q + 1] + s1, sums[q + 2] + s2, sums[q + 3] + s3);
                }
                for (; q < positions; q++)
                {
                    float* x = task.X + ((long)q * stride);
                    TV a0 = default, a1 = default;
                    int j = j0;
                    for (; j + (2 * n) <= vectorEnd; j += 2 * n)
                    {
                        a0 = TL.MultiplyAdd(TL.Load(w + j), TL.Load(x + j), a0);
                        a1 = TL.MultiplyAdd(TL.Load(w + j + n), TL.Load(x + j + n), a1);
                    }
                    for (; j < vectorEnd; j += n)
                    {
                        a0 = TL.MultiplyAdd(TL.Load(w + j), TL.Load(x + j), a0);
                    }
                    float sum = TL.Sum(TL.Add(a0, a1));
                    for (; j < j1; j++)
                    {
                        sum += w[j] * x[j];
                    }
                    sums[q] += sum;
                }
            }
            for (int q = 0; q < positions; q++)
            {
                y[q] = task.Relu && sums[q] < 0 ? 0 : sums[q];
            }
        }
    }

    // Sources per chunk of a row in Dots: 4 KB of weights, kept in L1 while every position reads them.
    private const int DotChunk = 1024;

    // One position whose sources are contiguous: each row is a dot product of the row-major weights with X.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot<TL, TV>(float* rows, float* bias, int depth, in RowTask task)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count;
        for (int o = task.OStart; o < task.OEnd; o++)
        {
            float* w = rows + ((long)o * depth);
            TV acc = default;
            int j = 0;
            for (; j + n <= depth; j += n)
            {
                acc = TL.MultiplyAdd(TL.Load(w + j), TL.Load(task.X + j), acc);
            }
            float sum = TL.Sum(acc) + bias[o];
            for (; j < depth; j++)
            {
                sum += w[j] * task.X[j];
            }
            task.Y[o * task.OutRow] = task.Relu && sum < 0 ? 0 : sum;
        }
    }
}
