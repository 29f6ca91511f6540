using Shear.Pruning.Schedules;
using Shear.Pruning.Selection;

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
        // Events run before a step's forward pass, so the last one must come before the last step.
        end = Math.Min(end, Math.Max(1, (stepsPerEpoch * epochs) - 1));
        var schedule = new PolynomialSchedule(0, request.Sparsity, 0, end, request.Method.GmpFrequency, Exponent: 3);
        using var hook = new GradualPruningHook(context, schedule, MaskSelectors.For(request.Selection), allowRegrowth: false);
        runner.Train(fromTrained ? "finetune" : "train", epochs, masks: null, hooks: [hook], fineTune: fromTrained);
        return new PruningOutcome(hook.CurrentMasks(), []);
    }
}
