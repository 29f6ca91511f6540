using Shear.Graphs;
using Shear.Pruning.Structure;
using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Pruning.Methods;

/// <summary>
/// Network slimming (Liu et al., ICCV 2017): train E epochs with an L1 penalty λ·Σ|γ| on every BN scale (its
/// subgradient λ·sign(γ) added to γ's gradient), rank all channels of all groups together by |γ| (summed over the
/// BNs on a group, so residual-tied channels are judged together), remove the lowest <c>--sparsity</c> fraction of
/// channels with a per-group floor, compact, fine-tune F epochs. Needs BN layers. Budget E + F.
/// </summary>
public sealed class NetworkSlimming(PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        if (runner.StartsFromTrained)
        {
            throw new ArgumentException("--from: 'slimming' trains the dense model itself, with its sparsity penalty on BN scales");
        }
        var context = runner.Context;
        var channels = ChannelGraph.Build(context.Model.Graph);
        var norms = context.Model.Graph.Nodes.Where(n => n.Layer is BatchNorm2dSpec).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        if (norms.Count == 0)
        {
            throw new ArgumentException($"--method slimming prunes by BN scales, and {context.Model.Graph.Name} has no BN layer");
        }
        runner.TrainDense([new ScalePenalty(context.Model, norms, request.Method.SlimmingLambda)]);
        using var masks = runner.Prune("channels", () => FilterSelection.ToMask(context, channels,
            FilterSelection.KeepGlobal(FilterSelection.GammaSums(context.Model, channels), channels, request.Sparsity, request.Method.ChannelFloor)));
        runner.Compact(channels, FilterSelection.FromMask(context, channels, masks));
        runner.Train("finetune", request.FinetuneEpochs, masks: null, fineTune: true);
        return new PruningOutcome(Masks.MaskSet.Full(runner.Context.Parameters), []);
    }

    /// <summary>Adds λ·sign(γ) to the gradient of every BN scale after backward.</summary>
    internal sealed class ScalePenalty(GraphModule model, IReadOnlySet<string> norms, double lambda) : ITrainingHook
    {
        private readonly Tensor[] _scales = [.. model.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal)
            && norms.Contains(p.name[..^".weight".Length])).Select(p => p.parameter)];

        public void AfterBackward(TrainingContext context, Tensor loss)
        {
            using var noGrad = no_grad();
            foreach (var gamma in _scales)
            {
                gamma.grad?.add_(gamma.sign(), alpha: lambda);
            }
        }
    }
}
