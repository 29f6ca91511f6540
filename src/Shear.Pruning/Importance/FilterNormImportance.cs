using Shear.Pruning.Structure;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>Which norm of a filter (a producer's weight row) scores its channel.</summary>
public enum FilterNorm
{
    /// <summary>Σ|w| (Li et al., ICLR 2017).</summary>
    L1,

    /// <summary>√Σw² (soft filter pruning and most later filter criteria).</summary>
    L2,
}

/// <summary>A channel's filter norm, summed over its group's producers, so that channels tied by residual adds are
/// judged together. Li et al.'s criterion with <see cref="FilterNorm.L1"/>.</summary>
public sealed class FilterNormImportance(FilterNorm norm) : IChannelImportance
{
    /// <inheritdoc/>
    public IReadOnlyList<double[]> Score(PruningContext context, ChannelGraph channels) => Norms(context.Model, channels, norm);

    /// <summary>For each group, per channel, the sum over its producers of the <paramref name="norm"/> of the filter
    /// that makes the channel (norms taken in the weights' dtype, summed in float64).</summary>
    public static IReadOnlyList<double[]> Norms(Graphs.GraphModule model, ChannelGraph channels, FilterNorm norm)
    {
        var weights = model.state_dict();
        using var noGrad = no_grad();
        return [.. channels.Groups.Select(group =>
        {
            var sum = new double[group.Channels];
            foreach (string producer in group.Producers)
            {
                using var scope = NewDisposeScope();
                var weight = weights[producer + ".weight"].detach();
                var norms = norm switch
                {
                    FilterNorm.L1 => weight.abs().reshape(group.Channels, -1).sum(1),
                    FilterNorm.L2 => weight.square().reshape(group.Channels, -1).sum(1).sqrt(),
                    _ => throw new ArgumentOutOfRangeException(nameof(norm)),
                };
                double[] values = norms.to(float64).cpu().data<double>().ToArray();
                for (int c = 0; c < sum.Length; c++)
                {
                    sum[c] += values[c];
                }
            }
            return sum;
        })];
    }
}
