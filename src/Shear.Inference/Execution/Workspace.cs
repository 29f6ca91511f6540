namespace Shear.Inference.Execution;

/// <summary>
/// Every buffer one batch size needs, allocated once when that batch size is first run (pinned, so steps hold
/// pointers): a slot per live activation (slots are shared by values whose lifetimes do not overlap), two scratch
/// buffers for convolutions, and each step's state for this batch size. A forward pass allocates nothing.
/// </summary>
internal sealed unsafe class Workspace
{
    private readonly float[][] _slots;
    private readonly float[] _scratchIn;
    private readonly float[] _scratchOut;

    /// <summary>Buffers for <paramref name="batch"/> images of <paramref name="plan"/>, its steps bound to share
    /// their work with <paramref name="threads"/> threads.</summary>
    public Workspace(ExecutionPlan plan, int batch, int threads)
    {
        Batch = batch;
        _slots = [.. plan.SlotSizes.Select(size => Pinned(size * batch))];
        _scratchIn = Pinned(plan.Steps.Max(s => s.ScratchIn(batch)));
        _scratchOut = Pinned(plan.Steps.Max(s => s.ScratchOut(batch)));
        States = [.. plan.Steps.Select(s => s.Bind(batch, threads))];
    }

    /// <summary>Images per pass.</summary>
    public int Batch { get; }

    /// <summary>Each step's state for this batch size (null where a step keeps none).</summary>
    public object?[] States { get; }

    /// <summary>The buffer of slot <paramref name="slot"/>.</summary>
    public float* Slot(int slot) => Address(_slots[slot]);

    /// <summary>Scratch for a convolution's padded input.</summary>
    public float* ScratchIn => Address(_scratchIn);

    /// <summary>Scratch for a convolution's output before its padding columns are dropped.</summary>
    public float* ScratchOut => Address(_scratchOut);

    private static float[] Pinned(long size) => GC.AllocateArray<float>(checked((int)Math.Max(size, 1)), pinned: true);

    private static float* Address(float[] array) => Kernels.RowWeights.Address(array);
}
