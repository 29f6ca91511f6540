using Shear.Data;

namespace Shear.Graphs;

/// <summary>A tensor flowing through a graph under construction: the node that produces it and its shape.</summary>
/// <param name="Node">Index of the producing node.</param>
/// <param name="Shape">Shape without the batch axis: <c>[C, H, W]</c> or <c>[F]</c>.</param>
public readonly record struct GraphValue(int Node, IReadOnlyList<int> Shape)
{
    /// <summary>Channels (or features, for a flat value).</summary>
    public int Channels => Shape[0];

    /// <summary>Spatial side (height; the zoo's feature maps are square).</summary>
    public int Side => Shape.Count == 3 ? Shape[1] : 1;
}

/// <summary>
/// Builds a <see cref="ModelGraph"/> layer by layer, inferring every output shape and rejecting mismatches at
/// the line that causes them. A new architecture is a short function over this builder.
/// </summary>
public sealed class GraphBuilder
{
    private readonly string _name;
    private readonly ImageShape _input;
    private readonly List<GraphNode> _nodes = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Starts a graph whose input is one <paramref name="input"/> image per sample.</summary>
    public GraphBuilder(string name, ImageShape input)
    {
        _name = name;
        _input = input;
        Input = Add("input", new InputSpec(), [], [input.Channels, input.Height, input.Width]);
    }

    /// <summary>The graph's input value.</summary>
    public GraphValue Input { get; }

