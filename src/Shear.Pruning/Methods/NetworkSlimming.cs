using Shear.Graphs;
using Shear.Pruning.Importance;
using Shear.Pruning.Selection;
using Shear.Training;
using TorchSharp;
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
        var context = runner.Context;
        var norms = context.Model.Graph.Nodes.Where(n => n.Layer is BatchNorm2dSpec).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        if (norms.Count == 0)
        {
            throw new ArgumentException($"--method slimming prunes by BN scales, and {context.Model.Graph.Name} has no BN layer");
        }
        using (var penalty = new ScalePenalty(context.Model, norms, request.Method.SlimmingLambda))
        {
            runner.TrainDense([penalty]);
        }
        ChannelStep.Run(runner, "channels", new BatchNormScaleImportance(), f => new GlobalChannelSelector(f, request.Method.ChannelFloor), request.Sparsity, request.Method);
        runner.Train("finetune", request.FinetuneEpochs, masks: null, fineTune: true);
        return new PruningOutcome(null, []);
    }

    /// <summary>Adds λ·sign(γ) to the gradient of every BN scale after backward.</summary>
    internal sealed class ScalePenalty(GraphModule model, IReadOnlySet<string> norms, double lambda) : ITrainingHook, IDisposable
    {
        private readonly Tensor[] _scales = [.. model.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal)
            && norms.Contains(p.name[..^".weight".Length])).Select(p => p.parameter)];

        // Owned, not converted from the double at every step (see docs/style.md).
        private readonly Scalar _lambda = lambda.ToScalar();

        public void AfterBackward(TrainingContext context, Tensor loss)
        {
            using var noGrad = no_grad();
            foreach (var gamma in _scales)
            {
                using var sign = gamma.sign();
                gamma.grad?.add_(sign, alpha: _lambda);
            }
        }

        public void Dispose() => _lambda.Dispose();
    }
}
