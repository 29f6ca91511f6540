using Shear.Graphs;

namespace Shear.Pruning.Structure;

/// <summary>
/// Channels that must be removed together. Every conv or linear layer opens a channel space (its output channels);
/// BN, activations and pooling pass their input's space on; an Add ties its inputs' spaces into one group (residual
/// connections), and so does a Mul (a squeeze-and-excitation gate scales channel c of the value by its own channel c);
/// a depthwise convolution ties its output space to its input's (filter c reads channel c alone), while another
/// grouped convolution fixes both (only whole groups could go); a Concat lays spaces side by side; Flatten turns each
/// channel into its H·W features. A group is a
/// set of tied spaces; removing its channel c removes output channel c of every producer, entry c of every BN on it,
/// and the matching input channels (or H·W features) of every consumer. The input's and the output layer's spaces
/// are fixed.
/// </summary>
public sealed class ChannelGraph
{
    private readonly ChannelRef[][] _maps;
    private readonly int[] _groupOfSpace;

    private ChannelGraph(ModelGraph graph, ChannelRef[][] maps, int[] groupOfSpace, IReadOnlyList<ChannelGroup> groups)
    {
        Graph = graph;
        _maps = maps;
        _groupOfSpace = groupOfSpace;
        Groups = groups;
    }

    /// <summary>The model description the groups were derived from.</summary>
    public ModelGraph Graph { get; }

    /// <summary>The prunable groups, ordered by their first producer in the graph.</summary>
    public IReadOnlyList<ChannelGroup> Groups { get; }

    /// <summary>Derives the groups of <paramref name="graph"/>.</summary>
    /// <exception cref="NotSupportedException">An Add whose inputs are not whole spaces in the same order.</exception>
    public static ChannelGraph Build(ModelGraph graph)
    {
        var nodes = graph.Nodes;
        var maps = new ChannelRef[nodes.Count][];
        var parent = Enumerable.Range(0, nodes.Count).ToArray();
        int Find(int x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        void Union(int a, int b) => parent[Find(a)] = Find(b);
        var fixedSpaces = new List<int> { 0, nodes.Count - 1 };
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            maps[i] = node.Layer switch
            {
                InputSpec => Identity(i, node.OutputShape[0]),
                Conv2dSpec { Groups: > 1 } c => Grouped(i, node, c, maps, Union, fixedSpaces),
                Conv2dSpec c => Identity(i, c.OutChannels),
                LinearSpec l => Identity(i, l.OutFeatures),
                FlattenSpec => Flatten(maps[node.Inputs[0]], nodes[node.Inputs[0]].OutputShape),
                ConcatSpec => [.. node.Inputs.SelectMany(j => maps[j])],
                AddSpec or MulSpec => Tie(node, maps, Union),
                // A removed channel must carry zeros: a function that maps 0 elsewhere (a sigmoid gives 1/2) keeps
                // its channels unless it only gates a product, where the gated channel's zero wins.
                SigmoidSpec or HardSigmoidSpec or ClipSpec { Min: > 0 } or ClipSpec { Max: < 0 }
                    when graph.Consumers(i).Any(r => nodes[r].Layer is not MulSpec) => Fix(i, node, maps, fixedSpaces),
                _ => maps[node.Inputs[0]],
            };
        }
        var fixedRoots = fixedSpaces.SelectMany(i => maps[i]).Select(r => Find(r.Space)).ToHashSet();
        var producers = Enumerable.Range(0, nodes.Count).Where(i => nodes[i].Layer is Conv2dSpec or LinearSpec).ToList();
        var groupOfSpace = Enumerable.Repeat(-1, nodes.Count).ToArray();
        var groups = new List<ChannelGroup>();
        foreach (var members in producers.Where(p => !fixedRoots.Contains(Find(p))).GroupBy(Find))
        {
            int id = groups.Count;
            foreach (int space in members)
            {
                groupOfSpace[space] = id;
            }
            groups.Add(new ChannelGroup(id, maps[members.First()].Length, [.. members.Select(p => nodes[p].Name)],
                Readers(graph, maps, members.ToHashSet())));
        }
        return new ChannelGraph(graph, maps, groupOfSpace, groups);
    }

