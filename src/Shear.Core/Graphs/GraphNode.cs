namespace Shear.Graphs;

/// <summary>One node of a <see cref="ModelGraph"/>.</summary>
/// <param name="Name">Unique name; for layers with parameters it is the module path (<c>layer1.0.conv1</c>), so
/// parameters are named <c>{Name}.weight</c> as in PyTorch.</param>
/// <param name="Layer">What the node computes.</param>
/// <param name="Inputs">Indices of the nodes it reads, all earlier in the graph (topological order).</param>
/// <param name="OutputShape">Its output shape without the batch axis: <c>[C, H, W]</c> or <c>[F]</c>.</param>
public sealed record GraphNode(string Name, LayerSpec Layer, IReadOnlyList<int> Inputs, IReadOnlyList<int> OutputShape)
{
    /// <summary>Number of values in one sample's output.</summary>
    public long OutputSize => OutputShape.Aggregate(1L, (a, b) => a * b);
}
