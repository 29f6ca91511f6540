namespace Shear.Pruning.Schedules;

/// <summary>When and how much: the target sparsity at a training step.</summary>
public interface ISparsitySchedule
{
    /// <summary>Target sparsity after <paramref name="step"/> optimizer steps.</summary>
    public double SparsityAt(long step);

    /// <summary>Whether a pruning event happens after <paramref name="step"/>.</summary>
    public bool IsPruningStep(long step);
}
