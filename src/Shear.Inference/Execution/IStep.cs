namespace Shear.Inference.Execution;

/// <summary>One operation of an <see cref="ExecutionPlan"/>, reading and writing slots of a <see cref="Workspace"/>.
/// Activations are channel-major, <c>[C][N][H][W]</c> (features <c>[F][N]</c>), so every channel of the whole batch
/// is one contiguous row: the layout the row-product kernels vectorise over.</summary>
internal interface IStep
{
    /// <summary>Floats of input scratch this step needs at <paramref name="batch"/>.</summary>
    public long ScratchIn(int batch) => 0;

    /// <summary>Floats of output scratch this step needs at <paramref name="batch"/>.</summary>
    public long ScratchOut(int batch) => 0;

    /// <summary>State this step keeps per batch size and thread count (offsets, segments); null for none.</summary>
    /// <param name="batch">Images per pass.</param>
    /// <param name="threads">Threads the step may share its work with (1: it runs on the caller's thread alone and
    /// may run on several workspaces at once, one per thread).</param>
    public object? Bind(int batch, int threads) => null;

    /// <summary>Runs the step on <paramref name="workspace"/>; <paramref name="state"/> is what <see cref="Bind"/> made.</summary>
    public void Run(Workspace workspace, object? state);
}

/// <summary>A value of the graph as the plan holds it: its slot and per-sample shape.</summary>
/// <param name="Slot">Workspace slot.</param>
/// <param name="Channels">Channels (or features).</param>
/// <param name="Height">Height (1 for features).</param>
/// <param name="Width">Width (1 for features).</param>
internal readonly record struct Value(int Slot, int Channels, int Height, int Width)
{
    /// <summary>Positions per channel and sample.</summary>
    public int Plane => Height * Width;

    /// <summary>Floats per sample.</summary>
    public long Size => (long)Channels * Plane;
}
