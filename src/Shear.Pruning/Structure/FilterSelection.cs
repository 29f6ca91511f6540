using Shear.Graphs;
using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Pruning.Structure;

/// <summary>
/// Structured selection over channel groups: each group's channels are scored (summed over the group's producers,
/// so channels tied by residual adds are judged together) and the lowest-scoring fraction is removed, keeping at
/// least a floor of channels per group. The result is expressed as keep arrays and as a <see cref="MaskSet"/>
/// whose producer rows are whole (the form the run host saves and resumes).
/// </summary>
public static class FilterSelection
{
    /// <summary>Li et al.'s filter score: for each group, per channel, the sum over its producers of the L1 norm of
    /// the filter (weight row) that makes the channel.</summary>
    public static IReadOnlyList<double[]> L1Norms(GraphModule model, ChannelGraph channels)
    {
        var weights = model.state_dict();
        using var noGrad = no_grad();
        return [.. channels.Groups.Select(group =>
        {
            var sum = new double[group.Channels];
            foreach (string producer in group.Producers)
            {
                using var norms = weights[producer + ".weight"].detach().abs().reshape(group.Channels, -1).sum(1).to(float64).cpu();
                double[] values = norms.data<double>().ToArray();
                for (int c = 0; c < sum.Length; c++)
                {
                    sum[c] += values[c];
                }
            }
            return sum;
        })];
    }

    /// <summary>Network slimming's channel score: for each group, per channel, the sum of |γ| over the BN layers on
    /// the group (zeros for a group without BN).</summary>
    public static IReadOnlyList<double[]> GammaSums(GraphModule model, ChannelGraph channels)
    {
        var weights = model.state_dict();
        var norms = model.Graph.Nodes.Where(n => n.Layer is BatchNorm2dSpec).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        using var noGrad = no_grad();
        return [.. channels.Groups.Select(g => g.Readers.Where(norms.Contains)
            .Select(bn => weights[bn + ".weight"].detach().abs().to(float64).cpu().data<double>().ToArray())
            .Aggregate(new double[g.Channels], (sum, gamma) => [.. sum.Zip(gamma, (a, b) => a + b)]))];
    }

    /// <summary>Keeps, in each group, all but the <paramref name="ratio"/>(group) lowest-scoring channels (rounded
    /// down), and never fewer than <paramref name="floor"/>; ties go to the earlier channel.</summary>
    public static IReadOnlyList<bool[]> Keep(IReadOnlyList<double[]> scores, ChannelGraph channels, Func<ChannelGroup, double> ratio, int floor)
    {
        return KeepCounts(scores, channels, group => group.Channels - (int)Math.Floor(ratio(group) * group.Channels), floor);
    }

    /// <summary>Keeps, in each group, the <paramref name="count"/>(group) highest-scoring channels (at least
    /// <paramref name="floor"/>, at most all); ties go to the earlier channel.</summary>
    public static IReadOnlyList<bool[]> KeepCounts(IReadOnlyList<double[]> scores, ChannelGraph channels, Func<ChannelGroup, int> count, int floor)
    {
        return [.. channels.Groups.Select(group =>
        {
            int keep = Math.Min(group.Channels, Math.Max(Math.Min(floor, group.Channels), count(group)));
            var order = Enumerable.Range(0, group.Channels).OrderByDescending(c => scores[group.Id][c]).ThenBy(c => c).Take(keep).ToHashSet();
            return Enumerable.Range(0, group.Channels).Select(order.Contains).ToArray();
        })];
    }

    /// <summary>Ranks the channels of all groups together and removes the <paramref name="fraction"/> of all
    /// channels with the lowest scores (rounded down), never leaving a group fewer than <paramref name="floor"/>;
    /// ties go to the earlier group and channel.</summary>
    public static IReadOnlyList<bool[]> KeepGlobal(IReadOnlyList<double[]> scores, ChannelGraph channels, double fraction, int floor)
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
            if (left[group] > Math.Min(floor, channels.Groups[group].Channels))
            {
                keep[group][channel] = false;
                left[group]--;
                remove--;
            }
        }
        return keep;
    }

    /// <summary>A mask over <paramref name="context"/>'s prunable weights that drops the producer rows of removed
    /// channels (everything else kept). The caller owns it.</summary>
    public static MaskSet ToMask(PruningContext context, ChannelGraph channels, IReadOnlyList<bool[]> keep)
    {
        var rows = channels.Groups.SelectMany(g => g.Producers.Select(p => (Producer: p, Keep: keep[g.Id]))).ToDictionary(x => x.Producer, x => x.Keep);
        // Groups whose producers are outside the scope cannot be expressed in the mask; they are kept whole.
        return new MaskSet(context.Parameters.Select(p =>
        {
            var mask = ones(p.Weight.shape, dtype: ScalarType.Bool, device: p.Weight.device);
            if (rows.TryGetValue(p.Layer.Name, out var kept))
            {
                using var dropped = tensor(Enumerable.Range(0, kept.Length).Where(c => !kept[c]).Select(c => (long)c).ToArray());
                mask.index_fill_(0, dropped.to(mask.device), false);
            }
            return KeyValuePair.Create(p.Name, mask);
        }));
    }

    /// <summary>The keep arrays a mask from <see cref="ToMask"/> stands for (a channel stays when any producer keeps
    /// any weight of its row).</summary>
    public static IReadOnlyList<bool[]> FromMask(PruningContext context, ChannelGraph channels, MaskSet masks)
    {
        var names = context.Parameters.ToDictionary(p => p.Layer.Name, p => p.Name);
        return [.. channels.Groups.Select(group =>
        {
            var keep = new bool[group.Channels];
            if (!group.Producers.Any(names.ContainsKey))
            {
                Array.Fill(keep, true);
            }
            foreach (string producer in group.Producers.Where(names.ContainsKey))
            {
                bool[] used = [.. masks[names[producer]].reshape(group.Channels, -1).any(1).cpu().data<bool>().ToArray()];
                for (int c = 0; c < keep.Length; c++)
                {
                    keep[c] |= used[c];
                }
            }
            return keep;
        })];
    }
}
