using System.Diagnostics;
using Shear.Data;

namespace Shear.Graphs;

/// <summary>
/// The one description every model is built from: its layers in topological order and how tensors flow between
/// them. The TorchSharp module (<see cref="GraphModule"/>), the parameter and MAC counts, and the channel
/// dependency graph and exporters all derive from it, because TorchSharp cannot trace a module's graph.
/// </summary>
/// <remarks>Immutable; build one with <see cref="GraphBuilder"/>, which infers and checks every shape.</remarks>
public sealed class ModelGraph
{
    internal ModelGraph(string name, ImageShape input, IReadOnlyList<GraphNode> nodes)
    {
        Name = name;
        Input = input;
        Nodes = nodes;
    }

    /// <summary>A graph from nodes made elsewhere (surgery builds smaller graphs from a model's): node 0 must be the
    /// input and every node may read only earlier nodes.</summary>
    /// <exception cref="ArgumentException">The nodes break that order.</exception>
    public static ModelGraph FromNodes(string name, ImageShape input, IReadOnlyList<GraphNode> nodes)
    {
        if (nodes.Count < 2 || nodes[0].Layer is not InputSpec)
        {
            throw new ArgumentException("a graph needs an input node first and at least one more node", nameof(nodes));
        }
        for (int i = 1; i < nodes.Count; i++)
        {
            if (nodes[i].Inputs.Count == 0 || nodes[i].Inputs.Any(j => j < 0 || j >= i))
            {
                throw new ArgumentException($"node '{nodes[i].Name}' must read earlier nodes only", nameof(nodes));
            }
        }
        return new ModelGraph(name, input, nodes);
    }

    /// <summary>The graph as a plain record for JSON.</summary>
    public GraphDescription Describe() => new(Name, Input, Nodes);

    /// <summary>The architecture's name, e.g. <c>resnet20</c>.</summary>
    public string Name { get; }

    /// <summary>The image shape the graph was built for.</summary>
    public ImageShape Input { get; }

    /// <summary>Every node, inputs before the nodes that read them; node 0 is the input, the last the output.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>The output node (class logits, <c>[classes]</c>).</summary>
    public GraphNode Output => Nodes[^1];

    /// <summary>Nodes that own parameters, in graph order.</summary>
    public IEnumerable<GraphNode> ParameterLayers => Nodes.Where(n => n.Layer.HasParameters);

    /// <summary>The node called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No node has that name; the message lists a few that exist.</exception>
    public GraphNode Node(string name) =>
        Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new KeyNotFoundException(
            $"{Name} has no layer '{name}' (layers: {string.Join(", ", ParameterLayers.Take(8).Select(n => n.Name))}, …)");

    /// <summary>The position of node <paramref name="name"/> in <see cref="Nodes"/>.</summary>
    /// <exception cref="KeyNotFoundException">No node has that name (as <see cref="Node"/>).</exception>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (Nodes[i].Name == name)
            {
                return i;
            }
        }
        Node(name);
        throw new UnreachableException();
    }

    /// <summary>The nodes that read node <paramref name="index"/>'s output.</summary>
    public IEnumerable<int> Consumers(int index) =>
        Enumerable.Range(0, Nodes.Count).Where(i => Nodes[i].Inputs.Contains(index));
}
