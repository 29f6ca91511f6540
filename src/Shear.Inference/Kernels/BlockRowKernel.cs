using System.Runtime.CompilerServices;

namespace Shear.Inference.Kernels;

/// <summary>
/// The shared-source block product: each block is up to four rows reading the same sources (for a stripe-pruned
/// 3x3 convolution, the filters that keep one tap), run as the dense kernel runs four rows, so a loaded input vector
/// feeds every row of the block. Blocks add into their rows, so a tile of positions is finished before the next:
/// bias first, every block, then the ReLU. Rows are never split between threads (a task covers every row).
/// </summary>
internal static unsafe class BlockRowKernel
{
    /// <summary>Runs <paramref name="task"/> with <paramref name="weights"/> (blocks); <see cref="RowTask.Offsets"/>
    /// holds one offset per block column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TL, TV>(RowWeights weights, in RowTask task)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count;
        if (task.Length >= 4 * n)
        {
            int q = 0;
            for (; q + (4 * n) <= task.Length; q += 4 * n)
            {
                Tile<TL, TV>(weights, task, q);
            }
            if (q < task.Length)
            {
                // A partial last tile: the tile that ends at the run's end, computed again from the bias (the overlap
                // gets the same values).
                Tile<TL, TV>(weights, task, task.Length - (4 * n));
            }
            return;
        }
        for (int q = 0; q < task.Length; q++)
        {
            Position(weights, task, q);
        }
    }

    // Four registers of positions of every row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TL, TV>(RowWeights weights, in RowTask task, int q)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count;
        float* bias = RowWeights.Address(weights.Bias);
        float* y = task.Y + q;
        for (int o = 0; o < weights.Outputs; o++)
        {
            float* row = y + ((long)o * task.OutRow);
            TV b = TL.Broadcast(bias[o]);
            TL.Store(row, b);
            TL.Store(row + n, b);
            TL.Store(row + (2 * n), b);
            TL.Store(row + (3 * n), b);
        }
        int* rows = RowWeights.Address(weights.BlockRows!);
        int* start = RowWeights.Address(weights.BlockStart!);
        float* values = RowWeights.Address(weights.Values!);
        float* x = task.X + q;
        int blocks = weights.BlockStart!.Length - 1;
        for (int b = 0; b < blocks; b++)
        {
            int* r = rows + (b * RowWeights.Block);
            int first = start[b], columns = start[b + 1] - first;
            float* w = values + (first * RowWeights.Block);
            int* offsets = task.Offsets + first;
            float* y0 = y + ((long)r[0] * task.OutRow);
            if (r[3] >= 0)
            {
                Block<TL, TV, Four>(w, offsets, columns, x, y0, y + ((long)r[1] * task.OutRow), y + ((long)r[2] * task.OutRow), y + ((long)r[3] * task.OutRow));
            }
            else if (r[2] >= 0)
            {
                Block<TL, TV, Three>(w, offsets, columns, x, y0, y + ((long)r[1] * task.OutRow), y + ((long)r[2] * task.OutRow), y0);
            }
            else if (r[1] >= 0)
            {
                Block<TL, TV, Two>(w, offsets, columns, x, y0, y + ((long)r[1] * task.OutRow), y0, y0);
            }
            else
            {
                Block<TL, TV, One>(w, offsets, columns, x, y0, y0, y0, y0);
            }
        }
        if (task.Relu)
        {
            for (int o = 0; o < weights.Outputs; o++)
            {
                float* row = y + ((long)o * task.OutRow);
                for (int k = 0; k < 4; k++)
                {
                    TL.Store(row + (k * n), TL.Max(TL.Load(row + (k * n)), default));
                }
            }
        }
    }

    // One block on one tile: its rows' partial sums are loaded, every column added in, and stored back. TR.Count is a
    // constant for the JIT, so the unused rows' registers and FMAs are compiled away.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TL, TV, TR>(float* w, int* offsets, int columns, float* x, float* y0, float* y1, float* y2, float* y3)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
        where TR : struct, IRowCount
    {
        int n = TL.Count;
        TV a0 = TL.Load(y0), a1 = TL.Load(y0 + n), a2 = TL.Load(y0 + (2 * n)), a3 = TL.Load(y0 + (3 * n));
        TV b0 = default, b1 = default, b2 = default, b3 = default;
        TV c0 = default, c1 = default, c2 = default, c3 = default;
        TV d0 = default, d1 = default, d2 = default, d3 = default;
        if (TR.Count > 1)
        {
            (b0, b1, b2, b3) = (TL.Load(y1), TL.Load(y1 + n), TL.Load(y1 + (2 * n)), TL.Load(y1 + (3 * n)));
        }
        if (TR.Count > 2)
        {
            (c0, c1, c2, c3) = (TL.Load(y2), TL.Load(y2 + n), TL.Load(y2 + (2 * n)), TL.Load(y2 + (3 * n)));
        }
        if (TR.Count > 3)
        {
            (d0, d1, d2, d3) = (TL.Load(y3), TL.Load(y3 + n), TL.Load(y3 + (2 * n)), TL.Load(y3 + (3 * n)));
        }
        for (int k = 0; k < columns; k++, w += RowWeights.Block)
        {
            float* p = x + offsets[k];
            TV v0 = TL.Load(p), v1 = TL.Load(p + n), v2 = TL.Load(p + (2 * n)), v3 = TL.Load(p + (3 * n));
            TV s = TL.Broadcast(w[0]);
            (a0, a1, a2, a3) = (TL.MultiplyAdd(s, v0, a0), TL.MultiplyAdd(s, v1, a1), TL.MultiplyAdd(s, v2, a2), TL.MultiplyAdd(s, v3, a3));
            if (TR.Count > 1)
            {
                s = TL.Broadcast(w[1]);
                (b0, b1, b2, b3) = (TL.MultiplyAdd(s, v0, b0), TL.MultiplyAdd(s, v1, b1), TL.MultiplyAdd(s, v2, b2), TL.MultiplyAdd(s, v3, b3));
            }
            if (TR.Count > 2)
            {
                s = TL.Broadcast(w[2]);
                (c0, c1, c2, c3) = (TL.MultiplyAdd(s, v0, c0), TL.MultiplyAdd(s, v1, c1), TL.MultiplyAdd(s, v2, c2), TL.MultiplyAdd(s, v3, c3));
            }
            if (TR.Count > 3)
            {
                s = TL.Broadcast(w[3]);
                (d0, d1, d2, d3) = (TL.MultiplyAdd(s, v0, d0), TL.MultiplyAdd(s, v1, d1), TL.MultiplyAdd(s, v2, d2), TL.MultiplyAdd(s, v3, d3));
            }
        }
        Store<TL, TV>(y0, a0, a1, a2, a3);
        if (TR.Count > 1)
        {
            Store<TL, TV>(y1, b0, b1, b2, b3);
        }
        if (TR.Count > 2)
        {
            Store<TL, TV>(y2, c0, c1, c2, c3);
        }
        if (TR.Count > 3)
        {
            Store<TL, TV>(y3, d0, d1, d2, d3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TL, TV>(float* y, TV a0, TV a1, TV a2, TV a3)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count;
        TL.Store(y, a0);
        TL.Store(y + n, a1);
        TL.Store(y + (2 * n), a2);
        TL.Store(y + (3 * n), a3);
    }

    // Runs shorter than four registers (batch-1 layers on tiny planes): one position at a time, each block's four
    // rows as one 4-float vector (a column's four weights are contiguous), the input value broadcast.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Position(RowWeights weights, in RowTask task, int q)
    {
        float* bias = RowWeights.Address(weights.Bias);
        for (int o = 0; o < weights.Outputs; o++)
        {
            task.Y[((long)o * task.OutRow) + q] = bias[o];
        }
        int* rows = RowWeights.Address(weights.BlockRows!), start = RowWeights.Address(weights.BlockStart!);
        float* values = RowWeights.Address(weights.Values!);
        float* x = task.X + q;
        int blocks = weights.BlockStart!.Length - 1;
        for (int b = 0; b < blocks; b++)
        {
            var sum = System.Runtime.Intrinsics.Vector128<float>.Zero;
            for (int k = start[b]; k < start[b + 1]; k++)
            {
                sum = System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(
                    System.Runtime.Intrinsics.Vector128.Load(values + (k * RowWeights.Block)), System.Runtime.Intrinsics.Vector128.Create(x[task.Offsets[k]]), sum);
            }
            int* r = rows + (b * RowWeights.Block);
            for (int lane = 0; lane < RowWeights.Block && r[lane] >= 0; lane++)
            {
                task.Y[((long)r[lane] * task.OutRow) + q] += sum[lane];
            }
        }
        if (task.Relu)
        {
            for (int o = 0; o < weights.Outputs; o++)
            {
                ref float v = ref task.Y[((long)o * task.OutRow) + q];
                v = MathF.Max(v, 0);
            }
        }
    }

    /// <summary>Rows in a block, as a type the JIT specialises on.</summary>
    private interface IRowCount
    {
        public static abstract int Count { get; }
    }

    private readonly struct One : IRowCount
    {
        public static int Count => 1;
    }

    private readonly struct Two : IRowCount
    {
        public static int Count => 2;
    }

    private readonly struct Three : IRowCount
    {
        public static int Count => 3;
    }

    private readonly struct Four : IRowCount
    {
        public static int Count => 4;
    }
}
