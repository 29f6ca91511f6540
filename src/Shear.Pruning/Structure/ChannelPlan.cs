namespace Shear.Pruning.Structure;

/// <summary>
/// Which channels each group of a <see cref="ChannelGraph"/> keeps: the result of structured selection, what a run
/// saves for resume and what <see cref="ChannelSurgery.Compact(Graphs.GraphModule, ChannelPlan)"/> makes physical.
/// A value: it copies the arrays it is given and never changes.
/// </summary>
public sealed class ChannelPlan
{
    private readonly bool[][] _keep;

    /// <summary>A plan over <paramref name="channels"/>: one array per group, true = keep.</summary>
    /// <exception cref="ArgumentException">A keep array has the wrong length or keeps no channel.</exception>
    public ChannelPlan(ChannelGraph channels, IReadOnlyList<bool[]> keep)
    {
        if (keep.Count != channels.Groups.Count)
        {
            throw new ArgumentException($"expected {channels.Groups.Count} keep arrays (one per group), got {keep.Count}", nameof(keep));
        }
        foreach (var group in channels.Groups)
        {
            if (keep[group.Id].Length != group.Channels || !keep[group.Id].Any(k => k))
            {
                throw new ArgumentException($"group {group.Id} ({string.Join(", ", group.Producers)}): keep must have {group.Channels} entries and keep at least one", nameof(keep));
            }
        }
        Channels = channels;
        _keep = [.. keep.Select(k => (bool[])k.Clone())];
    }

    /// <summary>The groups the plan is over.</summary>
    public ChannelGraph Channels { get; }

    /// <summary>Per group (by id), per channel: whether it stays. Copies; the plan does not change.</summary>
    public IReadOnlyList<bool[]> Keep => [.. _keep.Select(k => (bool[])k.Clone())];

    /// <summary>Channels kept in group <paramref name="group"/>.</summary>
    public int KeptIn(int group) => _keep[group].Count(k => k);

    /// <summary>Channels kept over all groups.</summary>
    public int Kept => _keep.Sum(k => k.Count(c => c));

    /// <summary>Multiply-accumulates of one sample through the model this plan compacts to.</summary>
    public long Macs => Metrics.ModelStatistics.Macs(ChannelSurgery.CompactedGraph(this));

    /// <summary>The same plan with every group <paramref name="whole"/> picks kept entirely.</summary>
    public ChannelPlan KeepingWhole(Func<ChannelGroup, bool> whole) =>
        new(Channels, [.. Channels.Groups.Select(g => whole(g) ? Enumerable.Repeat(true, g.Channels).ToArray() : _keep[g.Id])]);
}