    /// <summary>A convolution named <paramref name="name"/> with a square kernel; <paramref name="groups"/> splits the
    /// channels into that many independent groups (as many as the channels: depthwise).</summary>
    public GraphValue Conv(GraphValue x, string name, int outChannels, int kernel, int stride = 1, int padding = 0, bool bias = true, int groups = 1)
    {
        RequireSpatial(x, name);
        int side = ((x.Shape[1] + (2 * padding) - kernel) / stride) + 1;
        int width = ((x.Shape[2] + (2 * padding) - kernel) / stride) + 1;
        if (side < 1 || width < 1)
        {
            throw new ArgumentException($"{_name}.{name}: a {kernel}x{kernel} kernel does not fit a {x.Shape[1]}x{x.Shape[2]} input.");
        }
        if (groups < 1 || x.Channels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"{_name}.{name}: {groups} groups do not divide {x.Channels} input and {outChannels} output channels.");
        }
        var spec = new Conv2dSpec(x.Channels, outChannels, kernel, stride, padding, bias, groups);
        return Add(name, spec, [x.Node], [outChannels, side, width]);
    }

    /// <summary>A depthwise convolution (one filter per channel) named <paramref name="name"/>.</summary>
    public GraphValue DepthwiseConv(GraphValue x, string name, int kernel, int stride = 1, int padding = 0, bool bias = false) =>
        Conv(x, name, x.Channels, kernel, stride, padding, bias, groups: x.Channels);

    /// <summary>A batch normalisation named <paramref name="name"/>.</summary>
    public GraphValue BatchNorm(GraphValue x, string name)
    {
        RequireSpatial(x, name);
        return Add(name, new BatchNorm2dSpec(x.Channels), [x.Node], x.Shape);
    }

    /// <summary>A fully connected layer named <paramref name="name"/>; the input must be flat.</summary>
    public GraphValue Linear(GraphValue x, string name, int outFeatures, bool bias = true)
    {
        if (x.Shape.Count != 1)
        {
            throw new ArgumentException($"{_name}.{name}: a linear layer needs a flat input, got [{string.Join(", ", x.Shape)}]; flatten first.");
        }
        return Add(name, new LinearSpec(x.Channels, outFeatures, bias), [x.Node], [outFeatures]);
    }

    /// <summary>A ReLU.</summary>
    public GraphValue Relu(GraphValue x) => Add(AutoName("relu"), new ReluSpec(), [x.Node], x.Shape);

    /// <summary>ReLU6, <c>min(max(x, 0), 6)</c>, or any other clip.</summary>
    public GraphValue Clip(GraphValue x, float min = 0, float max = 6) => Add(AutoName("clip"), new ClipSpec(min, max), [x.Node], x.Shape);

    /// <summary>The logistic sigmoid.</summary>
    public GraphValue Sigmoid(GraphValue x) => Add(AutoName("sigmoid"), new SigmoidSpec(), [x.Node], x.Shape);

    /// <summary><c>max(0, min(1, alpha·x + beta))</c> (PyTorch's hardsigmoid by default).</summary>
    public GraphValue HardSigmoid(GraphValue x, HardSigmoidSpec? spec = null) =>
        Add(AutoName("hardsigmoid"), spec ?? HardSigmoidSpec.PyTorch, [x.Node], x.Shape);

    /// <summary><c>x · relu6(x + 3) / 6</c>.</summary>
    public GraphValue HardSwish(GraphValue x) => Add(AutoName("hardswish"), new HardSwishSpec(), [x.Node], x.Shape);

    /// <summary>SiLU (swish), <c>x · sigmoid(x)</c>: a Sigmoid and a Mul, as ONNX writes it.</summary>
    public GraphValue Silu(GraphValue x) => Mul(x, Sigmoid(x));

    /// <summary>The elementwise product of two values with the same channels: of one shape, or one of them
    /// <c>[C, 1, 1]</c> scaling its channel of the other (a squeeze-and-excitation gate).</summary>
    public GraphValue Mul(GraphValue a, GraphValue b)
    {
        if (!a.Shape.SequenceEqual(b.Shape) && !Broadcasts(a, b))
        {
            throw new ArgumentException($"{_name}: a product needs two values of one shape, or a [C, 1, 1] gate and a [C, H, W] value, got [{string.Join(", ", a.Shape)}] x [{string.Join(", ", b.Shape)}].");
        }
        return Add(AutoName("mul"), new MulSpec(), [a.Node, b.Node], Larger(a, b).Shape);
    }

    /// <summary>Average pooling; <paramref name="countIncludePad"/> as PyTorch's <c>count_include_pad</c>.</summary>
    public GraphValue AvgPool(GraphValue x, int kernel, int stride, int padding = 0, bool countIncludePad = true)
    {
        RequireSpatial(x, "avgpool");
        int height = ((x.Shape[1] + (2 * padding) - kernel) / stride) + 1;
        int width = ((x.Shape[2] + (2 * padding) - kernel) / stride) + 1;
        if (height < 1 || width < 1 || padding * 2 > kernel)
        {
            throw new ArgumentException($"{_name}: a {kernel}x{kernel} average pool with padding {padding} does not fit a {x.Shape[1]}x{x.Shape[2]} input.");
        }
        return Add(AutoName("avgpool"), new AvgPool2dSpec(kernel, stride, padding, countIncludePad), [x.Node], [x.Channels, height, width]);
    }

    /// <summary>Softmax, or log-softmax, over a flat value's features.</summary>
    public GraphValue Softmax(GraphValue x, bool log = false)
    {
        if (x.Shape.Count != 1)
        {
            throw new ArgumentException($"{_name}: a softmax needs flat features, got [{string.Join(", ", x.Shape)}].");
        }
        return Add(AutoName(log ? "logsoftmax" : "softmax"), new SoftmaxSpec(log), [x.Node], x.Shape);
    }

    /// <summary>Convolution, batch norm and ReLU; the convolution has no bias since the norm's shift replaces it.</summary>
    public GraphValue ConvBnRelu(GraphValue x, string convName, string bnName, int outChannels, int kernel, int stride = 1, int padding = 0) =>
        Relu(BatchNorm(Conv(x, convName, outChannels, kernel, stride, padding, bias: false), bnName));

    /// <summary>
    /// Max pooling; left out (returns <paramref name="x"/>) when the input side is already below the window, so the
    /// zoo's CIFAR-sized architectures also run on smaller images. This never changes the parameter count.
    /// </summary>
    public GraphValue MaxPool(GraphValue x, int kernel, int stride, int padding = 0, bool ceilMode = false)
    {
        RequireSpatial(x, "maxpool");
        if (x.Shape[1] + (2 * padding) < kernel || x.Shape[2] + (2 * padding) < kernel)
        {
            return x;
        }
        var spec = new MaxPool2dSpec(kernel, stride, padding, ceilMode);
        return Add(AutoName("maxpool"), spec, [x.Node], [x.Channels, spec.OutputSide(x.Shape[1]), spec.OutputSide(x.Shape[2])]);
    }

    /// <summary>Global average pooling to <c>[C, 1, 1]</c>.</summary>
    public GraphValue GlobalAvgPool(GraphValue x)
    {
        RequireSpatial(x, "avgpool");
        return Add(AutoName("avgpool"), new GlobalAvgPoolSpec(), [x.Node], [x.Channels, 1, 1]);
    }

    /// <summary>Flattens to <c>[C·H·W]</c>.</summary>
    public GraphValue Flatten(GraphValue x) =>
        Add(AutoName("flatten"), new FlattenSpec(), [x.Node], [x.Shape.Aggregate(1, (a, b) => a * b)]);

    /// <summary>Flat features as a <c>[C, 1, 1]</c> map (the inverse of flattening one).</summary>
    public GraphValue Unsqueeze(GraphValue x)
    {
        if (x.Shape.Count != 1)
        {
            throw new ArgumentException($"{_name}: an unsqueeze to [C, 1, 1] needs flat features, got [{string.Join(", ", x.Shape)}].");
        }
        return Add(AutoName("unsqueeze"), new UnsqueezeSpec(), [x.Node], [x.Channels, 1, 1]);
    }

    /// <summary>Elementwise sum (a residual connection) of inputs of one shape; or of two, one of them <c>[C, 1, 1]</c>
    /// added to every position of its channel in the other (a per-channel offset, as ONNX's broadcasting Add).</summary>
    public GraphValue Add(params GraphValue[] inputs)
    {
        bool same = inputs.Length >= 2 && inputs.All(v => v.Shape.SequenceEqual(inputs[0].Shape));
        if (!same && !(inputs is [var a, var b] && Broadcasts(a, b)))
        {
            throw new ArgumentException(
                $"{_name}: an add needs two or more inputs of one shape, or a [C, 1, 1] and a [C, H, W] value, got {string.Join(" + ", inputs.Select(v => $"[{string.Join(", ", v.Shape)}]"))}.");
        }
        return Add(AutoName("add"), new AddSpec(), inputs.Select(v => v.Node).ToList(), inputs.Aggregate(Larger).Shape);
    }

    // Whether one of two maps with the same channels is [C, 1, 1], so it broadcasts over the other's positions.
    private static bool Broadcasts(GraphValue a, GraphValue b) =>
        a.Shape.Count == 3 && b.Shape.Count == 3 && a.Channels == b.Channels && (a.Shape is [_, 1, 1] || b.Shape is [_, 1, 1]);

    // Of two values that broadcast (or share a shape), the one whose shape the result has.
    private static GraphValue Larger(GraphValue a, GraphValue b) => b.Shape is [_, 1, 1] ? a : b.Shape.SequenceEqual(a.Shape) ? a : b;

    /// <summary>Concatenation along channels; every input must share the spatial size.</summary>
    public GraphValue Concat(params GraphValue[] inputs)
    {
        if (inputs.Length < 2 || inputs.Any(v => v.Shape.Count != 3 || !v.Shape.Skip(1).SequenceEqual(inputs[0].Shape.Skip(1))))
        {
            throw new ArgumentException($"{_name}: a concatenation needs two or more [C, H, W] inputs of one spatial size.");
        }
        int channels = inputs.Sum(v => v.Channels);
        return Add(AutoName("concat"), new ConcatSpec(), inputs.Select(v => v.Node).ToList(),
            [channels, inputs[0].Shape[1], inputs[0].Shape[2]]);
    }

    /// <summary>Finishes the graph; <paramref name="output"/> must be the last value added.</summary>
    public ModelGraph Build(GraphValue output)
    {
        if (output.Node != _nodes.Count - 1)
        {
            throw new InvalidOperationException($"{_name}: the output must be the last node added.");
        }
        return new ModelGraph(_name, _input, _nodes.ToList());
    }

    private GraphValue Add(string name, LayerSpec layer, IReadOnlyList<int> inputs, IReadOnlyList<int> shape)
    {
        if (!_names.Add(name))
        {
            throw new ArgumentException($"{_name}: two layers are named '{name}'.");
        }
        _nodes.Add(new GraphNode(name, layer, inputs, shape.ToArray()));
        return new GraphValue(_nodes.Count - 1, shape);
    }

    private string AutoName(string kind) => $"{kind}_{_nodes.Count}";

    private void RequireSpatial(GraphValue x, string name)
    {
        if (x.Shape.Count != 3)
        {
            throw new ArgumentException($"{_name}.{name}: needs a [C, H, W] input, got [{string.Join(", ", x.Shape)}].");
        }
    }
}
