using Shear.Graphs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shear.Experiments.Benchmarks;

/// <summary>
/// The benchmark's reference for the graph interpreter's overhead: mlp, lenet5, conv6, vgg11 and the CIFAR ResNets
/// written by hand as plain TorchSharp modules, the way a TorchSharp user would (fields, <c>forward</c> calling
/// layers and functional ops, in-place ReLU where the zoo's graph uses it), with the zoo model's weights copied in.
/// </summary>
/// <remarks>Parameters are registered in the zoo graph's order, so <see cref="CopyFrom"/> pairs them by position;
/// a test checks that the logits and gradients equal the graph module's.</remarks>
public static class HandWrittenModels
{
    /// <summary>Zoo keys that have a hand-written twin.</summary>
    public static readonly IReadOnlyList<string> Keys = ["mlp", "lenet5", "conv2", "conv4", "conv6", "vgg11", "resnet20", "resnet32", "resnet56", "resnet110"];

    /// <summary>The twin of <paramref name="zoo"/>, built from its graph's layer sizes, with its weights.</summary>
    /// <exception cref="ArgumentException">The zoo key has no hand-written twin.</exception>
    public static nn.Module<Tensor, Tensor> Create(string key, GraphModule zoo)
    {
        var convs = zoo.Graph.ParameterLayers.Select(n => n.Layer).OfType<Conv2dSpec>().ToList();
        var linears = zoo.Graph.ParameterLayers.Select(n => n.Layer).OfType<LinearSpec>().ToList();
        nn.Module<Tensor, Tensor> model = key switch
        {
            "mlp" or "lenet5" or "conv2" or "conv4" or "conv6" => new PlainCnn(key, convs, linears, PoolsAfter(zoo.Graph)),
            "vgg11" => new VggNet(convs, linears[0], PoolsAfter(zoo.Graph)),
            "resnet20" or "resnet32" or "resnet56" or "resnet110" => new CifarResNetByHand(convs, linears[0]),
            _ => throw new ArgumentException(Missing(key)),
        };
        model.to(zoo.parameters().First().device);
        CopyFrom(zoo, model);
        return model;
    }

    /// <summary>The message for a zoo key without a twin.</summary>
    public static string Missing(string key) => $"no hand-written twin of '{key}' (have {string.Join(", ", Keys)})";

    /// <summary>Copies every parameter and buffer of <paramref name="zoo"/> into <paramref name="twin"/> by position.</summary>
    /// <exception cref="InvalidOperationException">The two disagree in count or shape.</exception>
    public static void CopyFrom(GraphModule zoo, nn.Module twin)
    {
        using var noGrad = no_grad();
        var from = zoo.parameters().Concat(zoo.buffers()).ToList();
        var to = twin.parameters().Concat(twin.buffers()).ToList();
        if (from.Count != to.Count || from.Zip(to).Any(p => !p.First.shape.SequenceEqual(p.Second.shape)))
        {
            throw new InvalidOperationException($"{zoo.Graph.Name}: the hand-written twin's parameters do not match the graph's.");
        }
        foreach (var (source, target) in from.Zip(to))
        {
            target.copy_(source);
        }
    }

    // Indices of the convolutions followed by a 2x2 max-pool: the zoo leaves out pools that small inputs cannot take.
    private static HashSet<int> PoolsAfter(ModelGraph graph)
    {
        var after = new HashSet<int>();
        int convs = 0;
        foreach (var node in graph.Nodes)
        {
            convs += node.Layer is Conv2dSpec ? 1 : 0;
            if (node.Layer is MaxPool2dSpec)
            {
                after.Add(convs - 1);
            }
        }
        return after;
    }

    private static Conv2d Conv(Conv2dSpec c) =>
        nn.Conv2d(c.InChannels, c.OutChannels, c.Kernel, stride: c.Stride, padding: c.Padding, bias: c.Bias);

    private sealed class PlainCnn : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<Conv2d> _convs = new();
        private readonly ModuleList<Linear> _linears = new();
        private readonly HashSet<int> _poolAfter;

