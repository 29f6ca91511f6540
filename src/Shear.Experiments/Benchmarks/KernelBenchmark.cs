using Shear.Data;
using Shear.Graphs;
using Shear.Inference;
using Shear.Inference.Loading;
using Engine = Shear.Inference.InferenceModel;

namespace Shear.Experiments.Benchmarks;

/// <summary>One layer type the engine runs, as timed by <see cref="KernelBenchmark"/>.</summary>
/// <param name="Name">e.g. <c>conv3x3 64-64 14x14</c>.</param>
/// <param name="Graph">The one-layer graph.</param>
/// <param name="Stripes">Whether its mask removes whole stripes (one kernel tap of a filter across every input
/// channel, as cdp-dtc prunes) instead of single weights.</param>
/// <param name="Kernel">The sparse kernel timed: <c>csr</c> or <c>blocks</c>.</param>
public sealed record KernelLayer(string Name, ModelGraph Graph, bool Stripes = false, string Kernel = "csr");

/// <summary>Dense and sparse kernel latency of one layer at one sparsity and batch size.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Sparsity">Fraction of zero weights (uniformly at random).</param>
/// <param name="Batch">Batch size.</param>
/// <param name="DenseMs">Median milliseconds with the dense kernel.</param>
/// <param name="SparseMs">Median milliseconds with the layer's sparse kernel (<see cref="KernelLayer.Kernel"/>).</param>
public sealed record KernelFigure(string Layer, double Sparsity, int Batch, double DenseMs, double SparseMs)
{
    /// <summary>How much faster the sparse kernel is.</summary>
    public double SpeedUp => DenseMs / SparseMs;
}

/// <summary>
/// Where sparse kernels start to pay (<c>shear bench kernels</c>): each layer type the zoo uses (3x3 and 1x1
/// convolutions, linear layers), at a range of sparsities, timed with the dense and the CSR kernel on the same
/// weights in alternating blocks, one thread; and a 3x3 convolution pruned in stripes, with the block kernel and with
/// CSR. The break-even is the lowest sparsity from which the sparse kernel is faster at every higher sparsity
/// measured; <see cref="InferenceOptions.DefaultSparseAbove"/> and <see cref="InferenceOptions.DefaultStripesAbove"/>
/// come from it.
/// </summary>
public static class KernelBenchmark
{
    /// <summary>The layers timed: shapes of ResNet-20's middle stage and LeNet-300-100's first layer.</summary>
    public static IReadOnlyList<KernelLayer> Layers { get; } =
    [
        Conv("conv3x3 32-32 14x14", 32, 14, 3, 1),
        Conv("conv3x3 64-64 7x7", 64, 7, 3, 1),
        Conv("conv1x1 64-64 14x14", 64, 14, 1, 0),
        Conv("conv3x3 32-32 14x14 stripes, blocks", 32, 14, 3, 1) with { Stripes = true, Kernel = "blocks" },
        Conv("conv3x3 32-32 14x14 stripes, csr", 32, 14, 3, 1) with { Stripes = true },
        new("linear 784-300", ModelGraph.FromNodes("linear", new ImageShape(784, 1, 1),
        [
            new GraphNode("input", new InputSpec(), [], [784, 1, 1]),
            new GraphNode("flat", new FlattenSpec(), [0], [784]),
            new GraphNode("layer", new LinearSpec(784, 300), [1], [300]),
        ])),
    ];

