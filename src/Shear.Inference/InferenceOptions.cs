using Shear.Inference.Kernels;

namespace Shear.Inference;

/// <summary>How an <see cref="InferenceModel"/> runs.</summary>
public sealed record InferenceOptions
{
    /// <summary>
    /// Sparsity from which a conv or linear layer runs the CSR kernel instead of the dense one: the break-even
    /// measured by <c>shear bench kernels</c> on an AVX-512 core, 70 % for 3x3 and 1x1 convolutions and linear layers
    /// at batch 64 (60 % is still slower; docs/results/performance/sparse-inference.md).
    /// </summary>
    public const double DefaultSparseAbove = 0.7;

    /// <summary>
    /// Sparsity from which a convolution pruned in stripes (each filter keeps some kernel taps across all its input
    /// channels, as cdp-dtc leaves them) runs the shared-source block kernel: the break-even <c>shear bench kernels</c>
    /// measured for a 3x3 layer pruned in stripes, 30 % at batch 1 and 64 (docs/results/performance/sparse-inference.md).
    /// </summary>
    public const double DefaultStripesAbove = 0.3;

    /// <summary>Threads one pass may use (default: every core; 1 keeps a pass on the caller's thread).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Sparsity from which a layer is stored and run sparse (0: every layer; above 1: none).</summary>
    public double SparseAbove { get; init; } = DefaultSparseAbove;

    /// <summary>Sparsity from which a stripe-pruned convolution runs the block kernel (above 1: never).</summary>
    public double StripesAbove { get; init; } = DefaultStripesAbove;

    /// <summary>Multiply-adds per thread below which a layer runs on the caller's thread alone (waking the workers
    /// costs more than a small layer saves); 0 shares every layer.</summary>
    public long MinimumParallelWork { get; init; } = 1 << 20;

    /// <summary>Whether a batch runs the layers before the first small one (a linear layer, a convolution with fewer
    /// output positions per image than a register) one image at a time, each image's activations staying in cache
    /// from layer to layer and threads taking whole images; false runs every layer on the whole batch.</summary>
    public bool ImageByImage { get; init; } = true;

    /// <summary>Register width of the kernels (default: the widest this CPU accelerates).</summary>
    public SimdWidth Width { get; init; } = SimdWidth.Auto;
}
