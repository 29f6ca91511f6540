using Shear.Inference.Kernels;

namespace Shear.Inference.Execution;

/// <summary>What every step of one plan runs with: thread count and resolved register width.</summary>
/// <param name="Threads">Threads a step may use (1: the caller's thread only).</param>
/// <param name="Width">Register width, resolved for this CPU.</param>
/// <param name="MinimumParallelWork">Multiply-adds per thread below which a layer runs on one thread.</param>
internal sealed record ExecutionOptions(int Threads, SimdWidth Width, long MinimumParallelWork)
{
    /// <summary>The threads a pass shares its work with (made once per model: a pass allocates nothing).</summary>
    public WorkerPool Pool { get; } = new(Threads);
}
