using System.Runtime.Intrinsics;

namespace Shear.Inference.Kernels;

/// <summary>Runs a <see cref="RowTask"/> with the kernel its weights need (dense, CSR or blocks) at the chosen register
/// width; the one place that maps <see cref="SimdWidth"/> to a lane type.</summary>
internal static unsafe class RowProduct
{
    /// <summary>The width <paramref name="width"/> resolves to on this CPU (<see cref="SimdWidth.Auto"/>: the widest
    /// accelerated one).</summary>
    /// <exception cref="PlatformNotSupportedException">The CPU does not accelerate the width asked for.</exception>
    public static SimdWidth Resolve(SimdWidth width) => width switch
    {
        SimdWidth.Auto => Vector512.IsHardwareAccelerated ? SimdWidth.Bits512 : Vector256.IsHardwareAccelerated ? SimdWidth.Bits256 : SimdWidth.Portable,
        SimdWidth.Bits512 when !Vector512.IsHardwareAccelerated => throw new PlatformNotSupportedException("this CPU has no AVX-512"),
        SimdWidth.Bits256 when !Vector256.IsHardwareAccelerated => throw new PlatformNotSupportedException("this CPU has no 256-bit vectors"),
        _ => width,
    };

    /// <summary>Runs <paramref name="task"/> (width already resolved).</summary>
    public static void Run(RowWeights weights, in RowTask task, SimdWidth width)
    {
        if (task.PositionStride > 0 && weights.Indexed)
        {
            // Sparse rows on a position-major input: one position at a time, each a sparse dot product.
            for (int q = 0; q < task.Length; q++)
            {
                var one = task;
                one.X = task.X + ((long)q * task.PositionStride);
                one.Y = task.Y + q;
                one.Length = 1;
                one.PositionStride = 0;
                Run(weights, one, width);
            }
            return;
        }
        if (weights.Blocked)
        {
            switch (width)
            {
                case SimdWidth.Bits512: BlockRowKernel.Run<Lanes512, Vector512<float>>(weights, task); break;
                case SimdWidth.Bits256: BlockRowKernel.Run<Lanes256, Vector256<float>>(weights, task); break;
                default: BlockRowKernel.Run<LanesAny, System.Numerics.Vector<float>>(weights, task); break;
            }
            return;
        }
        switch (width, weights.Sparse)
        {
            case (SimdWidth.Bits512, false): DenseRowKernel.Run<Lanes512, Vector512<float>>(weights, task); break;
            case (SimdWidth.Bits512, true): SparseRowKernel.Run<Lanes512, Vector512<float>>(weights, task); break;
            case (SimdWidth.Bits256, false): DenseRowKernel.Run<Lanes256, Vector256<float>>(weights, task); break;
            case (SimdWidth.Bits256, true): SparseRowKernel.Run<Lanes256, Vector256<float>>(weights, task); break;
            case (_, false): DenseRowKernel.Run<LanesAny, System.Numerics.Vector<float>>(weights, task); break;
            case (_, true): SparseRowKernel.Run<LanesAny, System.Numerics.Vector<float>>(weights, task); break;
        }
    }
}
