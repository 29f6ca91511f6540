using Shear.Masks;
using Shear.Pruning.Importance;
using Shear.Pruning.Selection;

namespace Shear.Pruning.Methods;

/// <summary>Train dense for E epochs (or load <c>--from</c>), prune once by <paramref name="importance"/>, fine-tune
/// for F epochs with the mask enforced. Used by <c>magnitude</c> and <c>random</c>.</summary>
public sealed class OneShotAfterTraining(IWeightImportance importance, PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        runner.TrainDense();
        var context = runner.Context;
        var masks = runner.Prune("prune", () =>
        {
            using var full = MaskSet.Full(context.Parameters);
            using var scores = importance.Score(context, full);
            return MaskSelectors.For(request.Selection).Select(scores, full, request.Sparsity);
        });
        runner.Train("finetune", request.FinetuneEpochs, masks, fineTune: true);
        return new PruningOutcome(masks, []);
    }
}
