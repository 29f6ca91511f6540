using Shear.Graphs;

namespace Shear.Pruning.Structure;

/// <summary>
/// Channels that must be removed together. Every conv or linear layer opens a channel space (its output channels);
/// BN, ReLU and pooling pass their input's space on; an Add ties its inputs' spaces into one group (residual
/// connections); a Concat lays spaces side by side; Flatten turns each channel into its H·W features. A group is a
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
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            maps[i] = node.Layer switch
            {
                InputSpec => Identity(i, node.OutputShape[0]),
                Conv2dSpec c => Identity(i, c.OutChannels),
                LinearSpec l => Identity(i, l.OutFeatures),
                FlattenSpec => Flatten(maps[node.Inputs[0]], nodes[node.Inputs[0]].OutputShape),
                ConcatSpec => [.. node.Inputs.SelectMany(j => maps[j])],
                AddSpec => Tie(node, maps, (a, b) => parent[Find(a)] = Find(b)),
                _ => maps[node.Inputs[0]],
            };
        }
        var fixedRoots = maps[0].Concat(maps[^1]).Select(r => Find(r.Space)).ToHashSet();
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

    private static ChannelRef[] Tie(GraphNode node, ChannelRef[][] maps, Action<int, int> union)
    {
        var first = maps[node.Inputs[0]];
        foreach (int other in node.Inputs.Skip(1))
        {
            var map = maps[other];
            if (map.Length != first.Length || map.Where((r, k) => r.Index != first[k].Index || r.Space != map[0].Space).Any()
                || first.Any(r => r.Space != first[0].Space))
            {
                throw new NotSupportedException($"node '{node.Name}': an Add of inputs that are not whole channel spaces in the same order");
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
