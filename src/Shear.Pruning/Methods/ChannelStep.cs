using Shear.Pruning.Importance;
using Shear.Pruning.Selection;
using Shear.Pruning.Structure;

namespace Shear.Pruning.Methods;

/// <summary>One structured pruning event, shared by the channel methods: score the channels of the runner's current
/// model, select, save the plan (loaded instead on resume) and compact.</summary>
internal static class ChannelStep
{
    /// <summary>Plans under <paramref name="step"/> and compacts; returns the plan and the compacted model's
    /// context.</summary>
    /// <remarks>With a channel multiple above 1 (<c>--channel-multiple</c>) the selected plan is aligned within its
    /// own MACs (<see cref="ChannelAlignment.WithinBudget"/>), with half the multiple where that cannot fit.</remarks>
    public static (ChannelPlan Plan, PruningContext Context) Run(IPruningRunner runner, string step, IChannelImportance importance,
        IChannelSelector selector, MethodOptions options)
    {
        var context = runner.Context;
        var channels = ChannelGraph.Build(context.Model.Graph);
        var plan = runner.Plan(step, channels, () =>
        {
            var scores = importance.Score(context, channels);
            var selected = selector.Select(scores, channels).KeepingWhole(g => !InScope(context, g));
            // Blocks too wide for the budget (a group no wider than a block stays whole) give way to half-width ones.
            for (int multiple = options.ChannelMultiple; multiple > 1; multiple /= 2)
            {
                var aligned = ChannelAlignment.WithinBudget(selected, scores, multiple, options.ChannelFloor);
                if (aligned.Macs <= selected.Macs)
                {
                    if (multiple < options.ChannelMultiple)
                    {
                        runner.Warn($"{step}: blocks of {options.ChannelMultiple} channels cannot meet the budget; aligned to {multiple} instead");
                    }
                    return aligned;
                }
            }
            if (options.ChannelMultiple > 1)
            {
                runner.Warn($"{step}: no channel multiple above 1 meets the budget; channel counts left as selected");
            }
            return selected;
        });
        return (plan, runner.Compact(plan));
    }

    // A group none of whose producers is a prunable weight (--scope, --exclude-layers) stays whole; it still takes
    // its part of a global budget, as before plans replaced channel masks.
    private static bool InScope(PruningContext context, ChannelGroup group) =>
        group.Producers.Any(p => context.Parameters.Any(w => w.Layer.Name == p));
}
