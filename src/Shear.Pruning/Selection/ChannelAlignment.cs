using Shear.Pruning.Structure;

namespace Shear.Pruning.Selection;

/// <summary>
/// Rounds the channels a plan keeps in each group to a multiple of a block width, so that compacted layers fill
/// the CPU's vector registers (runtimes such as ONNX Runtime fall back to slower kernels for other counts). A group
/// the plan keeps whole, or one no wider than a block, stays whole; every other group keeps a multiple of the block.
/// </summary>
public static class ChannelAlignment
{
    /// <summary>
    /// The aligned plan that stays within <paramref name="plan"/>'s MACs: each group first keeps its count rounded
    /// down (at least the aligned <paramref name="floor"/>; if that passes the budget, blocks are taken back from the
    /// groups that keep most of what they wanted), then whole blocks are added back, one at a time, to the group that
    /// lost most to rounding while the MACs still fit. Within a group the channels the plan kept come first,
    /// then the rest by score (<paramref name="scores"/>[group][channel], higher = keep).
    /// </summary>
    /// <remarks>The budget is met unless the aligned floors alone exceed it (a block wider than what the plan kept
    /// in every group); then each group keeps its floor.</remarks>
    public static ChannelPlan WithinBudget(ChannelPlan plan, IReadOnlyList<double[]> scores, int multiple, int floor)
    {
        if (multiple <= 1)
        {
            return plan;
        }
        var groups = plan.Channels.Groups;
        long budget = plan.Macs;
        var order = Order(plan, scores);
        int[] wanted = [.. groups.Select(g => plan.KeptIn(g.Id))];
        int[] lowest = [.. groups.Select(g => wanted[g.Id] == g.Channels ? g.Channels : Math.Min(g.Channels, RoundUp(Math.Max(1, floor), multiple)))];
        int[] count = [.. groups.Select(g => Math.Max(lowest[g.Id], Math.Min(g.Channels, wanted[g.Id] / multiple * multiple)))];
        // Floors raised to a block can pass the budget: take blocks back from the groups that keep the most of what
        // the selector wanted, until it fits or every group is at its floor.
        while (Build(plan, order, count, -1, 0).Macs > budget)
        {
            var shrink = groups.Where(g => count[g.Id] > lowest[g.Id]).OrderByDescending(g => (double)count[g.Id] / wanted[g.Id]).ThenBy(g => g.Id).FirstOrDefault();
            if (shrink is null)
            {
                break;
            }
            count[shrink.Id] = Math.Max(lowest[shrink.Id], count[shrink.Id] - multiple);
        }
        while (true)
        {
            // Candidates: one more block (or the rest of the group), the group that lost most to rounding first.
            var grown = groups.Where(g => count[g.Id] < g.Channels).OrderByDescending(g => wanted[g.Id] - count[g.Id]).ThenBy(g => g.Id)
                .Select(g => (g.Id, Count: Math.Min(g.Channels, count[g.Id] + multiple)))
                .FirstOrDefault(c => Build(plan, order, count, c.Id, c.Count).Macs <= budget, (Id: -1, Count: 0));
            if (grown.Id < 0)
            {
                return Build(plan, order, count, -1, 0);
            }
            count[grown.Id] = grown.Count;
        }
    }

    /// <summary>The aligned plan that keeps at least what <paramref name="plan"/> keeps: each group's count rounded up
    /// with the best-scored of the channels it dropped. For methods whose removed channels are already zero (a
    /// threshold emptied them), so that keeping some back leaves the model's function unchanged.</summary>
    public static ChannelPlan RoundingUp(ChannelPlan plan, IReadOnlyList<double[]> scores, int multiple)
    {
        if (multiple <= 1)
        {
            return plan;
        }
        var count = plan.Channels.Groups.Select(g => Math.Min(g.Channels, RoundUp(plan.KeptIn(g.Id), multiple))).ToArray();
        return Build(plan, Order(plan, scores), count, -1, 0);
    }

    /// <summary>Whether every group of <paramref name="plan"/> keeps a multiple of <paramref name="multiple"/>
    /// channels or all of its channels.</summary>
    public static bool IsAligned(ChannelPlan plan, int multiple) =>
        plan.Channels.Groups.All(g => plan.KeptIn(g.Id) == g.Channels || plan.KeptIn(g.Id) % multiple == 0);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    // Per group, its channels in the order they are kept: the plan's own first, then by score, ties to the lower index.
    private static int[][] Order(ChannelPlan plan, IReadOnlyList<double[]> scores)
    {
        var keep = plan.Keep;
        return [.. plan.Channels.Groups.Select(g => Enumerable.Range(0, g.Channels)
            .OrderByDescending(c => keep[g.Id][c]).ThenByDescending(c => scores[g.Id][c]).ThenBy(c => c).ToArray())];
    }

    private static ChannelPlan Build(ChannelPlan plan, int[][] order, int[] count, int changed, int changedCount) =>
        new(plan.Channels, [.. plan.Channels.Groups.Select(g =>
        {
            int n = g.Id == changed ? changedCount : count[g.Id];
            var keep = new bool[g.Channels];
            foreach (int c in order[g.Id].Take(n))
            {
                keep[c] = true;
            }
            return keep;
        })]);
}
