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

    /// <summary>The nodes that read node <paramref name="index"/>'s output.</summary>
    public IEnumerable<int> Consumers(int index) =>
        Enumerable.Range(0, Nodes.Count).Where(i => Nodes[i].Inputs.Contains(index));
}
