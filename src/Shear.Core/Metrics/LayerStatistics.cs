using Shear.Graphs;

namespace Shear.Metrics;

/// <summary>Counts of one layer for one sample.</summary>
/// <param name="Name">Node name.</param>
/// <param name="Kind">Layer kind, e.g. <c>Conv2d</c>.</param>
/// <param name="OutputShape">Output shape without the batch axis.</param>
/// <param name="Parameters">Trainable parameters (buffers such as BN running statistics excluded).</param>
/// <param name="Macs">Multiply-accumulates for one sample (convolutions and linear layers only).</param>
public sealed record LayerStatistics(string Name, string Kind, IReadOnlyList<int> OutputShape, long Parameters, long Macs);

/// <summary>Parameter and MAC counts derived from a <see cref="ModelGraph"/>, without running it.</summary>
/// <remarks>
/// MACs follow the convention of the pruning literature: a convolution costs
/// <c>out_h·out_w·out_c·(in_c/groups)·k²</c>, a linear layer <c>in·out</c>; BN, activations, pooling and adds
/// count zero. FLOPs, where reported, are 2 × MACs. Verified against PyTorch by <c>peers/zoo_counts.py</c>.
/// </remarks>
public static class ModelStatistics
{
    /// <summary>One row per node that has parameters or costs MACs, in graph order.</summary>
    public static IReadOnlyList<LayerStatistics> Layers(ModelGraph graph) =>
        graph.Nodes.Where(n => n.Layer.HasParameters).Select(n => Of(n)).ToList();

    /// <summary>Total trainable parameters.</summary>
    public static long Parameters(ModelGraph graph) => Layers(graph).Sum(l => l.Parameters);

    /// <summary>Total MACs for one sample.</summary>
    public static long Macs(ModelGraph graph) => Layers(graph).Sum(l => l.Macs);

    private static LayerStatistics Of(GraphNode node)
    {
        var shape = node.OutputShape;
        return node.Layer switch
        {
            Conv2dSpec c => new(node.Name, "Conv2d", shape,
                ((long)c.OutChannels * (c.InChannels / c.Groups) * c.Kernel * c.Kernel) + (c.Bias ? c.OutChannels : 0),
                node.OutputSize * (c.InChannels / c.Groups) * c.Kernel * c.Kernel),
            LinearSpec l => new(node.Name, "Linear", shape,
                ((long)l.InFeatures * l.OutFeatures) + (l.Bias ? l.OutFeatures : 0),
                (long)l.InFeatures * l.OutFeatures),
            BatchNorm2dSpec b => new(node.Name, "BatchNorm2d", shape, 2L * b.Channels, 0),
            _ => new(node.Name, node.Layer.GetType().Name.Replace("Spec", "", StringComparison.Ordinal), shape, 0, 0),
        };
    }
}
