using Shear.Masks;
using Shear.Pruning.Importance;
using Shear.Pruning.Schedules;
using Shear.Pruning.Selection;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Pruning.Methods;

/// <summary>One mask update of a gradual method, as recorded in the result.</summary>
/// <param name="Step">Optimizer steps taken before the update.</param>
/// <param name="Epoch">0-based epoch it happened in.</param>
/// <param name="Target">The schedule's sparsity.</param>
/// <param name="Sparsity">Counted sparsity of the new mask.</param>
/// <param name="Regrown">Weights that were pruned and came back (0 unless regrowth is allowed).</param>
public sealed record PruningEvent(long Step, int Epoch, double Target, double Sparsity, long Regrown);

/// <summary>
/// Re-prunes by magnitude at each event of a schedule, right before that step's forward pass, and enforces the
/// current mask between events. Shared by gmp and pmp. Without regrowth only active weights are ranked, so masks are
/// monotone; with it, every weight is ranked and the mask only zeroes weights before forward (pruned weights keep
/// receiving updates and may come back).
/// </summary>
/// <remarks>With regrowth, an epoch-end evaluation sees pruned weights after their last update (one step of gradient
/// and momentum); the final model is masked. A resumed regrowth run rebuilds its mask at the next update, which is
/// exact when updates fall at epoch starts (the default).</remarks>
public sealed class GradualPruningHook(PruningContext pruning, ISparsitySchedule schedule, IMaskSelector selector, bool allowRegrowth)
    : ITrainingHook, IDisposable
{
    private readonly List<PruningEvent> _events = [];
    private MaskSet? _masks;
    private MaskApplier? _applier;

    /// <summary>The updates so far, in order.</summary>
    public IReadOnlyList<PruningEvent> Events => _events;

    /// <summary>A copy of the mask in force (all-keep before the first event). The caller owns it.</summary>
    public MaskSet CurrentMasks() => _masks?.Clone() ?? MaskSet.Full(pruning.Parameters);

    /// <inheritdoc/>
    public void OnEpochStart(TrainingContext context, int epoch)
    {
        if (_masks is null && context.Step > 0 && schedule.SparsityAt(context.Step - 1) > 0)
        {
            // Resumed mid-run: pruned weights are exactly zero in the checkpoint, so the mask is where they are not.
            using var noGrad = no_grad();
            Replace(new MaskSet(pruning.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Weight.ne(0)))));
        }
    }

    /// <inheritdoc/>
    public void BeforeForward(TrainingContext context)
    {
        if (schedule.IsPruningStep(context.Step))
        {
            Update(context);
        }
        _applier?.BeforeForward(context);
    }

    /// <inheritdoc/>
    public void AfterBackward(TrainingContext context, Tensor loss)
    {
        if (!allowRegrowth)
        {
            _applier?.AfterBackward(context, loss);
        }
    }

    /// <inheritdoc/>
    public void AfterOptimizerStep(TrainingContext context)
    {
        if (!allowRegrowth)
        {
            _applier?.AfterOptimizerStep(context);
        }
    }

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        _applier?.Dispose();
        _masks?.Dispose();
    }

    private void Update(TrainingContext context)
    {
        double target = schedule.SparsityAt(context.Step);
        using var full = MaskSet.Full(pruning.Parameters);
        var eligible = allowRegrowth ? full : _masks ?? full;
        MaskSet next;
        using (var scores = new MagnitudeImportance().Score(pruning, eligible))
        {
            next = selector.Select(scores, eligible, target);
        }
        long regrown = _masks is null ? 0 : next.Names.Sum(n => next[n].logical_and(_masks[n].logical_not()).count_nonzero().item<long>());
        _events.Add(new PruningEvent(context.Step, context.Epoch, target, next.Sparsity, regrown));
        Replace(next);
    }

    private void Replace(MaskSet masks)
    {
        _applier?.Dispose();
        _masks?.Dispose();
        _masks = masks;
        _applier = new MaskApplier(pruning.Parameters, masks);
    }
}
