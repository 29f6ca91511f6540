using Shear.Graphs;

namespace Shear.Inference.Execution;

/// <summary>
/// A model compiled for the engine: its steps in graph order, with BatchNorms folded into the convolution they follow
/// and ReLUs fused into the step before them, and each value placed in a workspace slot that it shares with values
/// whose lifetimes do not overlap (peak memory follows the graph's width, not its depth). A "same" convolution whose
/// only reader is another writes its output straight into that one's padded planes (no copy out, no copy in), and a
/// two-term residual add (with its ReLU) joins the convolution before it when the other term is ready.
/// </summary>
internal sealed class ExecutionPlan
{
    private readonly List<IStep> _steps = [];
    private readonly List<long> _slotSizes = [];
    private readonly List<int> _releaseAt = [];
    private readonly HashSet<int> _free = [];

    // Nodes whose value a convolution wrote straight into the next convolution's padded planes.
    private readonly HashSet<int> _planes = [];
    private readonly Value?[] _values;

    // The step that produces each node's value (-1 for the input).
    private readonly int[] _stepOf;
    private readonly int[] _lastUse;
    private readonly List<int>[] _readers;
    private readonly ModelGraph _graph;

    private ExecutionPlan(ModelGraph graph)
    {
        _graph = graph;
        _values = new Value?[graph.Nodes.Count];
        _stepOf = [.. graph.Nodes.Select(_ => -1)];
        _readers = [.. graph.Nodes.Select(_ => new List<int>())];
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (int j in graph.Nodes[i].Inputs.Distinct())
            {
                _readers[j].Add(i);
            }
        }
        _lastUse = [.. _readers.Select(r => r.Count == 0 ? int.MaxValue : r.Max())];
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IStep> Steps => _steps;

    /// <summary>Floats per sample of each slot.</summary>
    public IReadOnlyList<long> SlotSizes => _slotSizes;

    /// <summary>The graph's input value.</summary>
    public Value Input => _values[0]!.Value;

    /// <summary>The logits, <c>[classes][N]</c>.</summary>
    public Value Output => _values[^1]!.Value;

    /// <summary>How many leading steps run image by image at a batch above one (see <see cref="ImageByImage"/>): the
    /// steps before the first convolution or linear layer with fewer output positions per image than a register.</summary>
    public int ImageSteps { get; private set; }

    /// <summary>The values those steps leave for the rest (or for the output): copied into the whole batch's
    /// workspace after each image.</summary>
    public Value[] Handed { get; private set; } = [];

    /// <summary>Compiles <paramref name="graph"/> with the tensors of <paramref name="weights"/>.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing or has the wrong shape; the message names it.</exception>
    public static ExecutionPlan Compile(ModelGraph graph, LayerWeights weights, ExecutionOptions options)
    {
        var plan = new ExecutionPlan(graph);
        var nodes = graph.Nodes;
        plan._values[0] = plan.Allocate(nodes[0], 0);
        for (int i = 1; i < nodes.Count; i++)
        {
            if (plan._values[i] is null)
            {
                plan.Add(i, weights, options);
            }
        }
        plan.SplitImageSteps();
        return plan;
    }

