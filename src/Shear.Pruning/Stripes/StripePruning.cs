using Shear.Graphs;
using Shear.Pruning.Importance;
using Shear.Pruning.Structure;
using static TorchSharp.torch;

namespace Shear.Pruning.Stripes;

/// <summary>One skeleton layer after the final structural pruning.</summary>
/// <param name="Layer">Conv node name.</param>
/// <param name="Filters">Filters before.</param>
/// <param name="FiltersKept">Filters with at least one stripe left.</param>
/// <param name="Stripes">Stripes before (filters × k × k).</param>
/// <param name="StripesKept">Stripes left.</param>
public sealed record StripeLayerRecord(string Layer, int Filters, int FiltersKept, int Stripes, int StripesKept);

/// <summary>Which threshold CDP + DTC's final structural pruning applies.</summary>
public enum DtcFinal
{
    /// <summary>The fixed global t for every stripe: |FS| ≤ t is dropped (the public code).</summary>
    Fixed,

    /// <summary>Each filter's T_o = t · mean(r) / r_o, the thresholds DTC applied during training.</summary>
    PerFilter,
}

/// <summary>
/// The final structural pruning of CDP + DTC (METHODS.md §4.3), with the fixed global threshold t (or, as an
/// option, each filter's dynamic threshold T_o): stripes below it are dropped, the surviving skeleton is folded into the kernel (W ← W · FS, then FS = 1, which leaves the
/// function unchanged), and a channel whose producers' filters are all empty is removed: its filters, biases and BN
/// scale and shift are zeroed here, so that compacting the model afterwards changes no output. Each group keeps at
/// least a floor of channels (its strongest).
/// </summary>
public static class StripePruning
{
    /// <summary>Prunes <paramref name="model"/> in place and returns the channel plan to compact it by and each
    /// skeleton layer's outcome.</summary>
    public static (ChannelPlan Plan, IReadOnlyList<StripeLayerRecord> Layers) Finalise(GraphModule model, ChannelGraph channels,
        double threshold, int floor, DtcFinal rule = DtcFinal.Fixed)
    {
        using var t = (TorchSharp.Scalar)threshold;
        var records = new List<StripeLayerRecord>();
        using (var noGrad = no_grad())
        {
            foreach (var (name, skeleton) in FilterSkeletons.All(model))
            {
                using var scope = NewDisposeScope();
                var keep = rule == DtcFinal.PerFilter ? DynamicThreshold.Keep(skeleton, t) : skeleton.abs() > threshold;
                var weight = model.Layer(name).get_parameter("weight")!;
                weight.mul_((skeleton * keep.to(skeleton.dtype)).unsqueeze(1));
                skeleton.fill_(1);
                var filters = keep.flatten(1).any(1);
                records.Add(new StripeLayerRecord(name, (int)skeleton.shape[0], (int)filters.sum().item<long>(),
                    (int)keep.numel(), (int)keep.sum().item<long>()));
            }
        }
        var kept = FilledChannels(model, channels, floor);
        ChannelSurgery.ZeroRemoved(model, channels, kept);
        return (new ChannelPlan(channels, kept), records);
    }

    // A channel stays when any producer's filter for it has a non-zero weight; a group left below the floor takes
    // back its channels of largest filter mass.
    private static IReadOnlyList<bool[]> FilledChannels(GraphModule model, ChannelGraph channels, int floor)
    {
        var mass = FilterNormImportance.Norms(model, channels, FilterNorm.L1);
        return [.. channels.Groups.Select(group =>
        {
            double[] m = mass[group.Id];
            var keep = m.Select(v => v > 0).ToArray();
            int missing = Math.Min(floor, group.Channels) - keep.Count(k => k);
            foreach (int c in Enumerable.Range(0, group.Channels).Where(c => !keep[c]).OrderByDescending(c => m[c]).ThenBy(c => c).Take(Math.Max(0, missing)))
            {
                keep[c] = true;
            }
            return keep;
        })];
    }

    /// <summary>The skeleton layers of <paramref name="model"/>: every k×k (k &gt; 1), ungrouped convolution among
    /// <paramref name="prunable"/>, with the BN right after it when its channel group has no other producer.</summary>
    public static IReadOnlyList<SkeletonLayer> Layers(GraphModule model, ChannelGraph channels, IEnumerable<string> prunable)
    {
        var nodes = model.Graph.Nodes;
        var names = prunable.ToHashSet(StringComparer.Ordinal);
        var sharedProducers = channels.Groups.Where(g => g.Producers.Count > 1).SelectMany(g => g.Producers).ToHashSet(StringComparer.Ordinal);
        return [.. nodes.Select((n, i) => (n, i)).Where(x => x.n.Layer is Conv2dSpec { Kernel: > 1, Groups: 1 } && names.Contains(x.n.Name))
            .Select(x => new SkeletonLayer(x.n.Name, sharedProducers.Contains(x.n.Name) ? []
                : [.. nodes.Where(b => b.Layer is BatchNorm2dSpec && b.Inputs[0] == x.i).Select(b => b.Name)]))];
    }
}
