using Shear.Pruning.Importance;
using Shear.Pruning.Selection;

namespace Shear.Pruning.Methods;

/// <summary>
/// Filter pruning after training: from a trained model, each channel group drops the fraction <c>--sparsity</c> of
/// its channels (or its own ratio from <c>--l1-layer-ratios</c>) with the lowest <paramref name="importance"/>,
/// the model is compacted into a smaller dense one and fine-tuned F epochs. With the L1 filter norm (summed over a
/// group's producers, so that channels tied by residual adds are judged together) it is Li et al.'s method
/// (<c>l1-filter</c>, ICLR 2017); with random scores it is <c>random-channel</c>. With <c>--l1-skip-residual</c>
/// only groups of one producer are pruned, as Li et al. do for ResNets. Budget E + F.
/// </summary>
public sealed class FilterPruning(IChannelImportance importance, PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        runner.TrainDense();
        var ratios = request.Method.L1Ratios?.Ratios ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, double>.Empty;
        // A latency search varies the fraction of the groups without a ratio of their own.
        IChannelSelector SelectorFor(double fraction) => GroupChannelSelector.Fraction(group =>
            request.Method.L1SkipResidual && group.Producers.Count > 1 ? 0
            : group.Producers.Select(p => ratios.TryGetValue(p, out double r) ? r : (double?)null).FirstOrDefault(r => r is not null) ?? fraction,
            request.Method.ChannelFloor);
        ChannelStep.Run(runner, "filters", importance, SelectorFor, request.Sparsity, request.Method);
        runner.Train("finetune", request.FinetuneEpochs, masks: null, fineTune: true);
        return new PruningOutcome(null, []);
    }

}
