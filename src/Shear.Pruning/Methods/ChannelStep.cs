using System.Globalization;
using Shear.Pruning.Importance;
using Shear.Pruning.Latency;
using Shear.Pruning.Selection;
using Shear.Pruning.Structure;

namespace Shear.Pruning.Methods;

/// <summary>One structured pruning event, shared by the channel methods: score the channels of the runner's current
/// model, select, align, save the plan (loaded instead on resume) and compact.</summary>
internal static class ChannelStep
{
    /// <summary>Plans under <paramref name="step"/> and compacts; returns the plan and the compacted model's
    /// context. <paramref name="selectorFor"/> gives the selector that removes a fraction of the channels;
    /// <paramref name="sparsity"/> is the fraction, or, with a latency target, the most the search may remove.</summary>
    /// <remarks>With a channel multiple above 1 (<c>--channel-multiple</c>) the selected plan is aligned within its
    /// own MACs (<see cref="ChannelAlignment.WithinBudget"/>), with half the multiple where that cannot fit.</remarks>
    public static (ChannelPlan Plan, PruningContext Context) Run(IPruningRunner runner, string step, IChannelImportance importance,
        Func<double, IChannelSelector> selectorFor, double sparsity, MethodOptions options)
    {
        var context = runner.Context;
        var channels = ChannelGraph.Build(context.Model.Graph);
        var plan = runner.Plan(step, channels, () =>
        {
            var scores = importance.Score(context, channels);
            (ChannelPlan Plan, int Multiple) At(double fraction) =>
                Aligned(selectorFor(fraction).Select(scores, channels).KeepingWhole(g => !InScope(context, g)), scores, options);
            var (chosen, multiple) = options.TargetLatencyRatio is double target ? Search(runner, step, At, sparsity, target, channels) : At(sparsity);
            if (multiple < options.ChannelMultiple)
            {
                runner.Warn(multiple > 1 ? $"{step}: blocks of {options.ChannelMultiple} channels cannot meet the budget; aligned to {multiple} instead"
                    : $"{step}: no channel multiple above 1 meets the budget; channel counts left as selected");
            }
            return chosen;
        });
        return (plan, runner.Compact(plan));
    }

    private static (ChannelPlan Plan, int Multiple) Search(IPruningRunner runner, string step, Func<double, (ChannelPlan Plan, int Multiple)> at,
        double sparsity, double target, ChannelGraph channels)
    {
        var model = runner.Latency ?? throw new InvalidOperationException("--target-latency-ratio needs a latency model, and this run has none");
        var (candidate, chosen, _) = LatencySearch.Smallest(at, c => c.Plan, sparsity, target, model, channels.Graph);
        if (chosen.PredictedRatio > target)
        {
            runner.Warn(string.Create(CultureInfo.InvariantCulture,
                $"{step}: --target-latency-ratio {target} not reached; removing --sparsity {sparsity} of the channels is predicted at {chosen.PredictedRatio:0.###} of the dense latency"));
        }
        return candidate;
    }

    // Blocks too wide for the budget (a group no wider than a block stays whole) give way to half-width ones.
    private static (ChannelPlan Plan, int Multiple) Aligned(ChannelPlan selected, IReadOnlyList<double[]> scores, MethodOptions options)
    {
        for (int multiple = options.ChannelMultiple; multiple > 1; multiple /= 2)
        {
            var aligned = ChannelAlignment.WithinBudget(selected, scores, multiple, options.ChannelFloor);
            if (aligned.Macs <= selected.Macs)
            {
                return (aligned, multiple);
            }
        }
        return (selected, 1);
    }

    // A group none of whose producers is a prunable weight (--scope, --exclude-layers) stays whole; it still takes
    // its part of a global budget, as before plans replaced channel masks.
    private static bool InScope(PruningContext context, ChannelGroup group) =>
        group.Producers.Any(p => context.Parameters.Any(w => w.Layer.Name == p));
}
