using System.Text.RegularExpressions;
using Google.Protobuf;
using Shear.Data;
using Shear.Export.Onnx.Schema;
using Shear.Graphs;
using Shear.Models;
using static TorchSharp.torch;

namespace Shear.Export.Onnx;

/// <summary>
/// Reads an ONNX image classifier made of the operators the model description supports into a Shear model: the
/// graph becomes a <see cref="ModelGraph"/> (kept in the card's description) and the initializers its weights.
/// </summary>
/// <remarks>
/// Supported: Conv (square kernel, equal strides, symmetric padding, any group count, no dilation), BatchNormalization,
/// Gemm and MatMul (a following Add of a constant becomes the bias), Relu, Clip (ReLU6), Sigmoid, HardSigmoid,
/// HardSwish, Mul and Add (equal shapes, or a [C, 1, 1] value broadcast), MaxPool (also ceil_mode), AveragePool (with
/// count_include_pad), GlobalAveragePool, ReduceMean over height and width, Add, Concat (channels), Flatten, Reshape
/// and Squeeze to [batch, features], Softmax and LogSoftmax over the features, a zero Pad before a Conv or
/// AveragePool (folded into its padding), Unsqueeze of features to [C, 1, 1], and Identity, Dropout and Constant
/// (resolved at import, on initializers too). Layers are named after their weight initializers (PyTorch's
/// <c>layer1.0.conv1.weight</c> gives <c>layer1.0.conv1</c>), or after PyTorch's node scopes where the exporter renamed
/// the weights, so an export from PyTorch keeps its names.
/// </remarks>
public static partial class OnnxImporter
{
    /// <summary>The operators <see cref="Import"/> reads.</summary>
    public static IReadOnlyList<string> SupportedOperators { get; } =
        ["Conv", "BatchNormalization", "Gemm", "MatMul", "Add", "Mul", "Relu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish",
         "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean", "Concat", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Softmax",
         "LogSoftmax", "Pad", "Identity", "Dropout", "Constant"];

