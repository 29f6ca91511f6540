using System.Text.Json.Serialization;

namespace Shear.Graphs;

/// <summary>What one node of a <see cref="ModelGraph"/> computes. Closed set: every consumer (module builder,
/// MAC counter, dependency graph, exporters) switches over these records exhaustively. Stored in JSON with an
/// <c>op</c> discriminator (a compacted model's description lives in its <c>model.json</c>).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(InputSpec), "input")]
[JsonDerivedType(typeof(Conv2dSpec), "conv2d")]
[JsonDerivedType(typeof(BatchNorm2dSpec), "batch-norm2d")]
[JsonDerivedType(typeof(LinearSpec), "linear")]
[JsonDerivedType(typeof(ReluSpec), "relu")]
[JsonDerivedType(typeof(MaxPool2dSpec), "max-pool2d")]
[JsonDerivedType(typeof(GlobalAvgPoolSpec), "global-avg-pool")]
[JsonDerivedType(typeof(FlattenSpec), "flatten")]
[JsonDerivedType(typeof(AddSpec), "add")]
[JsonDerivedType(typeof(ConcatSpec), "concat")]
public abstract record LayerSpec
{
    /// <summary>Whether the node owns parameters (and so becomes a named TorchSharp module).</summary>
    public virtual bool HasParameters => false;
}

/// <summary>The graph's input: one image batch <c>[N, C, H, W]</c>.</summary>
public sealed record InputSpec : LayerSpec;

/// <summary>A 2-D convolution (square kernel). Weight <c>[out, in/groups, k, k]</c>.</summary>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels (filters).</param>
/// <param name="Kernel">Kernel side.</param>
/// <param name="Stride">Stride on both axes.</param>
/// <param name="Padding">Zero padding on every side.</param>
/// <param name="Bias">Whether the layer adds a bias (false when a BatchNorm follows).</param>
/// <param name="Groups">Convolution groups.</param>
public sealed record Conv2dSpec(int InChannels, int OutChannels, int Kernel, int Stride, int Padding, bool Bias, int Groups = 1)
    : LayerSpec
{
    /// <inheritdoc/>
    public override bool HasParameters => true;
}

/// <summary>Batch normalisation over channels, with affine scale (gamma) and shift (beta).</summary>
/// <param name="Channels">Normalised channels.</param>
public sealed record BatchNorm2dSpec(int Channels) : LayerSpec
{
    /// <inheritdoc/>
    public override bool HasParameters => true;
}

/// <summary>A fully connected layer. Weight <c>[out, in]</c>.</summary>
/// <param name="InFeatures">Input features.</param>
/// <param name="OutFeatures">Output features.</param>
/// <param name="Bias">Whether the layer adds a bias.</param>
public sealed record LinearSpec(int InFeatures, int OutFeatures, bool Bias = true) : LayerSpec
{
    /// <inheritdoc/>
    public override bool HasParameters => true;
}

/// <summary>Elementwise max(x, 0).</summary>
public sealed record ReluSpec : LayerSpec;

/// <summary>Max pooling with a square window.</summary>
/// <param name="Kernel">Window side.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Implicit padding (with −∞) on every side.</param>
public sealed record MaxPool2dSpec(int Kernel, int Stride, int Padding = 0) : LayerSpec;

/// <summary>Average over all spatial positions: <c>[N, C, H, W] → [N, C, 1, 1]</c>.</summary>
public sealed record GlobalAvgPoolSpec : LayerSpec;

/// <summary>Flattens everything after the batch axis: <c>[N, C, H, W] → [N, C·H·W]</c>.</summary>
public sealed record FlattenSpec : LayerSpec;

/// <summary>Elementwise sum of two or more inputs of equal shape (residual connections).</summary>
public sealed record AddSpec : LayerSpec;

/// <summary>Concatenation of inputs along the channel axis.</summary>
public sealed record ConcatSpec : LayerSpec;
