using Shear.Graphs;
using Shear.Inference.Kernels;
using Shear.Inference.Loading;

namespace Shear.Inference.Execution;

/// <summary>
/// Turns a layer's tensors into the rows a kernel runs: checks their shapes, folds a following BatchNorm into the
/// rows (<c>W·γ/√(var+ε)</c>, bias <c>(b − mean)·γ/√(var+ε) + β</c>, ε = 1e-5 as in PyTorch) and chooses dense or
/// CSR storage by the layer's sparsity, or shared-source blocks where whole stripes are zero.
/// </summary>
/// <param name="Weights">The model's tensors by state-dict name.</param>
/// <param name="Source">Where they came from, for error messages (a file, or "the weights given").</param>
/// <param name="SparseAbove">Sparsity from which a layer is stored as CSR.</param>
/// <param name="StripesAbove">Sparsity from which a convolution whose rows share their sources (stripe-pruned) is
/// stored as shared-source blocks.</param>
internal sealed record LayerWeights(IReadOnlyDictionary<string, WeightTensor> Weights, string Source, double SparseAbove, double StripesAbove)
{
    private const float Epsilon = 1e-5f;

    /// <summary>The rows of convolution <paramref name="node"/> (geometry <paramref name="shape"/>), with
    /// <paramref name="norm"/> folded in when given. Weights of taps that read only padding are dropped: they multiply
    /// zeros at every position, and without them a layer on a 1x1 image runs as the 1x1 convolution it is.</summary>
    public RowWeights Convolution(GraphNode node, Conv2dSpec conv, ConvolutionShape shape, GraphNode? norm)
    {
        int taps = conv.Kernel * conv.Kernel, depth = conv.InChannels / conv.Groups * taps;
        var w = Tensor(node.Name + ".weight", conv.OutChannels, conv.InChannels / conv.Groups, conv.Kernel, conv.Kernel).Values.ToArray();
        for (int t = 0; t < taps; t++)
        {
            if (shape.DeadTap(t / conv.Kernel, t % conv.Kernel))
            {
                for (int i = t; i < w.Length; i += taps)
                {
                    w[i] = 0;
                }
            }
        }
        float[] bias = conv.Bias ? [.. Tensor(node.Name + ".bias", conv.OutChannels).Values] : new float[conv.OutChannels];
        if (norm is not null)
        {
            Fold(norm, w, bias, depth);
        }
        int perGroup = conv.OutChannels / conv.Groups, inPerGroup = conv.InChannels / conv.Groups;
        return Rows(w, conv.OutChannels, depth, conv.Groups > 1 ? 1 : taps, bias, conv.Groups > 1, (o, j) => ((o / perGroup * inPerGroup) + (j / taps)) * taps + (j % taps));
    }

    /// <summary>The rows of linear layer <paramref name="node"/>.</summary>
    public RowWeights Linear(GraphNode node, LinearSpec linear)
    {
        var w = Tensor(node.Name + ".weight", linear.OutFeatures, linear.InFeatures).Values;
        float[] bias = linear.Bias ? [.. Tensor(node.Name + ".bias", linear.OutFeatures).Values] : new float[linear.OutFeatures];
        return Rows(w, linear.OutFeatures, linear.InFeatures, taps: 1, bias, grouped: false, (_, j) => j);
    }

    /// <summary>A BatchNorm as a per-channel scale and shift.</summary>
    public (float[] Scale, float[] Shift) Affine(GraphNode norm, int channels)
    {
        float[] gamma = Tensor(norm.Name + ".weight", channels).Values, beta = Tensor(norm.Name + ".bias", channels).Values;
        float[] mean = Tensor(norm.Name + ".running_mean", channels).Values, variance = Tensor(norm.Name + ".running_var", channels).Values;
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] / MathF.Sqrt(variance[c] + Epsilon);
            shift[c] = beta[c] - (mean[c] * scale[c]);
        }
        return (scale, shift);
    }

    private void Fold(GraphNode norm, float[] w, float[] bias, int depth)
    {
        var (scale, shift) = Affine(norm, bias.Length);
        for (int o = 0; o < bias.Length; o++)
        {
            for (int j = 0; j < depth; j++)
            {
                w[(o * depth) + j] *= scale[o];
            }
            bias[o] = (bias[o] * scale[o]) + shift[o];
        }
    }

    private RowWeights Rows(float[] w, int outputs, int depth, int taps, float[] bias, bool grouped, Func<int, int, int> source)
    {
        int nonZeros = w.Count(v => v != 0);
        double sparsity = 1 - ((double)nonZeros / w.Length);
        if (taps > 1 && sparsity >= StripesAbove)
        {
            // Blocks pay only where rows share their sources: at most a quarter more stored than non-zero (an
            // unstructured mask would store several zeros per non-zero).
            var plan = BlockPlan.Of(w, outputs, depth, taps);
            if (plan.Stored <= nonZeros * 1.25)
            {
                return RowWeights.Blocks(w, outputs, depth, taps, plan, bias, source);
            }
        }
        return grouped || sparsity >= SparseAbove ? RowWeights.Compressed(w, outputs, depth, bias, source) : RowWeights.Dense(w, outputs, depth, bias);
    }

    private WeightTensor Tensor(string name, params int[] shape) =>
        !Weights.TryGetValue(name, out var tensor) ? throw new InvalidDataException($"{Source}: no tensor '{name}', which the model's graph needs")
        : !tensor.Shape.SequenceEqual(shape) ? throw new InvalidDataException($"{Source}: tensor '{name}' has shape {tensor.ShapeText}, the graph needs [{string.Join(", ", shape)}]")
        : tensor;
}
