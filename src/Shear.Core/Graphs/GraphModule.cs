using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shear.Graphs;

/// <summary>
/// The TorchSharp module built from a <see cref="ModelGraph"/>: one registered layer per parameterised node,
/// nested so that parameters are named like PyTorch's (<c>layer1.0.conv1.weight</c>), and a forward pass that
/// walks the nodes in order.
/// </summary>
public sealed class GraphModule : nn.Module<Tensor, Tensor>
{
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _layers = new(StringComparer.Ordinal);
    private readonly int[] _lastUse;
    private readonly bool[] _reluInPlace;
    private readonly int[] _foldInto;

    /// <summary>Creates the layers of <paramref name="graph"/> with libtorch's default initialisation.</summary>
    /// <remarks>Use <see cref="ParameterInitializer"/> afterwards for seeded, reproducible weights.</remarks>
    public GraphModule(ModelGraph graph) : base(graph.Name)
    {
        Graph = graph;
        var namespaces = new Dictionary<string, nn.Module>(StringComparer.Ordinal) { [""] = this };
        foreach (var node in graph.ParameterLayers)
        {
            var layer = CreateLayer(node);
            _layers[node.Name] = layer;
            int dot = node.Name.LastIndexOf('.');
            var parent = Namespace(namespaces, dot < 0 ? "" : node.Name[..dot]);
            parent.register_module(dot < 0 ? node.Name : node.Name[(dot + 1)..], layer);
        }
        _lastUse = LastUses(graph);
        var readers = Readers(graph);
        _reluInPlace = ReluInPlace(graph, readers);
        _foldInto = FoldableBatchNorms(graph, readers);
    }

    /// <summary>The description this module was built from.</summary>
    public ModelGraph Graph { get; }

    private readonly Dictionary<string, Func<Tensor, Tensor>> _weightTransforms = new(StringComparer.Ordinal);

    /// <summary>Sets (or, with null, removes) the transform of convolution <paramref name="name"/>'s kernel: the
    /// forward pass convolves with <c>transform(weight)</c> instead of the weight, so gradients flow through it
    /// (e.g. a learnable factor registered on the layer). The module frees the returned tensor after the convolution
    /// (unless it is the weight itself); the transform frees its own temporaries and looks its extra parameters up
    /// on every call, since moving the module to another dtype or device replaces them. Compaction drops it.</summary>
    /// <exception cref="ArgumentException">Not a convolution.</exception>
    public void SetWeightTransform(string name, Func<Tensor, Tensor>? transform)
    {
        if (Graph.Nodes.FirstOrDefault(n => n.Name == name)?.Layer is not Conv2dSpec)
        {
            throw new ArgumentException($"{Graph.Name}.{name}: a weight transform needs a convolution");
        }
        if (transform is null)
        {
            _weightTransforms.Remove(name);
        }
        else
        {
            _weightTransforms[name] = transform;
        }
    }

    /// <summary>How many BatchNorms an eval-mode forward folds into the convolution before them.</summary>
    internal int FoldedBatchNorms => _foldInto.Count(j => j > 0);

    /// <summary>The layer of the parameterised node <paramref name="name"/>.</summary>
    public nn.Module<Tensor, Tensor> Layer(string name) => _layers[name];

    /// <summary>Runs the graph: <c>[N, C, H, W] → [N, classes]</c> logits.</summary>
    public override Tensor forward(Tensor input) => ForwardObserved(input, observe: null);

    /// <summary>Runs the graph and hands every node's output to <paramref name="observe"/> (node index, value; the
    /// input is node 0) as soon as it is computed: the graph's forward hooks. The value is only valid during the
    /// call.</summary>
    public Tensor ForwardObserved(Tensor input, Action<int, Tensor>? observe)
    {
        var nodes = Graph.Nodes;
        var values = new Tensor?[nodes.Count];
        values[0] = input;
        observe?.Invoke(0, input);
        // Observers see every node's own output, so they get neither in-place ReLUs nor folded BatchNorms.
        bool fold = observe is null && !training;
        for (int i = 1; i < nodes.Count; i++)
        {
            values[i] = Evaluate(i, values, inPlace: observe is null, fold);
            observe?.Invoke(i, values[i]!);
            Release(i, values);
        }
        return values[^1]!;
    }