    /// <summary>Times every layer at every sparsity and batch size.</summary>
    public static IReadOnlyList<KernelFigure> Run(IReadOnlyList<double> sparsities, IReadOnlyList<int> batches, int repeats, double blockSeconds = 0.1)
    {
        var figures = new List<KernelFigure>();
        foreach (var layer in Layers)
        {
            foreach (double sparsity in sparsities)
            {
                var weights = RandomWeights(layer, sparsity, seed: 1);
                using var dense = Engine.Create(layer.Graph, weights, new InferenceOptions { Threads = 1, SparseAbove = 2, StripesAbove = 2 });
                using var sparse = Engine.Create(layer.Graph, weights,
                    new InferenceOptions { Threads = 1, SparseAbove = 0, StripesAbove = layer.Kernel == "blocks" ? 0 : 2 });
                if (sparsity > 0 && sparse.Layers.Single().Kernel != layer.Kernel)
                {
                    throw new InvalidOperationException($"{layer.Name}: the engine chose the {sparse.Layers.Single().Kernel} kernel");
                }
                foreach (int batch in batches)
                {
                    var input = new float[batch * layer.Graph.Input.Size];
                    Array.Fill(input, 0.5f);
                    var (denseOut, sparseOut) = (new float[batch * dense.Classes], new float[batch * sparse.Classes]);
                    dense.Run(input, denseOut);
                    sparse.Run(input, sparseOut);
                    var (d, s) = (new List<double>(), new List<double>());
                    for (int r = 0; r < repeats; r++)
                    {
                        d.Add(BlockTimer.Milliseconds(() => dense.Run(input, denseOut), blockSeconds));
                        s.Add(BlockTimer.Milliseconds(() => sparse.Run(input, sparseOut), blockSeconds));
                    }
                    figures.Add(new KernelFigure(layer.Name, sparsity, batch, Throughput.Of(d).Median, Throughput.Of(s).Median));
                }
            }
        }
        return figures;
    }

    /// <summary>Per layer and batch size: the lowest measured sparsity from which the sparse kernel is faster at
    /// every higher one (null where it never is).</summary>
    public static IEnumerable<(string Layer, int Batch, double? BreakEven)> BreakEvens(IReadOnlyList<KernelFigure> figures) =>
        figures.GroupBy(f => (f.Layer, f.Batch)).Select(g =>
        {
            var ordered = g.OrderBy(f => f.Sparsity).ToList();
            int first = ordered.Count;
            while (first > 0 && ordered[first - 1].SpeedUp >= 1)
            {
                first--;
            }
            return (g.Key.Layer, g.Key.Batch, first < ordered.Count ? ordered[first].Sparsity : (double?)null);
        });

    private static KernelLayer Conv(string name, int channels, int side, int kernel, int padding) =>
        new(name, ModelGraph.FromNodes("conv", new ImageShape(channels, side, side),
        [
            new GraphNode("input", new InputSpec(), [], [channels, side, side]),
            new GraphNode("layer", new Conv2dSpec(channels, channels, kernel, 1, padding, Bias: true), [0], [channels, side, side]),
        ]));

    private static Dictionary<string, WeightTensor> RandomWeights(KernelLayer layer, double sparsity, int seed)
    {
        var random = new Random(seed);
        var node = layer.Graph.Nodes[^1];
        int[] shape = node.Layer switch
        {
            Conv2dSpec c => [c.OutChannels, c.InChannels, c.Kernel, c.Kernel],
            LinearSpec l => [l.OutFeatures, l.InFeatures],
            _ => throw new InvalidOperationException(node.Layer.GetType().Name),
        };
        float[] values = [.. Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => random.NextDouble() < sparsity ? 0f : (float)random.NextDouble() - 0.5f)];
        if (layer.Stripes)
        {
            // Whole stripes: filter o keeps tap t across every input channel, or none of it.
            int taps = shape[2] * shape[3], perFilter = shape[1] * taps;
            bool[] kept = [.. Enumerable.Range(0, shape[0] * taps).Select(_ => random.NextDouble() >= sparsity)];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = kept[(i / perFilter * taps) + (i % taps)] ? (float)random.NextDouble() + 0.01f : 0f;
            }
        }
        return new()
        {
            ["layer.weight"] = new("layer.weight", shape, values),
            ["layer.bias"] = new("layer.bias", [shape[0]], new float[shape[0]]),
        };
    }
}
