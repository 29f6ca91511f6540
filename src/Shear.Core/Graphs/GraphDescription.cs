using Shear.Data;

namespace Shear.Graphs;

/// <summary>A <see cref="ModelGraph"/> as plain data, for JSON (models that are not zoo entries: compacted or
/// imported ones).</summary>
/// <param name="Name">Architecture name.</param>
/// <param name="Input">Image shape.</param>
/// <param name="Nodes">The nodes in topological order.</param>
public sealed record GraphDescription(string Name, ImageShape Input, IReadOnlyList<GraphNode> Nodes)
{
    /// <summary>The graph, checked for order.</summary>
    /// <exception cref="ArgumentException">The nodes are not in topological order.</exception>
    public ModelGraph ToGraph() => ModelGraph.FromNodes(Name, Input, Nodes);
}
