using Google.Protobuf;
using Shear.Export.Onnx.Schema;
using Shear.Graphs;
using Shear.IO;
using static TorchSharp.torch;

namespace Shear.Export.Onnx;

/// <summary>
/// Writes a model as a standard ONNX file (opset 17, IR version 8): one ONNX node per node of its
/// <see cref="ModelGraph"/> (Conv, BatchNormalization in inference form, Gemm, Relu, Clip, Sigmoid, HardSigmoid,
/// HardSwish, Mul, MaxPool, AveragePool, GlobalAveragePool, Flatten, Unsqueeze, Add, Concat, Softmax), weights as float32
/// initializers under PyTorch's state-dict names, a dynamic batch axis.
/// Masked models export as they are (pruned weights are zeros).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The operator set written.</summary>
    public const int Opset = 17;

    /// <summary>Name of the graph input, <c>[batch, C, H, W]</c>.</summary>
    public const string InputName = "input";

    private const string Batch = "batch";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void Export(GraphModule model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var proto = Build(model);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        AtomicFile.Write(path, proto.WriteTo);
    }

    /// <summary>The ONNX model of <paramref name="model"/>.</summary>
    internal static ModelProto Build(GraphModule model)
    {
        var graph = model.Graph;
        var weights = model.state_dict();
        var onnx = new GraphProto { Name = graph.Name };
        string Value(int index) => graph.Nodes[index].Layer is InputSpec ? InputName : graph.Nodes[index].Name;
        for (int index = 0; index < graph.Nodes.Count; index++)
        {
            var node = graph.Nodes[index];
            string[] inputs = [.. node.Inputs.Select(Value)];
            if (node.Layer is InputSpec)
            {
                onnx.Input.Add(Tensor(InputName, [Batch, .. node.OutputShape.Select(d => (object)d)]));
                continue;
            }
            string[] parameters = [.. Parameters(node).Select(suffix => $"{node.Name}.{suffix}")];
            foreach (string name in parameters)
            {
                onnx.Initializer.Add(Initializer(name, weights[name]));
            }
            foreach (var constant in ConstantInputs(node))
            {
                onnx.Initializer.Add(constant);
                parameters = [.. parameters, constant.Name];
            }
            onnx.Node.Add(Node(node, [.. inputs, .. parameters]));
        }
        var output = graph.Output;
        onnx.Output.Add(Tensor(output.Name, [Batch, .. output.OutputShape.Select(d => (object)d)]));
        return new ModelProto
        {
            IrVersion = 8,
            ProducerName = "shear",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = onnx,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
        };
    }

    /// <summary>The node's parameter names in the order its ONNX operator takes them.</summary>
    private static string[] Parameters(GraphNode node) => node.Layer switch
    {
        Conv2dSpec c => c.Bias ? ["weight", "bias"] : ["weight"],
        LinearSpec l => l.Bias ? ["weight", "bias"] : ["weight"],
        BatchNorm2dSpec => ["weight", "bias", "running_mean", "running_var"],
        _ => [],
    };

    /// <summary>Inputs that are settings, not weights, in the opset written: Clip's bounds (inputs since opset 11) and
    /// Unsqueeze's axes (since opset 13).</summary>
    private static TensorProto[] ConstantInputs(GraphNode node) => node.Layer switch
    {
        ClipSpec clip => [Scalar($"{node.Name}.min", clip.Min), Scalar($"{node.Name}.max", clip.Max)],
        UnsqueezeSpec => [new TensorProto { Name = $"{node.Name}.axes", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 2 }, Int64Data = { 2, 3 } }],
        _ => [],
    };

    private static NodeProto Node(GraphNode node, string[] inputs)
    {
        var proto = new NodeProto { Name = node.Name, Output = { node.Name } };
        proto.Input.Add(inputs);
        switch (node.Layer)
        {
            case Conv2dSpec c:
                proto.OpType = "Conv";
                proto.Attribute.Add([.. Window(c.Kernel, c.Stride, c.Padding), Int("group", c.Groups)]);
                break;
            case BatchNorm2dSpec:
                proto.OpType = "BatchNormalization";
                proto.Attribute.Add(Float("epsilon", 1e-5f));
                break;
            case LinearSpec:
                proto.OpType = "Gemm";
                proto.Attribute.Add(Int("transB", 1));
                break;
            case ReluSpec:
                proto.OpType = "Relu";
                break;
            case MaxPool2dSpec m:
                proto.OpType = "MaxPool";
                proto.Attribute.Add([.. Window(m.Kernel, m.Stride, m.Padding), Int("ceil_mode", m.CeilMode ? 1 : 0)]);
                break;
            case GlobalAvgPoolSpec:
                proto.OpType = "GlobalAveragePool";
                break;
            case FlattenSpec:
                proto.OpType = "Flatten";
                proto.Attribute.Add(Int("axis", 1));
                break;
            case AddSpec:
                proto.OpType = inputs.Length == 2 ? "Add" : "Sum";
                break;
            case ConcatSpec:
                proto.OpType = "Concat";
                proto.Attribute.Add(Int("axis", 1));
                break;
            case ClipSpec:
                proto.OpType = "Clip";
                break;
            case SigmoidSpec:
                proto.OpType = "Sigmoid";
                break;
            case HardSigmoidSpec h:
                proto.OpType = "HardSigmoid";
                proto.Attribute.Add([Float("alpha", h.Alpha), Float("beta", h.Beta)]);
                break;
            case HardSwishSpec:
                proto.OpType = "HardSwish";
                break;
            case MulSpec:
                proto.OpType = "Mul";
                break;
            case UnsqueezeSpec:
                proto.OpType = "Unsqueeze";
                break;
            case AvgPool2dSpec a:
                proto.OpType = "AveragePool";
                proto.Attribute.Add([.. Window(a.Kernel, a.Stride, a.Padding), Int("count_include_pad", a.CountIncludePad ? 1 : 0)]);
                break;
            case SoftmaxSpec softmax:
                proto.OpType = softmax.Log ? "LogSoftmax" : "Softmax";
                proto.Attribute.Add(Int("axis", 1));
                break;
            default:
                throw new NotSupportedException($"node '{node.Name}': no ONNX form for {node.Layer.GetType().Name}");
        }
        return proto;
    }

    // A square window's kernel_shape, strides and pads (equal on every side).
    private static AttributeProto[] Window(int kernel, int stride, int padding) =>
        [Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding)];

    private static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static TensorProto Scalar(string name, float value) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        FloatData = { value },
    };

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };

    private static TensorProto Initializer(string name, Tensor value)
    {
        using var cpu = value.detach().to(float32).cpu().contiguous();
        float[] data = cpu.data<float>().ToArray();
        return new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            Dims = { cpu.shape },
            RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan())),
        };
    }

    /// <summary>A float tensor value; each dimension a number or a symbolic name.</summary>
    private static ValueInfoProto Tensor(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims.Select(d => d is string symbol
            ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
            : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
