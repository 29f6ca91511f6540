using System.Runtime.CompilerServices;

namespace Shear.Inference.Kernels;

/// <summary>
/// The sparse row product (CSR weights, dense activations): for each output row, each non-zero weight is broadcast
/// and multiplied into four registers of positions read at its source's offset, so zero weights cost nothing. The
/// positions of a tile are read by every row, which keeps them in L1 while the rows stream past.
/// </summary>
internal static unsafe class SparseRowKernel
{
    /// <summary>Runs <paramref name="task"/> with <paramref name="weights"/> (CSR); <see cref="RowTask.Offsets"/> holds
    /// one offset per non-zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TL, TV>(RowWeights weights, in RowTask task)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int* rowStart = RowWeights.Address(weights.RowStart!);
        float* values = RowWeights.Address(weights.Values!);
        float* bias = RowWeights.Address(weights.Bias);
        int n = TL.Count;
        if (task.Length == 1)
        {
            Single(values, rowStart, bias, task);
            return;
        }
        int q = 0;
        for (; q + (4 * n) <= task.Length; q += 4 * n)
        {
            for (int o = task.OStart; o < task.OEnd; o++)
            {
                Row4<TL, TV>(values, task.Offsets, rowStart[o], rowStart[o + 1], bias[o], task, o, q);
            }
        }
        if (q < task.Length && task.Length >= 4 * n)
        {
            // A partial last tile, recomputed so that it ends at the run's end (see DenseRowKernel).
            for (int o = task.OStart; o < task.OEnd; o++)
            {
                Row4<TL, TV>(values, task.Offsets, rowStart[o], rowStart[o + 1], bias[o], task, o, task.Length - (4 * n));
            }
            q = task.Length;
        }
        for (; q + n <= task.Length; q += n)
        {
            Rows1<TL, TV>(values, rowStart, bias, task, q);
        }
        if (q < task.Length && task.Length >= n)
        {
            // The last partial register, recomputed so that it ends at the run's end (see DenseRowKernel).
            Rows1<TL, TV>(values, rowStart, bias, task, task.Length - n);
            q = task.Length;
        }
        for (; q < task.Length; q++)
        {
            for (int o = task.OStart; o < task.OEnd; o++)
            {
                float sum = bias[o];
                for (int e = rowStart[o]; e < rowStart[o + 1]; e++)
                {
                    sum += values[e] * task.X[task.Offsets[e] + q];
                }
                task.Y[(o * task.OutRow) + q] = task.Relu && sum < 0 ? 0 : sum;
            }
        }
    }

    // One position (batch-1 linear layers): a sparse dot product per row, in four partial sums so that the adds do
    // not wait on each other.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Single(float* values, int* rowStart, float* bias, in RowTask task)
    {
        float* x = task.X;
        int* offsets = task.Offsets;
        for (int o = task.OStart; o < task.OEnd; o++)
        {
            float s0 = bias[o], s1 = 0, s2 = 0, s3 = 0;
            int e = rowStart[o], end = rowStart[o + 1];
            for (; e + 3 < end; e += 4)
            {
                s0 += values[e] * x[offsets[e]];
                s1 += values[e + 1] * x[offsets[e + 1]];
                s2 += values[e + 2] * x[offsets[e + 2]];
                s3 += values[e + 3] * x[offsets[e + 3]];
            }
            for (; e < end; e++)
            {
                s0 += values[e] * x[offsets[e]];
            }
            float sum = s0 + s1 + (s2 + s3);
            task.Y[o * task.OutRow] = task.Relu && sum < 0 ? 0 : sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows1<TL, TV>(float* values, int* rowStart, float* bias, in RowTask task, int q)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        for (int o = task.OStart; o < task.OEnd; o++)
        {
            TV acc = TL.Broadcast(bias[o]);
            for (int e = rowStart[o]; e < rowStart[o + 1]; e++)
            {
                acc = TL.MultiplyAdd(TL.Broadcast(values[e]), TL.Load(task.X + task.Offsets[e] + q), acc);
            }
            TL.Store(task.Y + (o * task.OutRow) + q, task.Relu ? TL.Max(acc, default) : acc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row4<TL, TV>(float* values, int* offsets, int start, int end, float bias, in RowTask task, int o, int q)
        where TL : struct, ILanes<TL, TV>
        where TV : struct
    {
        int n = TL.Count;
        TV a0 = TL.Broadcast(bias), a1 = a0, a2 = a0, a3 = a0;
        TV b0 = default, b1 = default, b2 = default, b3 = default;
        float* x = task.X + q;
        int e = start;
        // Two non-zeros per step into two sets of accumulators: eight independent FMA chains hide the FMA latency
        // that four would expose.
        for (; e + 1 < end; e += 2)
        {
            float* p = x + offsets[e];
            float* r = x + offsets[e + 1];
            TV w = TL.Broadcast(values[e]);
            TV v = TL.Broadcast(values[e + 1]);
            a0 = TL.MultiplyAdd(w, TL.Load(p), a0);
            b0 = TL.MultiplyAdd(v, TL.Load(r), b0);
            a1 = TL.MultiplyAdd(w, TL.Load(p + n), a1);
            b1 = TL.MultiplyAdd(v, TL.Load(r + n), b1);
            a2 = TL.MultiplyAdd(w, TL.Load(p + (2 * n)), a2);
            b2 = TL.MultiplyAdd(v, TL.Load(r + (2 * n)), b2);
            a3 = TL.MultiplyAdd(w, TL.Load(p + (3 * n)), a3);
            b3 = TL.MultiplyAdd(v, TL.Load(r + (3 * n)), b3);
        }
        if (e < end)
        {
            float* p = x + offsets[e];
            TV w = TL.Broadcast(values[e]);
            a0 = TL.MultiplyAdd(w, TL.Load(p), a0);
            a1 = TL.MultiplyAdd(w, TL.Load(p + n), a1);
            a2 = TL.MultiplyAdd(w, TL.Load(p + (2 * n)), a2);
            a3 = TL.MultiplyAdd(w, TL.Load(p + (3 * n)), a3);
        }
        (a0, a1, a2, a3) = (TL.Add(a0, b0), TL.Add(a1, b1), TL.Add(a2, b2), TL.Add(a3, b3));
        if (task.Relu)
        {
            (a0, a1, a2, a3) = (TL.Max(a0, default), TL.Max(a1, default), TL.Max(a2, default), TL.Max(a3, default));
        }
        float* y = task.Y + (o * task.OutRow) + q;
        TL.Store(y, a0);
        TL.Store(y + n, a1);
        TL.Store(y + (2 * n), a2);
        TL.Store(y + (3 * n), a3);
    }
}