    // Frees every value whose last reader was node i, as PyTorch's reference counting would: peak memory follows
    // the graph's width, not its depth. Autograd keeps its own references to what backward needs, so only our
    // handle goes. The input is the caller's and is never freed; a value passed through unchanged (an in-place
    // ReLU, a one-input add) lives on in node i's slot.
    private void Release(int i, Tensor?[] values)
    {
        foreach (int j in Graph.Nodes[i].Inputs)
        {
            if (_lastUse[j] == i && j != 0 && values[j] is Tensor value)
            {
                values[j] = null;
                if (!ReferenceEquals(value, values[i]) && !ReferenceEquals(value, values[0]))
                {
                    value.Dispose();
                }
            }
        }
    }

    private Tensor Evaluate(int index, Tensor?[] values, bool inPlace, bool fold)
    {
        var node = Graph.Nodes[index];
        Tensor First() => values[node.Inputs[0]]!;
        return node.Layer switch
        {
            Conv2dSpec c => Convolve(node.Name, c, First(), fold && _foldInto[index] > 0 ? Graph.Nodes[_foldInto[index]].Name : null),
            BatchNorm2dSpec when fold && _foldInto[node.Inputs[0]] == index => First(),
            BatchNorm2dSpec or LinearSpec => _layers[node.Name].call(First()),
            ReluSpec when inPlace && _reluInPlace[index] => First().relu_(),
            ReluSpec => nn.functional.relu(First()),
            MaxPool2dSpec p => nn.functional.max_pool2d(First(), p.Kernel, p.Stride, p.Padding, ceil_mode: p.CeilMode),
            GlobalAvgPoolSpec => nn.functional.adaptive_avg_pool2d(First(), [1, 1]),
            FlattenSpec => First().flatten(1),
            AddSpec => node.Inputs.Skip(1).Aggregate(First(), (sum, j) => sum + values[j]!),
            ConcatSpec => cat(node.Inputs.Select(j => values[j]!).ToList(), 1),
            ClipSpec c => First().clamp(c.Min, c.Max),
            SigmoidSpec => First().sigmoid(),
            HardSigmoidSpec h => (First() * h.Alpha + h.Beta).clamp_(0, 1),
            HardSwishSpec => nn.functional.hardswish(First()),
            MulSpec => First() * values[node.Inputs[1]]!,
            AvgPool2dSpec p => nn.functional.avg_pool2d(First(), p.Kernel, p.Stride, p.Padding, count_include_pad: p.CountIncludePad),
            SoftmaxSpec { Log: true } => nn.functional.log_softmax(First(), 1),
            SoftmaxSpec => nn.functional.softmax(First(), 1),
            UnsqueezeSpec => First().view(First().shape[0], -1, 1, 1),
            InputSpec => throw new InvalidOperationException($"{Graph.Name}: a second input node '{node.Name}'."),
            _ => throw new NotSupportedException($"{Graph.Name}.{node.Name}: {node.Layer.GetType().Name} has no forward."),
        };
    }

    // A ReLU may overwrite its input when it is that value's only reader and the value's producer does not keep its
    // output for backward (conv, BN, linear and add keep their inputs; a ReLU or pool would keep its output), as
    // torchvision's inplace=True ReLUs do. Saves one activation-sized buffer per ReLU.
    private static bool[] ReluInPlace(ModelGraph graph, List<int>[] readers)
    {
        var nodes = graph.Nodes;
        return nodes.Select(node => node.Layer is ReluSpec && node.Inputs[0] != 0 && readers[node.Inputs[0]].Count == 1
            && nodes[node.Inputs[0]].Layer is Conv2dSpec or BatchNorm2dSpec or LinearSpec or AddSpec).ToArray();
    }

