using Shear.Pruning.Schedules;

namespace Shear.Pruning.Methods;

/// <summary>
/// Progressive magnitude pruning (Qureshi et al., arXiv:2606.12278; METHODS.md §2), as the authors' code runs it:
/// one training run of E epochs; at the start of each epoch the mask is recomputed from the magnitudes of the
/// still-active weights, one global threshold over all counted weights, the target rising linearly from s0 to the
/// final sparsity between the start epoch and the horizon, then held. Masks are enforced before forward, on
/// gradients and after the step; no regrowth. Every choice the paper leaves open is a <see cref="MethodOptions"/>
/// setting (<c>pmp-*</c>). From a trained model (<c>--from</c>) the same schedule runs over the F fine-tune epochs.
/// </summary>
public sealed class ProgressiveMagnitude(PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        long stepsPerEpoch = runner.StepsPerEpoch;
        var (masks, events) = GradualRun.Train(runner, request.Training.Epochs, epochs => Schedule(request, stepsPerEpoch, epochs), request.Method.PmpRegrowth);
        return new PruningOutcome(masks, []) { Details = new ProgressiveDetails(events) };
    }

    /// <summary>The schedule of <paramref name="request"/> for a run of <paramref name="epochs"/> epochs of
    /// <paramref name="stepsPerEpoch"/> optimizer steps.</summary>
    /// <exception cref="ArgumentException">The start epoch or horizon lies outside the run (validation refuses such
    /// a request first: <see cref="ProgressiveMagnitudeSettings.Check"/>).</exception>
    public static ProgressiveSchedule Schedule(PruningRequest request, long stepsPerEpoch, int epochs)
    {
        var o = request.Method;
        if (ProgressiveMagnitudeSettings.Within(o, epochs, $"the run's {epochs} epochs") is string problem)
        {
            throw new ArgumentException(problem);
        }
        int horizon = o.PmpHorizon ?? epochs;
        return new ProgressiveSchedule(o.PmpInitialSparsity, request.Sparsity, o.PmpStartEpoch * stepsPerEpoch,
            horizon * stepsPerEpoch, o.PmpFrequency ?? stepsPerEpoch, o.PmpRamp);
    }
}

/// <summary>What pmp adds to its result: every mask update with its target and realised sparsity.</summary>
/// <param name="Events">The updates in order.</param>
public sealed record ProgressiveDetails(IReadOnlyList<PruningEvent> Events);
