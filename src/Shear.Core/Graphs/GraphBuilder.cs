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

    /// <summary>A convolution named <paramref name="name"/> with a square kernel.</summary>
    public GraphValue Conv(GraphValue x, string name, int outChannels, int kernel, int stride = 1, int padding = 0, bool bias = true)
    {
        RequireSpatial(x, name);
        int side = ((x.Shape[1] + (2 * padding) - kernel) / stride) + 1;
        int width = ((x.Shape[2] + (2 * padding) - kernel) / stride) + 1;
        if (side < 1 || width < 1)
        {
            throw new ArgumentException($"{_name}.{name}: a {kernel}x{kernel} kernel does not fit a {x.Shape[1]}x{x.Shape[2]} input.");
        }
        var spec = new Conv2dSpec(x.Channels, outChannels, kernel, stride, padding, bias);
        return Add(name, spec, [x.Node], [outChannels, side, width]);
    }

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

    /// <summary>Convolution, batch norm and ReLU; the convolution has no bias since the norm's shift replaces it.</summary>
    public GraphValue ConvBnRelu(GraphValue x, string convName, string bnName, int outChannels, int kernel, int stride = 1, int padding = 0) =>
        Relu(BatchNorm(Conv(x, convName, outChannels, kernel, stride, padding, bias: false), bnName));

    /// <summary>
    /// Max pooling; left out (returns <paramref name="x"/>) when the input side is already below the window, so the
    /// zoo's CIFAR-sized architectures also run on smaller images. This never changes the parameter count.
    /// </summary>
    public GraphValue MaxPool(GraphValue x, int kernel, int stride, int padding = 0)
    {
        RequireSpatial(x, "maxpool");
        if (x.Shape[1] + (2 * padding) < kernel || x.Shape[2] + (2 * padding) < kernel)
        {
            return x;
        }
        int height = ((x.Shape[1] + (2 * padding) - kernel) / stride) + 1;
        int width = ((x.Shape[2] + (2 * padding) - kernel) / stride) + 1;
        return Add(AutoName("maxpool"), new MaxPool2dSpec(kernel, stride, padding), [x.Node], [x.Channels, height, width]);
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

    /// <summary>Elementwise sum (a residual connection); every input must have the same shape.</summary>
    public GraphValue Add(params GraphValue[] inputs)
    {
        if (inputs.Length < 2 || inputs.Any(v => !v.Shape.SequenceEqual(inputs[0].Shape)))
        {
            throw new ArgumentException(
                $"{_name}: an add needs two or more inputs of one shape, got {string.Join(" + ", inputs.Select(v => $"[{string.Join(", ", v.Shape)}]"))}.");
        }
        return Add(AutoName("add"), new AddSpec(), inputs.Select(v => v.Node).ToList(), inputs[0].Shape);
    }

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
