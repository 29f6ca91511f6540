using Shear.Pruning.Structure;

namespace Shear.Pruning.Selection;

/// <summary>Each group on its own: keeps the <paramref name="count"/>(group) highest-scoring channels, at least
/// <paramref name="floor"/> (and one), at most all; ties go to the earlier channel.</summary>
public sealed class GroupChannelSelector(Func<ChannelGroup, int> count, int floor) : IChannelSelector
{
    /// <summary>Removes the <paramref name="ratio"/>(group) fraction of each group's channels (rounded down), keeping
    /// at least <paramref name="floor"/>.</summary>
    public static GroupChannelSelector Fraction(Func<ChannelGroup, double> ratio, int floor) =>
        new(group => group.Channels - (int)Math.Floor(ratio(group) * group.Channels), floor);

    /// <inheritdoc/>
    public ChannelPlan Select(IReadOnlyList<double[]> scores, ChannelGraph channels) => new(channels, [.. channels.Groups.Select(group =>
    {
        int keep = Math.Min(group.Channels, Math.Max(Math.Max(1, Math.Min(floor, group.Channels)), count(group)));
        var order = Enumerable.Range(0, group.Channels).OrderByDescending(c => scores[group.Id][c]).ThenBy(c => c).Take(keep).ToHashSet();
        return Enumerable.Range(0, group.Channels).Select(order.Contains).ToArray();
    })]);
}
