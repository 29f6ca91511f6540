using Shear.Pruning.Structure;

namespace Shear.Pruning.Importance;

/// <summary>
/// How much each channel matters, for structured pruning: one score per channel of every group of a
/// <see cref="ChannelGraph"/>, higher means keep. The structured counterpart of <see cref="IWeightImportance"/>;
/// an <see cref="Selection.IChannelSelector"/> turns the scores into a <see cref="ChannelPlan"/>.
/// </summary>
public interface IChannelImportance
{
    /// <summary>Scores, indexed <c>[group id][channel]</c>, of <paramref name="channels"/> (built from
    /// <paramref name="context"/>'s model). Channels tied by residual adds form one group and get one score.</summary>
    public IReadOnlyList<double[]> Score(PruningContext context, ChannelGraph channels);
}
