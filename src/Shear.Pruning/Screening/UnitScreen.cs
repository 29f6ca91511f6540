using Shear.Graphs;
using static TorchSharp.torch;

namespace Shear.Pruning.Screening;

/// <summary>
/// Screens units of a model across classes: runs a labelled sample through the graph in eval mode, with a forward
/// hook on every node asked for, reduces each node's output to one value per unit and sample (a conv feature map's
/// channels by their spatial mean, a vector's features as they are) and accumulates a <see cref="OneWayAnova"/>
/// per node. Nothing per sample is stored.
/// </summary>
public static class UnitScreen
{
    /// <summary>Samples per forward pass.</summary>
    public const int ChunkSize = 500;

    /// <summary>F per unit of each node in <paramref name="units"/> (keyed by node index), where each entry maps that
    /// node's per-sample unit values <c>[N, U]</c> (after the spatial mean) to the units screened (identity when
    /// null).</summary>
    public static IReadOnlyDictionary<int, double[]> F(GraphModule model, IReadOnlyDictionary<int, Func<Tensor, Tensor>?> units,
        Tensor input, Tensor labels, int classes)
    {
        var accumulators = new Dictionary<int, OneWayAnova>();
        bool training = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            long count = input.shape[0];
            for (long start = 0; start < count; start += ChunkSize)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(ChunkSize, count - start);
                var chunkLabels = labels.narrow(0, start, size);
                model.ForwardObserved(input.narrow(0, start, size), (node, value) =>
                {
                    if (!units.TryGetValue(node, out var reduce))
                    {
                        return;
                    }
                    var perUnit = PerUnit(value);
                    if (reduce is not null)
                    {
                        perUnit = reduce(perUnit);
                    }
                    if (!accumulators.TryGetValue(node, out var anova))
                    {
                        accumulators[node] = anova = new OneWayAnova((int)perUnit.shape[1], classes);
                    }
                    anova.Add(perUnit, chunkLabels);
                });
            }
            return units.Keys.ToDictionary(k => k, k => accumulators[k].F());
        }
        finally
        {
            model.train(training);
            foreach (var anova in accumulators.Values)
            {
                anova.Dispose();
            }
        }
    }

    /// <summary><c>[N, C, H, W]</c> → <c>[N, C]</c> by the spatial mean; <c>[N, F]</c> unchanged.</summary>
    public static Tensor PerUnit(Tensor value) => value.dim() switch
    {
        4 => value.mean([2, 3]),
        2 => value,
        _ => throw new NotSupportedException($"screening reads [N, C, H, W] or [N, F] activations, got [{string.Join(", ", value.shape)}]"),
    };

    /// <summary>Scales F within one layer to [0, 1]: +∞ (perfect separation) becomes the layer's largest finite F,
    /// then every value is divided by the maximum (<paramref name="byMean"/>: by the mean). A layer without any
    /// class information (all F zero) gets 1 everywhere, so its ranking falls back to the magnitude term.</summary>
    public static double[] Normalise(IReadOnlyList<double> f, bool byMean = false)
    {
        double largestFinite = f.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        double[] capped = [.. f.Select(v => double.IsPositiveInfinity(v) ? (largestFinite > 0 ? largestFinite : 1) : v)];
        double scale = byMean ? capped.Average() : capped.Max();
        return scale > 0 ? [.. capped.Select(v => v / scale)] : [.. capped.Select(_ => 1.0)];
    }
}