    // Image by image up to the first layer whose output is too small to fill a register per image (a linear layer,
    // a convolution on a 3x3 or 1x1 plane): until there, one image's activations stay in L2 from layer to layer
    // instead of crossing the whole batch's slots in memory between layers; from there on, only the batch fills the
    // kernels' registers.
    private void SplitImageSteps()
    {
        var nodes = _graph.Nodes;
        int split = _steps.Count;
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Layer is Conv2dSpec or LinearSpec && Plane(nodes[i]) < ConvolutionShape.FewPositions)
            {
                split = Math.Min(split, _stepOf[i]);
            }
        }
        if (!_steps.Take(split).Any(s => s is ConvolutionStep))
        {
            // No layer to keep in cache (an MLP's flatten): nothing gained, the hand-over copy lost.
            split = 0;
        }
        var handed = new List<Value>();
        for (int i = 0; i < nodes.Count && split > 0; i++)
        {
            bool crosses = _stepOf[i] < split && (i == nodes.Count - 1 || _readers[i].Any(r => _stepOf[r] >= split));
            if (crosses && !handed.Contains(_values[i]!.Value))
            {
                if (_planes.Contains(i))
                {
                    // Kept as a convolution's padded planes: not a layout the batch's steps read. (Chained layers
                    // share one plane size, so this does not happen with the rule above.)
                    split = 0;
                    handed.Clear();
                    break;
                }
                handed.Add(_values[i]!.Value);
            }
        }
        (ImageSteps, Handed) = (split, [.. handed]);
    }

    private static int Plane(GraphNode node) => node.OutputShape.Count == 3 ? node.OutputShape[1] * node.OutputShape[2] : 1;

    private void Add(int index, LayerWeights weights, ExecutionOptions options)
    {
        var node = _graph.Nodes[index];
        var input = _values[node.Inputs[0]]!.Value;
        switch (node.Layer)
        {
            case Conv2dSpec conv:
                int norm = Follower<BatchNorm2dSpec>(index);
                int last = norm >= 0 ? norm : index, relu = Follower<ReluSpec>(last);
                var shape = new ConvolutionShape(node.Name, conv.InChannels, input.Height, input.Width, conv.OutChannels, conv.Kernel, conv.Stride, conv.Padding);
                var rows = weights.Convolution(node, conv, shape, norm >= 0 ? _graph.Nodes[norm] : null);
                int produced = relu >= 0 ? relu : last, next = Follower<Conv2dSpec>(produced);
                var layout = new PlaneLayout(_planes.Contains(node.Inputs[0]), next >= 0 && shape.Chains((Conv2dSpec)_graph.Nodes[next].Layer));
                var (residual, sum, sumRelu) = relu < 0 && shape.Phased && !layout.WritesPlanes ? Residual(last) : (null, -1, -1);
                produced = sumRelu >= 0 ? sumRelu : sum >= 0 ? sum : produced;
                Emit(produced, output => new ConvolutionStep(shape, rows, relu >= 0, input.Slot, output.Slot, options, layout, residual),
                    layout.WritesPlanes ? shape.PlanesSize : null, index, norm, sum);
                if (layout.WritesPlanes)
                {
                    _planes.Add(produced);
                }
                break;
            case LinearSpec linear:
                int linearRelu = Follower<ReluSpec>(index);
                var features = new ConvolutionShape(node.Name, linear.InFeatures, 1, 1, linear.OutFeatures, 1, 1, 0);
                var linearRows = weights.Linear(node, linear);
                Emit(linearRelu >= 0 ? linearRelu : index, output => new ConvolutionStep(features, linearRows, linearRelu >= 0, input.Slot, output.Slot, options), index);
                break;
            case BatchNorm2dSpec bn:
                int bnRelu = Follower<ReluSpec>(index);
                var (scale, shift) = weights.Affine(node, bn.Channels);
                Emit(bnRelu >= 0 ? bnRelu : index, output => new AffineStep(scale, shift, bnRelu >= 0, input, output), index);
                break;
            case ReluSpec:
                Emit(index, output => new ReluStep(input, output));
                break;
            case MaxPool2dSpec pool:
                Emit(index, output => new MaxPoolStep(pool.Kernel, pool.Stride, pool.Padding, input, output));
                break;
            case AvgPool2dSpec avg:
                Emit(index, output => new AvgPoolStep(avg.Kernel, avg.Stride, avg.Padding, avg.CountIncludePad, input, output));
                break;
            case ClipSpec or SigmoidSpec or HardSigmoidSpec or HardSwishSpec:
                Emit(index, output => new ElementwiseStep(node.Layer, input, output));
                break;
            case MulSpec:
                var factor = _values[node.Inputs[1]]!.Value;
                Emit(index, output => new MulStep(input, factor, output));
                break;
            case SoftmaxSpec softmax:
                Emit(index, output => new SoftmaxStep(softmax.Log, input, output));
                break;
            case GlobalAvgPoolSpec:
                Emit(index, output => new GlobalAvgPoolStep(input, output));
                break;
            case UnsqueezeSpec:
            case FlattenSpec when input.Plane == 1:
                // [C][N] already is the feature layout: the flatten is a new name for the same slot.
                _values[index] = input;
                _stepOf[index] = _stepOf[node.Inputs[0]];
                _releaseAt[input.Slot] = Math.Max(_releaseAt[input.Slot], _lastUse[index]);
                break;
            case FlattenSpec:
                Emit(index, output => new FlattenStep(input, output));
                break;
            case AddSpec:
                int addRelu = Follower<ReluSpec>(index);
                Value[] terms = [.. node.Inputs.Select(j => _values[j]!.Value)];
                Emit(addRelu >= 0 ? addRelu : index, output => new AddStep(terms, addRelu >= 0, output), index);
                break;
            case ConcatSpec:
                Value[] parts = [.. node.Inputs.Select(j => _values[j]!.Value)];
                Emit(index, output => new ConcatStep(parts, output));
                break;
            default:
                throw new NotSupportedException($"{_graph.Name}.{node.Name}: the inference engine has no step for {node.Layer.GetType().Name}");
        }
    }

    // A two-term add that alone reads node `last`, whose other term is already computed (in the channel-major layout):
    // the convolution producing `last` can add that term as it copies its output out (and apply the ReLU after it).
    private (ResidualAdd? Residual, int Add, int Relu) Residual(int last)
    {
        int add = Follower<AddSpec>(last);
        if (add < 0 || _graph.Nodes[add].Inputs is not [int first, int second] || first == second)
        {
            return (null, -1, -1);
        }
        int other = first == last ? second : first;
        if (_values[other] is not Value term || _planes.Contains(other) || term.Plane != Plane(_graph.Nodes[last]))
        {
            return (null, -1, -1);
        }
        int relu = Follower<ReluSpec>(add);
        return (new ResidualAdd(term.Slot, relu >= 0), add, relu);
    }

    // The node that alone reads node `index`, when it is a T (so its work can join index's step); else -1.
    private int Follower<T>(int index) where T : LayerSpec =>
        _readers[index] is [int only] && _graph.Nodes[only].Layer is T && _lastUse[index] == only ? only : -1;

    // Adds the step that produces node `last`'s value (standing also for the absorbed nodes), then frees every slot
    // whose last reader has run.
    private void Emit(int last, Func<Value, IStep> step, params int[] absorbed) => Emit(last, step, null, absorbed);

    // As above; `size` (floats per sample) overrides the value's own size (a convolution's output kept as the next
    // one's padded planes).
    private void Emit(int last, Func<Value, IStep> step, long? size, params int[] absorbed)
    {
        var output = Allocate(_graph.Nodes[last], _lastUse[last], size);
        _steps.Add(step(output));
        foreach (int node in absorbed.Where(n => n >= 0).Append(last))
        {
            _values[node] = output;
            _stepOf[node] = _steps.Count - 1;
        }
        for (int slot = 0; slot < _slotSizes.Count; slot++)
        {
            if (slot != output.Slot && _releaseAt[slot] <= last)
            {
                _free.Add(slot);
            }
        }
    }

    private Value Allocate(GraphNode node, int releaseAt, long? size = null)
    {
        var dims = node.OutputShape;
        var value = dims.Count == 3 ? new Value(-1, dims[0], dims[1], dims[2]) : new Value(-1, dims[0], 1, 1);
        long floats = size ?? value.Size;
        // Best fit among free slots: the smallest that holds it, else the largest (grown).
        int slot = _free.OrderBy(s => _slotSizes[s] >= floats ? 0 : 1).ThenBy(s => _slotSizes[s] >= floats ? _slotSizes[s] : -_slotSizes[s]).DefaultIfEmpty(-1).First();
        if (slot < 0)
        {
            slot = _slotSizes.Count;
            _slotSizes.Add(0);
            _releaseAt.Add(0);
        }
        _free.Remove(slot);
        _slotSizes[slot] = Math.Max(_slotSizes[slot], floats);
        _releaseAt[slot] = releaseAt;
        return value with { Slot = slot };
    }
}
