using Shear.Inference.Kernels;

namespace Shear.Inference.Execution;

/// <summary>What every step of one plan runs with: thread count and resolved register width.</summary>
/// <param name="Threads">Threads a step may use (1: the caller's thread only).</param>
/// <param name="Width">Register width, resolved for this CPU.</param>
internal sealed record ExecutionOptions(int Threads, SimdWidth Width)
{
    /// <summary>The parallel loop's settings (made once: a pass allocates nothing on one thread).</summary>
    public ParallelOptions Parallel { get; } = new() { MaxDegreeOfParallelism = Threads };
}
