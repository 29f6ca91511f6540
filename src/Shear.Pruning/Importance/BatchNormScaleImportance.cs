using Shear.Graphs;
using Shear.Pruning.Structure;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>Network slimming's channel score (Liu et al., ICCV 2017): |γ| of the BN layers on a channel's group,
/// summed (a group without BN scores zeros).</summary>
public sealed class BatchNormScaleImportance : IChannelImportance
{
    /// <inheritdoc/>
    public IReadOnlyList<double[]> Score(PruningContext context, ChannelGraph channels) => Sums(context.Model, channels);

    /// <summary>For each group, per channel, Σ|γ| over the BN layers on it.</summary>
    public static IReadOnlyList<double[]> Sums(GraphModule model, ChannelGraph channels)
    {
        var weights = model.state_dict();
        var norms = model.Graph.Nodes.Where(n => n.Layer is BatchNorm2dSpec).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        using var noGrad = no_grad();
        return [.. channels.Groups.Select(g => g.Readers.Where(norms.Contains)
            .Select(bn => Gamma(weights[bn + ".weight"]))
            .Aggregate(new double[g.Channels], (sum, gamma) => [.. sum.Zip(gamma, (a, b) => a + b)]))];
    }

    private static double[] Gamma(Tensor weight)
    {
        using var scope = NewDisposeScope();
        return weight.detach().abs().to(float64).cpu().data<double>().ToArray();
    }
}
