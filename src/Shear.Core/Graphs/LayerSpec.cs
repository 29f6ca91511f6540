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
[JsonDerivedType(typeof(ClipSpec), "clip")]
[JsonDerivedType(typeof(SigmoidSpec), "sigmoid")]
[JsonDerivedType(typeof(HardSigmoidSpec), "hard-sigmoid")]
[JsonDerivedType(typeof(HardSwishSpec), "hard-swish")]
[JsonDerivedType(typeof(MulSpec), "mul")]
[JsonDerivedType(typeof(AvgPool2dSpec), "avg-pool2d")]
[JsonDerivedType(typeof(SoftmaxSpec), "softmax")]
[JsonDerivedType(typeof(UnsqueezeSpec), "unsqueeze")]
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
/// <param name="CeilMode">Whether the output size rounds up, a last window hanging over the bottom and right edges
/// (SqueezeNet's pools), as PyTorch's <c>ceil_mode</c>.</param>
public sealed record MaxPool2dSpec(int Kernel, int Stride, int Padding = 0, bool CeilMode = false) : LayerSpec
{
    /// <summary>Output side for an input side of <paramref name="side"/>, as PyTorch computes it.</summary>
    public int OutputSide(int side)
    {
        int span = side + (2 * Padding) - Kernel;
        int output = (CeilMode ? (span + Stride - 1) / Stride : span / Stride) + 1;
        // A window may not start past the input and its left padding.
        return CeilMode && (output - 1) * Stride >= side + Padding ? output - 1 : output;
    }
}

/// <summary>Average over all spatial positions: <c>[N, C, H, W] → [N, C, 1, 1]</c>.</summary>
public sealed record GlobalAvgPoolSpec : LayerSpec;

/// <summary>Flattens everything after the batch axis: <c>[N, C, H, W] → [N, C·H·W]</c>.</summary>
public sealed record FlattenSpec : LayerSpec;

/// <summary>Elementwise sum of two or more inputs of equal shape (residual connections), or of a <c>[C, 1, 1]</c> value
/// and a <c>[C, H, W]</c> one (broadcast over the positions).</summary>
public sealed record AddSpec : LayerSpec;

/// <summary>Concatenation of inputs along the channel axis.</summary>
public sealed record ConcatSpec : LayerSpec;

/// <summary>Elementwise <c>min(max(x, Min), Max)</c>; ReLU6 is <c>Clip(0, 6)</c> (MobileNetV2).</summary>
/// <param name="Min">Lower bound.</param>
/// <param name="Max">Upper bound.</param>
public sealed record ClipSpec(float Min, float Max) : LayerSpec;

/// <summary>Elementwise logistic <c>1 / (1 + e^−x)</c>; SiLU (EfficientNet) is <c>x · sigmoid(x)</c>, a Sigmoid and a
/// <see cref="MulSpec"/>.</summary>
public sealed record SigmoidSpec : LayerSpec;

/// <summary>Elementwise <c>max(0, min(1, Alpha·x + Beta))</c>; PyTorch's <c>hardsigmoid</c> is Alpha 1/6, Beta 1/2
/// (MobileNetV3's squeeze-and-excitation gate).</summary>
/// <param name="Alpha">Slope.</param>
/// <param name="Beta">Offset.</param>
public sealed record HardSigmoidSpec(float Alpha, float Beta) : LayerSpec
{
    /// <summary>PyTorch's <c>hardsigmoid</c>: <c>relu6(x + 3) / 6</c>.</summary>
    public static HardSigmoidSpec PyTorch { get; } = new(1f / 6, 0.5f);
}

/// <summary>Elementwise <c>x · relu6(x + 3) / 6</c> (MobileNetV3).</summary>
public sealed record HardSwishSpec : LayerSpec;

/// <summary>Elementwise product of two inputs with the same channels: of equal shape (SiLU's <c>x · sigmoid(x)</c>), or
/// one <c>[C, 1, 1]</c> that scales every position of its channel in the other (a squeeze-and-excitation gate). The
/// output has the larger shape.</summary>
public sealed record MulSpec : LayerSpec;

/// <summary>Average pooling with a square window.</summary>
/// <param name="Kernel">Window side.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding on every side.</param>
/// <param name="CountIncludePad">Whether the padding counts in the divisor (PyTorch's default) or only the positions
/// inside the input.</param>
public sealed record AvgPool2dSpec(int Kernel, int Stride, int Padding = 0, bool CountIncludePad = true) : LayerSpec;

/// <summary>Softmax (or log-softmax) over the features of a flat value: a classifier's probabilities.</summary>
/// <param name="Log">Whether it is the log-softmax.</param>
public sealed record SoftmaxSpec(bool Log = false) : LayerSpec;

/// <summary>Features back to a <c>[C, 1, 1]</c> map: <c>[N, C] → [N, C, 1, 1]</c> (a squeeze-and-excitation gate made
/// of linear layers, before it scales a feature map).</summary>
public sealed record UnsqueezeSpec : LayerSpec;
