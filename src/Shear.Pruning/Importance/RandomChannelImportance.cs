using Shear.Pruning.Structure;

namespace Shear.Pruning.Importance;

/// <summary>Uniform random channel scores from the run's seed: the structured control every channel criterion must
/// beat (<c>random-channel</c> runs l1-filter's flow with it: the same per-group budget, selector, plan and
/// compaction, with the filter norms replaced by chance).</summary>
public sealed class RandomChannelImportance : IChannelImportance
{
    /// <inheritdoc/>
    public IReadOnlyList<double[]> Score(PruningContext context, ChannelGraph channels)
    {
        // One managed stream, drawn group by group in graph order: the same seed and model give the same plan on
        // any device.
        var random = context.Random.Random("random-channel-importance");
        return [.. channels.Groups.Select(g => Enumerable.Range(0, g.Channels).Select(_ => random.NextDouble()).ToArray())];
    }
}
