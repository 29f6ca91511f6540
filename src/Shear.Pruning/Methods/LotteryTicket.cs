using Shear.Masks;
using Shear.Pruning.Importance;
using Shear.Pruning.Schedules;
using Shear.Pruning.Selection;
using Shear.Training;

namespace Shear.Pruning.Methods;

/// <summary>
/// Iterative magnitude pruning with rewinding (Frankle &amp; Carbin 2019; Frankle et al. 2020): train E epochs;
/// then each round prunes <c>p</c> of the remaining weights by magnitude, rewinds the survivors to their values at
/// step k (k = 0: initial weights) and retrains E epochs with a fresh optimizer and schedule. Budget: E · (rounds + 1).
/// </summary>
public sealed class LotteryTicket(PruningRequest request) : IPruningMethod
{
    private const string RewindPoint = "rewind";

    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        var options = request.Method;
        if (options.RewindStep == 0 && !runner.HasWeights(RewindPoint))
        {
            runner.SaveWeights(RewindPoint);
        }
        var hooks = options.RewindStep > 0 ? new ITrainingHook[] { new SnapshotAtStep(options.RewindStep, () => runner.SaveWeights(RewindPoint)) } : [];
        runner.TrainDense(hooks);
        if (!runner.HasWeights(RewindPoint))
        {
            throw new ArgumentException($"--rewind-step {options.RewindStep} is beyond the dense training's last step");
        }
        int rounds = options.LthRounds ?? GeometricSchedule.RoundsFor(request.Sparsity, options.LthRate);
        var context = runner.Context;
        var masks = MaskSet.Full(context.Parameters);
        var records = new List<RoundRecord>();
        for (int round = 1; round <= rounds; round++)
        {
            double target = options.LthRounds is null
                ? (round == rounds ? request.Sparsity : GeometricSchedule.SparsityAfterRate(round, options.LthRate, request.Sparsity))
                : GeometricSchedule.SparsityAfter(round, rounds, request.Sparsity);
            var current = masks;
            masks = runner.Prune($"round-{round}", () =>
            {
                using var scores = new MagnitudeImportance().Score(context, current);
                return MaskSelectors.For(request.Selection).Select(scores, current, target);
            });
            current.Dispose();
            runner.LoadWeights(RewindPoint);
            var phase = runner.Train($"round-{round}", request.Training.Epochs, masks);
            records.Add(new RoundRecord(round, masks.Sparsity, phase.FinalTop1));
        }
        return new PruningOutcome(masks, records);
    }

    /// <summary>Calls <paramref name="save"/> right after optimizer step <paramref name="step"/>.</summary>
    private sealed class SnapshotAtStep(long step, Action save) : ITrainingHook
    {
        public void AfterOptimizerStep(TrainingContext context)
        {
            if (context.Step == step)
            {
                save();
            }
        }
    }
}
