using Shear.Graphs;
using static TorchSharp.torch;

namespace Shear.Masks;

/// <summary>Which layer kinds' weights are pruned and counted in sparsity.</summary>
public enum PrunableKinds
{
    /// <summary>Convolution and linear weights (the convention of the papers Shear reproduces).</summary>
    ConvAndLinear,

    /// <summary>Convolution weights only.</summary>
    Conv,

    /// <summary>Linear weights only.</summary>
    Linear,
}

/// <summary>One prunable weight tensor: its PyTorch-style name, its layer and the live parameter.</summary>
/// <param name="Name">Parameter name, e.g. <c>layer1.0.conv1.weight</c>.</param>
/// <param name="Layer">The graph node that owns it.</param>
/// <param name="Weight">The module's parameter (not owned).</param>
public sealed record PrunableParameter(string Name, GraphNode Layer, Tensor Weight)
{
    /// <summary>Number of weights.</summary>
    public long Count => Weight.numel();
}

/// <summary>Which weights a pruning method may remove; also the denominator of reported sparsity. Biases and BN
/// parameters are never pruned by unstructured methods.</summary>
public sealed record PrunableScope
{
    /// <summary>The default: every conv and linear weight.</summary>
    public static PrunableScope Default { get; } = new();

    /// <summary>Layer kinds whose weights count.</summary>
    public PrunableKinds Kinds { get; init; } = PrunableKinds.ConvAndLinear;

    /// <summary>Layer names left dense and out of the count (e.g. the first convolution).</summary>
    public IReadOnlyList<string> ExcludedLayers { get; init; } = [];

    /// <summary>A human-readable statement of the convention, recorded in results.</summary>
    public string Describe() => Kinds switch
    {
        PrunableKinds.ConvAndLinear => "conv and linear weights",
        PrunableKinds.Conv => "conv weights",
        PrunableKinds.Linear => "linear weights",
        _ => throw new InvalidOperationException(),
    } + (ExcludedLayers.Count > 0 ? $" except {string.Join(", ", ExcludedLayers)}" : "") + "; biases and BN excluded";

    /// <summary>The prunable weights of <paramref name="model"/>, in graph order.</summary>
    /// <exception cref="ArgumentException">An excluded layer does not exist or is not prunable; the message names it.</exception>
    public IReadOnlyList<PrunableParameter> Resolve(GraphModule model)
    {
        var candidates = model.Graph.ParameterLayers.Where(n => Includes(n.Layer)).ToList();
        foreach (string excluded in ExcludedLayers)
        {
            if (!candidates.Any(n => n.Name == excluded))
            {
                throw new ArgumentException($"--exclude-layers: '{excluded}' is not a prunable layer of {model.Graph.Name} "
                    + $"(prunable: {string.Join(", ", candidates.Select(n => n.Name))})");
            }
        }
        return [.. candidates.Where(n => !ExcludedLayers.Contains(n.Name))
            .Select(n => new PrunableParameter(n.Name + ".weight", n, model.Layer(n.Name).get_parameter("weight")!))];
    }

    private bool Includes(LayerSpec layer) => (layer, Kinds) switch
    {
        (Conv2dSpec, PrunableKinds.ConvAndLinear or PrunableKinds.Conv) => true,
        (LinearSpec, PrunableKinds.ConvAndLinear or PrunableKinds.Linear) => true,
        _ => false,
    };
}
