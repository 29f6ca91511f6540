using Shear.Masks;
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
        bool fromTrained = runner.StartsFromTrained;
        long stepsPerEpoch = runner.StepsPerEpoch;
        var (masks, _) = GradualRun.Train(runner, request.Training.Epochs + request.FinetuneEpochs, epochs =>
        {
            long end = Math.Max(1, stepsPerEpoch * (fromTrained ? request.FinetuneEpochs * 3 / 4 : request.Training.Epochs));
            // Events run before a step's forward pass, so the last one must come before the last step.
            end = Math.Min(end, Math.Max(1, (stepsPerEpoch * epochs) - 1));
            return new PolynomialSchedule(0, request.Sparsity, 0, end, request.Method.GmpFrequency, Exponent: 3);
        }, allowRegrowth: false);
        return new PruningOutcome(masks, []);
    }
}

/// <summary>The one training phase of a gradual method: under a <see cref="GradualPruningHook"/>, the F fine-tune
/// epochs of a trained model (<c>--from</c>) or the method's own epochs from scratch.</summary>
internal static class GradualRun
{
    /// <summary>Trains and returns the final mask (owned by the caller) and every mask update.</summary>
    public static (MaskSet Masks, IReadOnlyList<PruningEvent> Events) Train(IPruningRunner runner, int scratchEpochs,
        Func<int, ISparsitySchedule> schedule, bool allowRegrowth)
    {
        var request = runner.Request;
        bool fromTrained = runner.StartsFromTrained;
        if (fromTrained)
        {
            runner.TrainDense();
        }
        int epochs = fromTrained ? request.FinetuneEpochs : scratchEpochs;
        using var hook = new GradualPruningHook(runner.Context, schedule(epochs), MaskSelectors.For(request.Selection), allowRegrowth);
        runner.Train(fromTrained ? "finetune" : "train", epochs, masks: null, hooks: [hook], fineTune: fromTrained);
        return (hook.CurrentMasks(), hook.Events);
    }
}