        public PlainCnn(string key, List<Conv2dSpec> convSpecs, List<LinearSpec> linearSpecs, HashSet<int> poolAfter) : base(key)
        {
            foreach (var c in convSpecs)
            {
                _convs.Add(Conv(c));
            }
            foreach (var l in linearSpecs)
            {
                _linears.Add(nn.Linear(l.InFeatures, l.OutFeatures, hasBias: l.Bias));
            }
            _poolAfter = poolAfter;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            for (int i = 0; i < _convs.Count; i++)
            {
                x = _convs[i].call(x).relu_();
                if (_poolAfter.Contains(i))
                {
                    x = nn.functional.max_pool2d(x, 2, 2);
                }
            }
            x = x.flatten(1);
            for (int i = 0; i < _linears.Count - 1; i++)
            {
                x = _linears[i].call(x).relu_();
            }
            return _linears[^1].call(x);
        }
    }

    // VGG-11 with BN: conv-BN-ReLU, a max-pool after the 1st, 2nd, 4th, 6th and 8th conv (where the input is large
    // enough), global average pool, linear.
    private sealed class VggNet : nn.Module<Tensor, Tensor>
    {
        private readonly HashSet<int> _poolAfter;
        private readonly ModuleList<nn.Module<Tensor, Tensor>> _features = new();
        private readonly Linear _classifier;

        public VggNet(List<Conv2dSpec> convSpecs, LinearSpec linear, HashSet<int> poolAfter) : base("vgg11")
        {
            _poolAfter = poolAfter;
            foreach (var c in convSpecs)
            {
                _features.Add(Conv(c));
                _features.Add(nn.BatchNorm2d(c.OutChannels));
            }
            _classifier = nn.Linear(linear.InFeatures, linear.OutFeatures, hasBias: linear.Bias);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            for (int i = 0; i < _features.Count / 2; i++)
            {
                x = _features[(2 * i) + 1].call(_features[2 * i].call(x)).relu_();
                if (_poolAfter.Contains(i))
                {
                    x = nn.functional.max_pool2d(x, 2, 2);
                }
            }
            return _classifier.call(nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1));
        }
    }

    private sealed class CifarResNetByHand : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv1;
        private readonly BatchNorm2d _bn1;
        private readonly ModuleList<BasicBlock> _blocks = new();
        private readonly Linear _fc;

        public CifarResNetByHand(List<Conv2dSpec> convSpecs, LinearSpec linear) : base("resnet")
        {
            _conv1 = Conv(convSpecs[0]);
            _bn1 = nn.BatchNorm2d(convSpecs[0].OutChannels);
            for (int i = 1; i < convSpecs.Count;)
            {
                bool projects = convSpecs[i].Stride != 1 || convSpecs[i].InChannels != convSpecs[i].OutChannels;
                _blocks.Add(new BasicBlock(convSpecs[i], convSpecs[i + 1], projects ? convSpecs[i + 2] : null));
                i += projects ? 3 : 2;
            }
            _fc = nn.Linear(linear.InFeatures, linear.OutFeatures, hasBias: linear.Bias);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            x = _bn1.call(_conv1.call(x)).relu_();
            foreach (var block in _blocks)
            {
                x = block.call(x);
            }
            return _fc.call(nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1));
        }
    }

    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        // Declared in the zoo's parameter order: RegisterComponents registers fields in declaration order.
        private readonly Conv2d _conv1;
        private readonly BatchNorm2d _bn1;
        private readonly Conv2d _conv2;
        private readonly BatchNorm2d _bn2;
        private readonly Sequential? _downsample;

        public BasicBlock(Conv2dSpec first, Conv2dSpec second, Conv2dSpec? projection) : base("block")
        {
            _conv1 = Conv(first);
            _bn1 = nn.BatchNorm2d(first.OutChannels);
            _conv2 = Conv(second);
            _bn2 = nn.BatchNorm2d(second.OutChannels);
            _downsample = projection is null ? null : nn.Sequential(Conv(projection), nn.BatchNorm2d(projection.OutChannels));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = _bn2.call(_conv2.call(_bn1.call(_conv1.call(x)).relu_()));
            return (y + (_downsample?.call(x) ?? x)).relu_();
        }
    }
}
