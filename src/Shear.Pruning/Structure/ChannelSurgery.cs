using Shear.Graphs;
using static TorchSharp.torch;

namespace Shear.Pruning.Structure;

/// <summary>
/// Makes channel removal physical: <see cref="Compact(GraphModule, ChannelPlan)"/> builds a smaller model
/// description and module and copies the kept weights into it; <see cref="ZeroRemoved"/> is the masked equivalent on
/// the original model (the removed channels' filters, biases and BN scale and shift set to zero, so those channels
/// carry exact zeros). The two give the same outputs, which the tests check for every zoo family.
/// </summary>
public static class ChannelSurgery
{
    /// <summary>A new module with only the channels <paramref name="keep"/> marks (one array per group of
    /// <paramref name="channels"/>, true = keep), the weights copied from <paramref name="model"/>. The caller owns it.</summary>
    /// <exception cref="ArgumentException">A keep array has the wrong length or keeps no channel.</exception>
    public static GraphModule Compact(GraphModule model, ChannelGraph channels, IReadOnlyList<bool[]> keep) =>
        Compact(model, new ChannelPlan(channels, keep));

    /// <summary>A new module with only the channels <paramref name="plan"/> keeps, the weights copied from
    /// <paramref name="model"/> (whose description the plan's groups were derived from). The caller owns it.</summary>
    public static GraphModule Compact(GraphModule model, ChannelPlan plan)
    {
        var channels = plan.Channels;
        var kept = Kept(channels, plan.Keep);
        var graph = channels.Graph;
        var compact = new GraphModule(CompactedGraph(graph, kept));
        var source = model.state_dict();
        var target = compact.state_dict();
        using var noGrad = no_grad();
        foreach (var (i, node) in graph.Nodes.Select((n, i) => (i, n)).Where(p => p.n.Layer.HasParameters))
        {
            using var rows = tensor(kept[i]);
            using var columns = tensor(node.Inputs.Count > 0 ? kept[node.Inputs[0]] : []);
            foreach (var (name, value) in target.Where(t => t.Key.StartsWith(node.Name + ".", StringComparison.Ordinal)))
            {
                var from = source[name];
                if (from.dim() == 0)
                {
                    value.copy_(from);
                    continue;
                }
                using var sliced = from.index_select(0, rows.to(from.device));
                // A grouped convolution's second axis is its channels per group, which stay (a depthwise one: 1).
                if (node.Layer is Conv2dSpec { Groups: 1 } or LinearSpec && from.dim() > 1)
                {
                    using var both = sliced.index_select(1, columns.to(from.device));
                    value.copy_(both);
                }
                else
                {
                    value.copy_(sliced);
                }
            }
        }
        return compact;
    }

    /// <summary>The description of the model <paramref name="plan"/> compacts to, without building it: what its
    /// parameter and MAC counts are read from (<see cref="ChannelPlan.Macs"/>).</summary>
    public static ModelGraph CompactedGraph(ChannelPlan plan) => CompactedGraph(plan.Channels.Graph, Kept(plan.Channels, plan.Keep));

    private static ModelGraph CompactedGraph(ModelGraph graph, long[][] kept)
    {
        var nodes = graph.Nodes.Select((node, i) => node with
        {
            Layer = Resized(node, kept[i].Length, node.Inputs.Count > 0 ? kept[node.Inputs[0]].Length : 0),
            OutputShape = [kept[i].Length, .. node.OutputShape.Skip(1)],
        }).ToList();
        // Flatten's output is 1-D: its length is the kept feature count, not channels × the rest.
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Layer is FlattenSpec)
            {
                nodes[i] = nodes[i] with { OutputShape = [kept[i].Length] };
            }
        }
        return ModelGraph.FromNodes(graph.Name, graph.Input, nodes);
    }

    /// <summary>Zeroes, in <paramref name="model"/>, the filters, biases and BN scale and shift of the channels
    /// <paramref name="keep"/> drops.</summary>
    public static void ZeroRemoved(GraphModule model, ChannelGraph channels, IReadOnlyList<bool[]> keep)
    {
        var graph = channels.Graph;
        var weights = model.state_dict();
        using var noGrad = no_grad();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (node.Layer is not (Conv2dSpec or LinearSpec or BatchNorm2dSpec))
            {
                continue;
            }
            long[] dropped = [.. channels.Elements(i).Select((e, k) => (e, k)).Where(p => p.e.Group >= 0 && !keep[p.e.Group][p.e.Channel]).Select(p => (long)p.k)];
            if (dropped.Length == 0)
            {
                continue;
            }
            using var rows = tensor(dropped);
            foreach (string suffix in new[] { "weight", "bias" })
            {
                if (weights.TryGetValue($"{node.Name}.{suffix}", out var value))
                {
                    value.index_fill_(0, rows.to(value.device), 0);
                }
            }
        }
    }

    /// <summary>The channels of each group that carry anything: a channel is removable (false) only when every
    /// producer's filter and bias for it and every BN scale and shift on it are exactly zero, so that removing it
    /// changes no output. Unstructured masks rarely empty a whole channel; structured methods always do. A group
    /// with no occupied channel keeps its first.</summary>
    public static IReadOnlyList<bool[]> Occupied(GraphModule model, ChannelGraph channels)
    {
        var weights = model.state_dict();
        var graph = channels.Graph;
        var keep = channels.Groups.Select(g => new bool[g.Channels]).ToList();
        using var noGrad = no_grad();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (node.Layer is not (Conv2dSpec or LinearSpec or BatchNorm2dSpec))
            {
                continue;
            }
            var elements = channels.Elements(i);
            foreach (string suffix in new[] { "weight", "bias" })
            {
                if (!weights.TryGetValue($"{node.Name}.{suffix}", out var value))
                {
                    continue;
                }
                bool[] used = [.. value.detach().reshape(value.shape[0], -1).ne(0).any(1).cpu().data<bool>().ToArray()];
                for (int k = 0; k < elements.Count; k++)
                {
                    if (elements[k].Group >= 0 && used[k])
                    {
                        keep[elements[k].Group][elements[k].Channel] = true;
                    }
                }
            }
        }
        // A group whose channels are all empty keeps one, so that the layer stays a layer (it outputs zeros).
        keep.Where(k => !k.Any(c => c)).ToList().ForEach(k => k[0] = true);
        return keep;
    }

    /// <summary>Per node, the positions of its channel (or feature) axis that stay.</summary>
    private static long[][] Kept(ChannelGraph channels, IReadOnlyList<bool[]> keep) =>
        [.. channels.Graph.Nodes.Select((_, i) => channels.Elements(i).Select((e, k) => (e, k))
            .Where(p => p.e.Group < 0 || keep[p.e.Group][p.e.Channel]).Select(p => (long)p.k).ToArray())];

    private static LayerSpec Resized(GraphNode node, int outputs, int inputs) => node.Layer switch
    {
        // Only a depthwise convolution's channels can go (ChannelGraph): it keeps one group per channel.
        Conv2dSpec { Groups: > 1 } c => c with { InChannels = inputs, OutChannels = outputs, Groups = c.Groups == c.OutChannels ? outputs : c.Groups },
        Conv2dSpec c => c with { InChannels = inputs, OutChannels = outputs },
        LinearSpec l => l with { InFeatures = inputs, OutFeatures = outputs },
        BatchNorm2dSpec => new BatchNorm2dSpec(outputs),
        var other => other,
    };
}
