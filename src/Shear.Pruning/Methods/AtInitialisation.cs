using Shear.Masks;
using Shear.Pruning.Importance;
using Shear.Pruning.Schedules;
using Shear.Pruning.Selection;

namespace Shear.Pruning.Methods;

/// <summary>Prune the freshly initialised model by <paramref name="importance"/> in <paramref name="iterations"/>
/// geometric steps (1 for SNIP and GraSP, 100 for SynFlow), then train the sparse model for E + F epochs.</summary>
public sealed class AtInitialisation(IWeightImportance importance, int iterations, PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        var context = runner.Context;
        var masks = runner.Prune("prune-at-init", () =>
        {
            var current = MaskSet.Full(context.Parameters);
            var selector = MaskSelectors.For(request.Selection);
            // The model does not change between iterations: one scoring event (SynFlow's float64 copy made once).
            using var scoring = importance.Begin(context);
            for (int k = 1; k <= iterations; k++)
            {
                using var scores = scoring.Score(current);
                var next = selector.Select(scores, current, GeometricSchedule.SparsityAfter(k, iterations, request.Sparsity));
                current.Dispose();
                current = next;
            }
            return current;
        });
        runner.Train("train", request.Training.Epochs + request.FinetuneEpochs, masks);
        return new PruningOutcome(masks, []);
    }
}