    /// <summary>Reads <paramref name="path"/>; the module is on the CPU.</summary>
    /// <exception cref="InvalidDataException">The file is not ONNX, or uses something Shear cannot represent; the
    /// message names the file, the node and its operator.</exception>
    public static (ModelCard Card, GraphModule Module) Import(string path)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not an ONNX model ({e.Message})", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new InvalidDataException($"{path}: the ONNX model has no graph nodes");
        }
        return new Reader(path, model.Graph).Read();
    }

    [GeneratedRegex("[^A-Za-z0-9_.]")]
    private static partial Regex UnsafeNameCharacters();

    private sealed class Reader(string path, GraphProto graph)
    {
        private readonly Dictionary<string, TensorProto> _constants = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        private readonly Dictionary<string, GraphValue> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, float[]>> _weights = new(StringComparer.Ordinal);
        private readonly HashSet<string> _layerNames = new(StringComparer.Ordinal);
        // MatMul outputs whose bias may still come from the Add that follows: value name -> layer name.
        private readonly Dictionary<string, string> _biasless = new(StringComparer.Ordinal);
        // Outputs of zero Pad nodes, to be folded into the Conv or AveragePool that reads them: the padded value and
        // its padding per side.
        private readonly Dictionary<string, (string Source, int Padding)> _padded = new(StringComparer.Ordinal);
        private GraphBuilder _builder = null!;

        public (ModelCard Card, GraphModule Module) Read()
        {
            var input = graph.Input.FirstOrDefault(i => !_constants.ContainsKey(i.Name))
                ?? throw new InvalidDataException($"{path}: the graph has no input besides its initializers");
            var dims = input.Type?.TensorType?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToList() ?? [];
            if (dims.Count != 4 || dims.Skip(1).Any(d => d < 1))
            {
                throw new InvalidDataException($"{path}: input '{input.Name}' must be [batch, channels, height, width] with fixed channels and size, got [{string.Join(", ", dims)}]");
            }
            var shape = new ImageShape((int)dims[1], (int)dims[2], (int)dims[3]);
            // PyTorch names every exported graph "torch_jit" (older versions "torch-jit-export"): the file says more.
            bool generic = string.IsNullOrWhiteSpace(graph.Name) || graph.Name.StartsWith("torch_jit", StringComparison.Ordinal)
                || graph.Name.StartsWith("torch-jit", StringComparison.Ordinal);
            string name = generic ? Path.GetFileNameWithoutExtension(path) : graph.Name;
            _builder = new GraphBuilder(SafeName(name), shape);
            _values[input.Name] = _builder.Input;
            foreach (var node in graph.Node)
            {
                Read(node);
            }
            string outputName = graph.Output.Count == 1 ? graph.Output[0].Name : throw new InvalidDataException($"{path}: the graph must have one output, it has {graph.Output.Count}");
            var output = Value(outputName, "graph output");
            if (output.Shape.Count != 1)
            {
                throw new InvalidDataException($"{path}: the output '{outputName}' must be [batch, classes], got [batch, {string.Join(", ", output.Shape)}]");
            }
            ModelGraph built;
            try
            {
                built = _builder.Build(output);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidDataException($"{path}: {e.Message} (nodes after the output are not supported)", e);
            }
            var card = new ModelCard(built.Name, shape, output.Shape[0], new ModelOptions()) { Description = built.Describe() };
            var module = new GraphModule(built);
            CopyWeights(module);
            return (card, module);
        }

        private void Read(NodeProto node)
        {
            string op = node.OpType;
            if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
            {
                throw Unsupported(node, $"operator domain '{node.Domain}'");
            }
            try
            {
                switch (op)
                {
                    case "Constant":
                        _constants[node.Output[0]] = Attribute(node, "value")?.T ?? throw Unsupported(node, "a Constant without a tensor 'value'");
                        return;
                    case "Identity" or "Dropout" when _constants.TryGetValue(node.Input[0], out var constant):
                        // PyTorch's exporter names one initializer under several names this way (identical tensors).
                        _constants[node.Output[0]] = constant;
                        return;
                    case "Identity" or "Dropout":
                        _values[node.Output[0]] = Value(node.Input[0], node);
                        return;
                    case "Pad":
                        Pad(node);
                        return;
                    case "Clip":
                        Set(node, Clip(node));
                        return;
                    case "Sigmoid":
                        Set(node, _builder.Sigmoid(Value(node.Input[0], node)));
                        return;
                    case "HardSigmoid":
                        Set(node, _builder.HardSigmoid(Value(node.Input[0], node), new HardSigmoidSpec(Attribute(node, "alpha")?.F ?? 0.2f, Attribute(node, "beta")?.F ?? 0.5f)));
                        return;
                    case "HardSwish":
                        Set(node, _builder.HardSwish(Value(node.Input[0], node)));
                        return;
                    case "Mul":
                        Set(node, _builder.Mul(Value(node.Input[0], node), Value(node.Input[1], node)));
                        return;
                    case "ReduceMean":
                        Set(node, ReduceMean(node));
                        return;
                    case "Squeeze":
                        Set(node, Squeeze(node));
                        return;
                    case "Unsqueeze":
                        Set(node, Unsqueeze(node));
                        return;
                    case "Softmax" or "LogSoftmax":
                        Set(node, Softmax(node));
                        return;
                    case "Conv":
                        Set(node, Conv(node));
                        return;
                    case "BatchNormalization":
                        Set(node, BatchNorm(node));
                        return;
                    case "Gemm":
                        Set(node, Gemm(node));
                        return;
                    case "MatMul":
                        Set(node, MatMul(node));
                        return;
                    case "Add":
                        Set(node, AddNode(node));
                        return;
                    case "Relu":
                        Set(node, _builder.Relu(Value(node.Input[0], node)));
                        return;
                    case "MaxPool":
                        Set(node, MaxPool(node));
                        return;
                    case "GlobalAveragePool":
                        Set(node, _builder.GlobalAvgPool(Value(node.Input[0], node)));
                        return;
                    case "AveragePool":
                        Set(node, AveragePool(node));
                        return;
                    case "Concat":
                        Set(node, Concat(node));
                        return;
                    case "Flatten":
                        Set(node, FlattenNode(node));
                        return;
                    case "Reshape":
                        Set(node, Reshape(node));
                        return;
                    default:
                        throw new InvalidDataException($"{path}: node '{node.Name}' is a {op}, an operator Shear cannot import (it reads {string.Join(", ", SupportedOperators)}).");
                }
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: node '{node.Name}' ({op}): {e.Message}", e);
            }
        }

        private GraphValue Conv(NodeProto node)
        {
            var (x, padding) = Padded(node);
            var weight = Constant(node, 1);
            if (weight.Dims.Count != 4 || weight.Dims[2] != weight.Dims[3])
            {
                throw Unsupported(node, $"a kernel of shape [{string.Join(", ", weight.Dims)}] (square 2-d kernels only)");
            }
            int groups = Ints(node, "group") is [var g, ..] ? (int)g : 1;
            if (groups < 1 || x.Channels != weight.Dims[1] * groups)
            {
                throw Unsupported(node, $"group {groups} with a kernel of shape [{string.Join(", ", weight.Dims)}] on {x.Channels} input channels");
            }
            if (Ints(node, "dilations") is { Length: > 0 } dilations && dilations.Any(d => d != 1))
            {
                throw Unsupported(node, "dilation");
            }
            int stride = Square(node, "strides", 1);
            if (Attribute(node, "auto_pad") is { } autoPad && autoPad.S.ToStringUtf8() is not ("" or "NOTSET"))
            {
                throw Unsupported(node, $"auto_pad {autoPad.S.ToStringUtf8()}");
            }
            bool bias = node.Input.Count > 2 && node.Input[2].Length > 0;
            string name = LayerName(node, 1);
            var value = _builder.Conv(x, name, (int)weight.Dims[0], (int)weight.Dims[2], stride, padding + Padding(node), bias, groups);
            Store(name, "weight", weight, node);
            if (bias)
            {
                Store(name, "bias", Constant(node, 2), node);
            }
            return value;
        }

        private GraphValue BatchNorm(NodeProto node)
        {
            float epsilon = Attribute(node, "epsilon")?.F ?? 1e-5f;
            if (Math.Abs(epsilon - 1e-5f) > 1e-9f)
            {
                throw Unsupported(node, $"epsilon {epsilon} (Shear's BatchNorm2d uses 1e-5)");
            }
            string name = LayerName(node, 1);
            var value = _builder.BatchNorm(Value(node.Input[0], node), name);
            Store(name, "weight", Constant(node, 1), node);
            Store(name, "bias", Constant(node, 2), node);
            Store(name, "running_mean", Constant(node, 3), node);
            Store(name, "running_var", Constant(node, 4), node);
            return value;
        }

        private GraphValue Gemm(NodeProto node)
        {
            if ((Attribute(node, "alpha")?.F ?? 1f) != 1f || (Attribute(node, "beta")?.F ?? 1f) != 1f || (Attribute(node, "transA")?.I ?? 0) != 0)
            {
                throw Unsupported(node, "alpha, beta or transA other than 1, 1, 0");
            }
            var x = Value(node.Input[0], node);
            var weight = Constant(node, 1);
            bool transposed = (Attribute(node, "transB")?.I ?? 0) == 1;
            var values = Floats(weight, node);
            int rows = (int)weight.Dims[0], cols = (int)weight.Dims[1];
            // Shear's Linear keeps [out, in], like transB = 1.
            var stored = transposed ? values : Transpose(values, rows, cols);
            int outFeatures = transposed ? rows : cols;
            bool bias = node.Input.Count > 2 && node.Input[2].Length > 0;
            string name = LayerName(node, 1);
            var value = _builder.Linear(x, name, outFeatures, bias);
            Layer(name)["weight"] = stored;
            if (bias)
            {
                var c = Floats(Constant(node, 2), node);
                Layer(name)["bias"] = c.Length == outFeatures ? c : throw Unsupported(node, $"a bias of {c.Length} values for {outFeatures} outputs");
            }
            return value;
        }

        private GraphValue MatMul(NodeProto node)
        {
            var x = Value(node.Input[0], node);
            var weight = Constant(node, 1);
            if (weight.Dims.Count != 2)
            {
                throw Unsupported(node, "a MatMul whose second input is not a 2-d constant");
            }
            string name = LayerName(node, 1);
            var value = _builder.Linear(x, name, (int)weight.Dims[1], bias: true);
            Layer(name)["weight"] = Transpose(Floats(weight, node), (int)weight.Dims[0], (int)weight.Dims[1]);
            Layer(name)["bias"] = new float[weight.Dims[1]];
            _biasless[node.Output[0]] = name;
            return value;
        }

        private GraphValue AddNode(NodeProto node)
        {
            // MatMul + Add(constant) is how some exporters write a linear layer: fold the constant into its bias.
            int constant = _constants.ContainsKey(node.Input[1]) ? 1 : _constants.ContainsKey(node.Input[0]) ? 0 : -1;
            if (constant >= 0)
            {
                string other = node.Input[1 - constant];
                if (!_biasless.Remove(other, out string? layer))
                {
                    throw Unsupported(node, "adding a constant anywhere but right after a MatMul");
                }
                var bias = Floats(_constants[node.Input[constant]], node);
                var target = Layer(layer)["bias"];
                Layer(layer)["bias"] = bias.Length == target.Length ? bias : throw Unsupported(node, $"a bias of {bias.Length} values for {target.Length} outputs");
                return Value(other, node);
            }
            return _builder.Add([.. node.Input.Select(i => Value(i, node))]);
        }

        private GraphValue MaxPool(NodeProto node)
        {
            int kernel = Square(node, "kernel_shape", 0);
            bool ceil = (Attribute(node, "ceil_mode")?.I ?? 0) != 0;
            return _builder.MaxPool(Value(node.Input[0], node), kernel, Square(node, "strides", kernel), Padding(node), ceil);
        }

        private GraphValue AveragePool(NodeProto node)
        {
            var (x, padded) = Padded(node);
            int kernel = Square(node, "kernel_shape", 0), own = Padding(node);
            if ((Attribute(node, "ceil_mode")?.I ?? 0) != 0)
            {
                throw Unsupported(node, "ceil_mode 1 on an AveragePool");
            }
            bool includePad = (Attribute(node, "count_include_pad")?.I ?? 0) != 0;
            if (padded > 0 && !includePad && own > 0)
            {
                throw Unsupported(node, "a Pad before an AveragePool that also pads without counting the padding");
            }
            // A zero Pad before the pool gives it inputs that are zeros: they count.
            includePad |= padded > 0;
            bool whole = x.Shape.Count == 3 && kernel == x.Shape[1] && kernel == x.Shape[2] && padded + own == 0;
            return whole ? _builder.GlobalAvgPool(x) : _builder.AvgPool(x, kernel, Square(node, "strides", 1), padded + own, includePad);
        }

        private GraphValue Clip(NodeProto node)
        {
            // Opset 11 and later give the bounds as (optional) inputs; earlier ones as attributes.
            float Bound(int input, string attribute, float fallback) =>
                node.Input.Count > input && node.Input[input].Length > 0 ? Floats(Constant(node, input), node) is [var v] ? v : throw Unsupported(node, $"a {attribute} bound that is not one number")
                : Attribute(node, attribute)?.F ?? fallback;
            float min = Bound(1, "min", float.MinValue), max = Bound(2, "max", float.MaxValue);
            var x = Value(node.Input[0], node);
            return min == 0 && max == float.MaxValue ? _builder.Relu(x) : _builder.Clip(x, min, max);
        }

        private GraphValue ReduceMean(NodeProto node)
        {
            var x = Value(node.Input[0], node);
            long[] axes = InputOrAttribute(node, 1, "axes");
            if (x.Shape.Count != 3 || !HeightAndWidth(axes))
            {
                throw Unsupported(node, $"a mean over axes [{string.Join(", ", axes)}] (over height and width only)");
            }
            var pooled = _builder.GlobalAvgPool(x);
            return (Attribute(node, "keepdims")?.I ?? 1) == 1 ? pooled : _builder.Flatten(pooled);
        }

        private GraphValue Squeeze(NodeProto node)
        {
            var x = Value(node.Input[0], node);
            long[] axes = InputOrAttribute(node, 1, "axes");
            bool toFeatures = x.Shape is [_, 1, 1] && (axes.Length == 0 || HeightAndWidth(axes));
            return toFeatures ? _builder.Flatten(x) : throw Unsupported(node, $"a squeeze of axes [{string.Join(", ", axes)}] on [batch, {string.Join(", ", x.Shape)}] (only [batch, C, 1, 1] to [batch, C])");
        }

        private GraphValue Unsqueeze(NodeProto node)
        {
            var x = Value(node.Input[0], node);
            long[] axes = InputOrAttribute(node, 1, "axes");
            bool toMap = x.Shape.Count == 1 && HeightAndWidth(axes);
            return toMap ? _builder.Unsqueeze(x) : throw Unsupported(node, $"an unsqueeze of axes [{string.Join(", ", axes)}] on [batch, {string.Join(", ", x.Shape)}] (only [batch, C] to [batch, C, 1, 1])");
        }

        private GraphValue Softmax(NodeProto node)
        {
            var x = Value(node.Input[0], node);
            long axis = Attribute(node, "axis")?.I ?? -1;
            return x.Shape.Count == 1 && axis is 1 or -1 ? _builder.Softmax(x, node.OpType == "LogSoftmax")
                : throw Unsupported(node, $"a softmax over axis {axis} of [batch, {string.Join(", ", x.Shape)}] (over a classifier's features only)");
        }

        // Integers that newer opsets give as a constant input and older ones as an attribute (ReduceMean's, Squeeze's and
        // Unsqueeze's axes, Pad's pads).
        private long[] InputOrAttribute(NodeProto node, int input, string attribute) =>
            node.Input.Count > input && node.Input[input].Length > 0 ? Int64s(Constant(node, input), node) : Ints(node, attribute);

        // Whether the axes of a [N, C, H, W] tensor are exactly H and W (negative axes count from the end).
        private static bool HeightAndWidth(long[] axes) => axes.Select(a => a < 0 ? a + 4 : a).Order().SequenceEqual([2L, 3L]);

        // A Pad of zeros on height and width alone, equal on every side, which the Conv or AveragePool after it takes
        // as its own padding.
        private void Pad(NodeProto node)
        {
            string mode = Attribute(node, "mode")?.S.ToStringUtf8() ?? "constant";
            long[] pads = InputOrAttribute(node, 1, "pads");
            float value = node.Input.Count > 2 && node.Input[2].Length > 0 ? Floats(Constant(node, 2), node) is [var v] ? v : 1 : Attribute(node, "value")?.F ?? 0;
            Value(node.Input[0], node);
            // pads: [x1_begin, x2_begin, ..., x1_end, x2_end, ...] over [N, C, H, W].
            bool spatialOnly = pads.Length == 8 && pads[0] == 0 && pads[1] == 0 && pads[4] == 0 && pads[5] == 0;
            if (mode != "constant" || value != 0 || !spatialOnly || pads.Skip(2).Where((_, k) => k is 0 or 1 or 4 or 5).Distinct().Count() != 1)
            {
                throw Unsupported(node, $"a {mode} pad of {value} by [{string.Join(", ", pads)}] (only equal zero padding of height and width, folded into the Conv or AveragePool after it)");
            }
            _padded[node.Output[0]] = (node.Input[0], (int)pads[2]);
        }

        // The input of a Conv or AveragePool and the padding of a Pad folded into it (0 without one).
        private (GraphValue Value, int Padding) Padded(NodeProto node) =>
            _padded.TryGetValue(node.Input[0], out var pad) ? (Value(pad.Source, node), pad.Padding) : (Value(node.Input[0], node), 0);

        private GraphValue Concat(NodeProto node)
        {
            long axis = Attribute(node, "axis")?.I ?? 1;
            return axis == 1 ? _builder.Concat([.. node.Input.Select(i => Value(i, node))]) : throw Unsupported(node, $"concatenation along axis {axis} (channels only)");
        }

        private GraphValue FlattenNode(NodeProto node)
        {
            long axis = Attribute(node, "axis")?.I ?? 1;
            var x = Value(node.Input[0], node);
            return axis == 1 ? x.Shape.Count == 1 ? x : _builder.Flatten(x) : throw Unsupported(node, $"flatten from axis {axis} (axis 1 only)");
        }

        private GraphValue Reshape(NodeProto node)
        {
            var x = Value(node.Input[0], node);
            var target = Int64s(Constant(node, 1), node);
            long features = x.Shape.Aggregate(1L, (a, b) => a * b);
            bool flatten = target.Length == 2 && target[0] is 0 or -1 or > 0 && (target[1] == -1 || target[1] == features);
            return !flatten ? throw Unsupported(node, $"a reshape to [{string.Join(", ", target)}] (only [batch, features])")
                : x.Shape.Count == 1 ? x : _builder.Flatten(x);
        }

        private void Set(NodeProto node, GraphValue value) => _values[node.Output[0]] = value;

        private GraphValue Value(string name, NodeProto node) => Value(name, $"node '{node.Name}' ({node.OpType})");

        private GraphValue Value(string name, string user) =>
            _values.TryGetValue(name, out var value) ? value
            : _padded.ContainsKey(name) ? throw new InvalidDataException($"{path}: {user} reads the padded '{name}'; Shear folds a Pad only into the Conv or AveragePool right after it")
            : _constants.ContainsKey(name) ? throw new InvalidDataException($"{path}: {user} takes the constant '{name}' where Shear expects activations")
            : throw new InvalidDataException($"{path}: {user} reads '{name}', which no earlier node produces");

        private TensorProto Constant(NodeProto node, int input) =>
            node.Input.Count > input && _constants.TryGetValue(node.Input[input], out var tensor) ? tensor
            : throw Unsupported(node, $"input {input} that is not a constant (weights must be initializers)");

        private string LayerName(NodeProto node, int weightInput)
        {
            string source = node.Input[weightInput];
            string baseName = source.EndsWith(".weight", StringComparison.Ordinal) ? source[..^".weight".Length]
                : ScopedModuleName(node.Name) ?? (!string.IsNullOrEmpty(node.Name) ? node.Name : node.OpType.ToLowerInvariant());
            string name = UnsafeNameCharacters().Replace(baseName.Trim('/'), "_").Trim('.');
            name = string.IsNullOrEmpty(name) ? node.OpType.ToLowerInvariant() : name;
            string unique = name;
            for (int i = 1; !_layerNames.Add(unique); i++)
            {
                unique = $"{name}_{i}";
            }
            return unique;
        }

        // PyTorch names a node by its module scope, "/features/features.1/block/block.0/block.0.0/Conv", each segment a
        // child's name (prefixed by its parent's within a Sequential): the module is features.1.block.0.0. Exports that
        // fold BN into the convolution name the weight "onnx::Conv_123", so this is where torchvision's names survive.
        private static string? ScopedModuleName(string node)
        {
            string[] segments = node.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (!node.StartsWith('/') || segments.Length < 2)
            {
                return null;
            }
            string name = segments[0], previous = segments[0];
            foreach (string segment in segments[1..^1])
            {
                name += segment.StartsWith(previous + ".", StringComparison.Ordinal) ? segment[previous.Length..] : "." + segment;
                previous = segment;
            }
            return name;
        }

        private Dictionary<string, float[]> Layer(string name) =>
            _weights.TryGetValue(name, out var layer) ? layer : _weights[name] = new(StringComparer.Ordinal);

        private void Store(string layer, string parameter, TensorProto tensor, NodeProto node) => Layer(layer)[parameter] = Floats(tensor, node);

        private void CopyWeights(GraphModule module)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var state = module.state_dict();
            foreach (var (layer, parameters) in _weights)
            {
                foreach (var (parameter, values) in parameters)
                {
                    var target = state[$"{layer}.{parameter}"];
                    if (target.numel() != values.Length)
                    {
                        throw new InvalidDataException($"{path}: {layer}.{parameter} has {values.Length} values, the layer needs {target.numel()}");
                    }
                    target.copy_(tensor(values).reshape(target.shape));
                }
            }
        }

        private float[] Floats(TensorProto tensor, NodeProto node) => (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float when !tensor.RawData.IsEmpty => ReadRaw<float>(tensor, node),
            TensorProto.Types.DataType.Float => [.. tensor.FloatData],
            TensorProto.Types.DataType.Double when !tensor.RawData.IsEmpty => [.. ReadRaw<double>(tensor, node).Select(v => (float)v)],
            TensorProto.Types.DataType.Double => [.. tensor.DoubleData.Select(v => (float)v)],
            _ => throw Unsupported(node, $"tensor '{tensor.Name}' of data type {(TensorProto.Types.DataType)tensor.DataType} (float and double only)"),
        };

        private long[] Int64s(TensorProto tensor, NodeProto node) => (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Int64 when !tensor.RawData.IsEmpty => ReadRaw<long>(tensor, node),
            TensorProto.Types.DataType.Int64 => [.. tensor.Int64Data],
            _ => throw Unsupported(node, $"shape tensor '{tensor.Name}' of data type {(TensorProto.Types.DataType)tensor.DataType}"),
        };

        // ONNX raw data is little-endian, as every platform .NET and libtorch run on here.
        private T[] ReadRaw<T>(TensorProto tensor, NodeProto node) where T : unmanaged
        {
            var bytes = tensor.RawData.Span;
            long count = tensor.Dims.Aggregate(1L, (a, b) => a * b);
            int size = System.Runtime.InteropServices.Marshal.SizeOf<T>();
            return bytes.Length == count * size ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes).ToArray()
                : throw Unsupported(node, $"tensor '{tensor.Name}' with {bytes.Length} bytes of data for shape [{string.Join(", ", tensor.Dims)}]");
        }

        private static float[] Transpose(float[] values, int rows, int cols)
        {
            var result = new float[values.Length];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    result[(c * rows) + r] = values[(r * cols) + c];
                }
            }
            return result;
        }

        private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

        private static long[] Ints(NodeProto node, string name) =>
            Attribute(node, name) is { } a ? a.Ints.Count > 0 ? [.. a.Ints] : a.Type == AttributeProto.Types.AttributeType.Int ? [a.I] : [] : [];

        // ONNX pads are [top, left, bottom, right]; the model description has one padding for all four sides.
        private int Padding(NodeProto node)
        {
            var pads = Ints(node, "pads");
            return pads.Length == 0 ? 0
                : pads.All(p => p == pads[0]) ? (int)pads[0]
                : throw Unsupported(node, $"asymmetric padding [{string.Join(", ", pads)}]");
        }

        private int Square(NodeProto node, string name, int fallback)
        {
            var values = Ints(node, name);
            return values.Length == 0 ? fallback
                : values.All(v => v == values[0]) ? (int)values[0]
                : throw Unsupported(node, $"{name} [{string.Join(", ", values)}] (equal sizes only)");
        }

        private InvalidDataException Unsupported(NodeProto node, string what) =>
            new($"{path}: node '{node.Name}' ({node.OpType}) has {what}, which Shear cannot import.");
    }

    private static string SafeName(string name) => UnsafeNameCharacters().Replace(name, "_");
}
