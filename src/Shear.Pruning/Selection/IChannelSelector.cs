using Shear.Pruning.Structure;

namespace Shear.Pruning.Selection;

/// <summary>Which channels to drop under a budget: the structured counterpart of <see cref="IMaskSelector"/>.
/// A pure function of the scores (higher = keep); ties go to the earlier group and channel, and every group keeps
/// at least one channel.</summary>
public interface IChannelSelector
{
    /// <summary>The plan that keeps the best-scored channels of <paramref name="channels"/> under the selector's
    /// budget; <paramref name="scores"/> is indexed <c>[group id][channel]</c>.</summary>
    public ChannelPlan Select(IReadOnlyList<double[]> scores, ChannelGraph channels);
}
