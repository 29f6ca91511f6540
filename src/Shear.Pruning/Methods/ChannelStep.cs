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
    public static (ChannelPlan Plan, PruningContext Context) Run(IPruningRunner runner, string step, IChannelImportance importance,
        IChannelSelector selector)
    {
        var context = runner.Context;
        var channels = ChannelGraph.Build(context.Model.Graph);
        var plan = runner.Plan(step, channels, () => selector.Select(importance.Score(context, channels), channels)
            .KeepingWhole(g => !InScope(context, g)));
        return (plan, runner.Compact(plan));
    }

    // A group none of whose producers is a prunable weight (--scope, --exclude-layers) stays whole; it still takes
    // its part of a global budget, as before plans replaced channel masks.
    private static bool InScope(PruningContext context, ChannelGroup group) =>
        group.Producers.Any(p => context.Parameters.Any(w => w.Layer.Name == p));
}
