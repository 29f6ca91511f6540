using Shear.Pruning.Structure;

namespace Shear.Pruning.Selection;

/// <summary>Ranks the channels of all groups together and removes the <paramref name="fraction"/> of all channels
/// with the lowest scores (rounded down), never leaving a group fewer than <paramref name="floor"/>; ties go to the
/// earlier group and channel. Scores must be comparable across groups (e.g. BN scales).</summary>
public sealed class GlobalChannelSelector(double fraction, int floor) : IChannelSelector
{
    /// <inheritdoc/>
    public ChannelPlan Select(IReadOnlyList<double[]> scores, ChannelGraph channels)
    {
        var keep = channels.Groups.Select(g => Enumerable.Repeat(true, g.Channels).ToArray()).ToList();
        var left = channels.Groups.Select(g => g.Channels).ToArray();
        int remove = (int)Math.Floor(fraction * left.Sum());
        var order = channels.Groups.SelectMany(g => Enumerable.Range(0, g.Channels).Select(c => (Group: g.Id, Channel: c)))
            .OrderBy(x => scores[x.Group][x.Channel]).ThenBy(x => x.Group).ThenBy(x => x.Channel);
        foreach (var (group, channel) in order)
        {
            if (remove == 0)
            {
                break;
            }
            // A group always keeps one channel, so that its layers stay layers.
            if (left[group] > Math.Max(1, Math.Min(floor, channels.Groups[group].Channels)))
            {
                keep[group][channel] = false;
                left[group]--;
                remove--;
            }
        }
        return new ChannelPlan(channels, keep);
    }
}