    /// <summary>For node <paramref name="index"/>, each element of its channel (or feature) axis: the group it belongs
    /// to (−1: fixed) and its channel in that group.</summary>
    public IReadOnlyList<(int Group, int Channel)> Elements(int index) =>
        [.. _maps[index].Select(r => (_groupOfSpace[r.Space], r.Index))];

    private static ChannelRef[] Identity(int space, int count) => [.. Enumerable.Range(0, count).Select(k => new ChannelRef(space, k))];

    private static ChannelRef[] Flatten(ChannelRef[] input, IReadOnlyList<int> shape)
    {
        int perChannel = shape.Skip(1).Aggregate(1, (a, b) => a * b);
        return [.. input.SelectMany(r => Enumerable.Repeat(r, perChannel))];
    }

    private static ChannelRef[] Fix(int index, GraphNode node, ChannelRef[][] maps, List<int> fixedSpaces)
    {
        fixedSpaces.Add(index);
        return maps[node.Inputs[0]];
    }

    // A depthwise convolution opens its own space (its filters are rows to remove) tied to its input's; any other
    // grouped convolution keeps its input and output channels (the spaces listed as fixed).
    private static ChannelRef[] Grouped(int index, GraphNode node, Conv2dSpec conv, ChannelRef[][] maps, Action<int, int> union, List<int> fixedSpaces)
    {
        var input = maps[node.Inputs[0]];
        bool depthwise = conv.Groups == conv.InChannels && conv.Groups == conv.OutChannels;
        if (depthwise && input.All(r => r.Space == input[0].Space) && input.Select((r, k) => r.Index == k).All(b => b))
        {
            union(index, input[0].Space);
        }
        else
        {
            fixedSpaces.Add(node.Inputs[0]);
            fixedSpaces.Add(index);
        }
        return Identity(index, conv.OutChannels);
    }

    private static ChannelRef[] Tie(GraphNode node, ChannelRef[][] maps, Action<int, int> union)
    {
        var first = maps[node.Inputs[0]];
        foreach (int other in node.Inputs.Skip(1))
        {
            var map = maps[other];
            if (map.Length != first.Length || map.Where((r, k) => r.Index != first[k].Index || r.Space != map[0].Space).Any()
                || first.Any(r => r.Space != first[0].Space))
            {
                throw new NotSupportedException($"node '{node.Name}': an {(node.Layer is MulSpec ? "elementwise product" : "Add")} of inputs that are not whole channel spaces in the same order");
            }
            union(first[0].Space, map[0].Space);
        }
        return first;
    }

    private static IReadOnlyList<string> Readers(ModelGraph graph, ChannelRef[][] maps, HashSet<int> spaces) =>
        [.. graph.Nodes.Where((n, i) => n.Layer is Conv2dSpec or LinearSpec or BatchNorm2dSpec
            && (n.Layer is BatchNorm2dSpec ? maps[i] : maps[n.Inputs[0]]).Any(r => spaces.Contains(r.Space))).Select(n => n.Name)];

    /// <summary>An element of a channel axis: the space (the node index that opened it) and the channel in it.</summary>
    private readonly record struct ChannelRef(int Space, int Index);
}

/// <summary>Channels removed together.</summary>
/// <param name="Id">Index in <see cref="ChannelGraph.Groups"/>.</param>
/// <param name="Channels">Channels in the group (every producer has this many outputs).</param>
/// <param name="Producers">Conv and linear layers whose output channels the group is.</param>
/// <param name="Readers">BN layers on the group and the layers whose inputs include it.</param>
public sealed record ChannelGroup(int Id, int Channels, IReadOnlyList<string> Producers, IReadOnlyList<string> Readers);
