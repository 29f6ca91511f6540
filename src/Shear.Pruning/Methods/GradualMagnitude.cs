using Shear.Masks;
using Shear.Pruning.Importance;
using Shear.Pruning.Schedules;
using Shear.Pruning.Selection;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Pruning.Methods;

/// <summary>
/// Gradual magnitude pruning (Zhu &amp; Gupta 2017): one training run of E + F epochs (F epochs of fine-tuning when
/// starting from a trained model); the sparsity follows the cubic schedule from 0 at step 0 to the target at the
/// end of epoch E (or of 3/4 of F from a trained model), with a magnitude pruning event every Δt steps, then holds.
/// </summary>
public sealed class GradualMagnitude(PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        var context = runner.Context;
        bool fromTrained = runner.StartsFromTrained;
        if (fromTrained)
        {
            runner.TrainDense();
        }
        int epochs = fromTrained ? request.FinetuneEpochs : request.Training.Epochs + request.FinetuneEpochs;
        long stepsPerEpoch = (context.Training.Count + request.Training.BatchSize - 1) / request.Training.BatchSize;
        long end = fromTrained ? Math.Max(1, stepsPerEpoch * request.FinetuneEpochs * 3 / 4) : Math.Max(1, stepsPerEpoch * request.Training.Epochs);
        var schedule = new PolynomialSchedule(0, request.Sparsity, 0, end, request.Method.GmpFrequency, Exponent: 3);
        using var hook = new GradualPruningHook(context, schedule, MaskSelectors.For(request.Selection));
        runner.Train(fromTrained ? "finetune" : "train", epochs, masks: null, hooks: [hook], fineTune: fromTrained);
        return new PruningOutcome(hook.CurrentMasks(), []);
    }
}

/// <summary>
/// Re-prunes by magnitude at each event of a schedule and enforces the current mask between events. Shared by
/// gradual methods (gmp now; progressive magnitude pruning later).
/// </summary>
public sealed class GradualPruningHook(PruningContext pruning, ISparsitySchedule schedule, IMaskSelector selector) : ITrainingHook, IDisposable
{
    private MaskSet? _masks;
    private MaskApplier? _applier;

    /// <summary>A copy of the mask in force (all-keep before the first event). The caller owns it.</summary>
    public MaskSet CurrentMasks() => _masks?.Clone() ?? MaskSet.Full(pruning.Parameters);

    /// <inheritdoc/>
    public void OnEpochStart(TrainingContext context, int epoch)
    {
        if (_masks is null && schedule.SparsityAt(context.Step) > 0)
        {
            // Resumed mid-run: pruned weights are exactly zero in the checkpoint, so the mask is where they are not.
            using var noGrad = no_grad();
            Replace(new MaskSet(pruning.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Weight.ne(0)))));
        }
    }

    /// <inheritdoc/>
    public void BeforeForward(TrainingContext context) => _applier?.BeforeForward(context);

    /// <inheritdoc/>
    public void AfterBackward(TrainingContext context, Tensor loss) => _applier?.AfterBackward(context, loss);

    /// <inheritdoc/>
    public void AfterOptimizerStep(TrainingContext context)
    {
        _applier?.AfterOptimizerStep(context);
        if (!schedule.IsPruningStep(context.Step))
        {
            return;
        }
        var current = _masks ?? MaskSet.Full(pruning.Parameters);
        using (var scores = new MagnitudeImportance().Score(pruning, current))
        {
            var next = selector.Select(scores, current, schedule.SparsityAt(context.Step));
            if (!ReferenceEquals(current, _masks))
            {
                current.Dispose();
            }
            Replace(next);
        }
        _applier!.ApplyToWeights();
    }

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        _applier?.Dispose();
        _masks?.Dispose();
    }

    private void Replace(MaskSet masks)
    {
        _applier?.Dispose();
        _masks?.Dispose();
        _masks = masks;
        _applier = new MaskApplier(pruning.Parameters, masks);
    }
}