    // For each node, the nodes that read its value (each once, however many of its inputs it is).
    private static List<int>[] Readers(ModelGraph graph)
    {
        var readers = graph.Nodes.Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (int j in graph.Nodes[i].Inputs.Distinct())
            {
                readers[j].Add(i);
            }
        }
        return readers;
    }

    // The layer's kernel (through its weight transform where it has one), run in ConvolutionLayout's layout. In
    // eval mode the BatchNorm that alone reads it is a per-channel affine map and folds in: kernel x
    // gamma/sqrt(var + eps), bias (b - mean) x gamma/sqrt(var + eps) + beta, so the test pass skips one read and write
    // of every such activation. Recomputed per call: the weights change between evaluations.
    private Tensor Convolve(string name, Conv2dSpec spec, Tensor input, string? foldedBatchNorm = null)
    {
        var layer = _layers[name];
        var weight = layer.get_parameter("weight")!;
        Tensor? bias = layer.get_parameter("bias");
        bool transformed = _weightTransforms.TryGetValue(name, out var transform);
        if (!transformed && foldedBatchNorm is null)
        {
            return ConvolutionLayout.Convolve(spec, input, weight, bias);
        }
        // Frees the transformed kernel and the folding's temporaries; autograd keeps what backward needs, and the
        // parameters themselves were made outside the scope.
        using var scope = NewDisposeScope();
        var kernel = transformed ? transform!(weight) : weight;
        if (foldedBatchNorm is not null)
        {
            var batchNorm = (BatchNorm2d)_layers[foldedBatchNorm];
            var scale = batchNorm.weight! / (batchNorm.running_var! + batchNorm.eps).sqrt();
            kernel = kernel * scale.view(-1, 1, 1, 1);
            var centred = bias is null ? -batchNorm.running_mean! : bias - batchNorm.running_mean!;
            bias = centred * scale + batchNorm.bias!;
        }
        return ConvolutionLayout.Convolve(spec, input, kernel, bias).MoveToOuterDisposeScope();
    }

    // For each convolution whose only reader is a BatchNorm, that BatchNorm's node index (else 0).
    private static int[] FoldableBatchNorms(ModelGraph graph, List<int>[] readers)
    {
        var nodes = graph.Nodes;
        return nodes.Select((node, i) => node.Layer is Conv2dSpec && readers[i] is [int only]
            && nodes[only].Layer is BatchNorm2dSpec ? only : 0).ToArray();
    }

    private static nn.Module<Tensor, Tensor> CreateLayer(GraphNode node) => node.Layer switch
    {
        Conv2dSpec c => nn.Conv2d(c.InChannels, c.OutChannels, c.Kernel, stride: c.Stride, padding: c.Padding,
            groups: c.Groups, bias: c.Bias),
        BatchNorm2dSpec b => nn.BatchNorm2d(b.Channels),
        LinearSpec l => nn.Linear(l.InFeatures, l.OutFeatures, hasBias: l.Bias),
        _ => throw new NotSupportedException($"{node.Name}: {node.Layer.GetType().Name} has no parameters."),
    };

    private static nn.Module Namespace(Dictionary<string, nn.Module> namespaces, string path)
    {
        if (namespaces.TryGetValue(path, out var existing))
        {
            return existing;
        }
        int dot = path.LastIndexOf('.');
        var parent = Namespace(namespaces, dot < 0 ? "" : path[..dot]);
        var created = new ModuleNamespace(path);
        parent.register_module(dot < 0 ? path : path[(dot + 1)..], created);
        namespaces[path] = created;
        return created;
    }

    private static int[] LastUses(ModelGraph graph)
    {
        var last = new int[graph.Nodes.Count];
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (int j in graph.Nodes[i].Inputs)
            {
                last[j] = i;
            }
        }
        return last;
    }

    /// <summary>A parameterless module that only groups children, so nested names match PyTorch's.</summary>
    private sealed class ModuleNamespace(string name) : nn.Module(name);
}
