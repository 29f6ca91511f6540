using Shear.Graphs;
using Shear.Pruning.Importance;
using Shear.Pruning.Structure;
using static TorchSharp.torch;

namespace Shear.Pruning.Screening;

/// <summary>How the screening statistic and a magnitude term make one score (METHODS.md §3.2).</summary>
public enum ScreeningCombine
{
    /// <summary>magnitude × F̃ (a connection: |w| times its source unit's normalised F).</summary>
    Product,

    /// <summary>α·F̃ + (1 − α)·magnitude normalised by the layer's (group's) maximum.</summary>
    Blend,
}

/// <summary>Which unit's F a connection takes.</summary>
public enum ConnectionUnit
{
    /// <summary>The unit feeding the connection (the layer's input feature or channel).</summary>
    Source,

    /// <summary>The unit the connection feeds (the layer's output feature or channel, before its activation).</summary>
    Target,

    /// <summary>The geometric mean of the two normalised F values.</summary>
    Both,
}

/// <summary>How F is scaled within a layer before it is combined.</summary>
public enum ScreeningNormalise
{
    /// <summary>Divided by the layer's largest F.</summary>
    Max,

    /// <summary>Divided by the layer's mean F.</summary>
    Mean,
}

/// <summary>The magnitude term of a channel's score.</summary>
public enum ChannelMagnitude
{
    /// <summary>F̃ alone.</summary>
    None,

    /// <summary>The L1 norm of the channel's filters, summed over the group's producers.</summary>
    L1,

    /// <summary>|γ| of the BN layers on the group, summed.</summary>
    Gamma,
}

/// <summary>
/// Screening scores. F is invariant to rescaling a unit, so every outgoing connection of a unit has the unit's F:
/// a connection's score combines its source unit's F (the unit feeding the layer: an input feature, or an input
/// channel's spatial mean) with |w|, which separates connections that share a source. A channel's score is the F
/// of the channel's activation where its first consumer reads it (after BN, ReLU and pooling; for channels tied by
/// residual adds, the residual stream there), optionally combined with a filter magnitude.
/// </summary>
/// <param name="Combine">Product or blend.</param>
/// <param name="Alpha">α of the blend.</param>
/// <param name="NormaliseByMean">Normalise F by the layer mean instead of the maximum.</param>
/// <param name="Unit">Whose F a connection takes.</param>
public sealed record ScreeningScores(ScreeningCombine Combine, double Alpha, bool NormaliseByMean, ConnectionUnit Unit = ConnectionUnit.Source)
{
    /// <summary>One score per prunable weight of <paramref name="context"/>, from a class-balanced sample
    /// (<paramref name="input"/>, <paramref name="labels"/>). The caller owns the result.</summary>
    /// <exception cref="NotSupportedException">A grouped convolution (its inputs are not shared by all filters).</exception>
    public ScoreSet Connections(PruningContext context, Tensor input, Tensor labels)
    {
        var graph = context.Model.Graph;
        foreach (var p in context.Parameters.Where(p => p.Layer.Layer is Conv2dSpec { Groups: > 1 }))
        {
            throw new NotSupportedException($"screening: {p.Layer.Name} is a grouped convolution");
        }
        var sources = context.Parameters.ToDictionary(p => p.Name, p => p.Layer.Inputs[0]);
        var targets = context.Parameters.ToDictionary(p => p.Name, p => graph.IndexOf(p.Layer.Name));
        var screened = (Unit == ConnectionUnit.Target ? Enumerable.Empty<int>() : sources.Values).Concat(Unit == ConnectionUnit.Source ? [] : targets.Values).Distinct();
        var f = UnitScreen.F(context.Model, screened.ToDictionary(i => i, _ => (Func<Tensor, Tensor>?)null), input, labels, context.Classes);
        using var noGrad = no_grad();
        return new ScoreSet(context.Parameters.Select(p =>
        {
            using var scope = NewDisposeScope();
            var weight = p.Weight.detach().to(float64).abs();
            Tensor Along(int axis, double[] unitF)
            {
                if (unitF.Length != weight.shape[axis])
                {
                    throw new InvalidOperationException($"screening: {p.Name} has {weight.shape[axis]} units on axis {axis} but its activation has {unitF.Length}");
                }
                long[] shape = [.. Enumerable.Range(0, (int)weight.dim()).Select(d => d == axis ? unitF.Length : 1L)];
                return tensor(UnitScreen.Normalise(unitF, NormaliseByMean), dtype: float64, device: weight.device).reshape(shape);
            }
            var normalised = Unit switch
            {
                ConnectionUnit.Source => Along(1, f[sources[p.Name]]),
                ConnectionUnit.Target => Along(0, f[targets[p.Name]]),
                _ => (Along(1, f[sources[p.Name]]) * Along(0, f[targets[p.Name]])).sqrt(),
            };
            var score = Combine == ScreeningCombine.Product ? weight * normalised
                : (Alpha * normalised) + ((1 - Alpha) * weight / weight.max().clamp_min(double.Epsilon));
            return KeyValuePair.Create(p.Name, score.MoveToOuterDisposeScope());
        }));
    }

    /// <summary>One score per channel of every group of <paramref name="channels"/>, from a class-balanced sample;
    /// <paramref name="magnitude"/> picks the weighting. Also returns each group's raw F.</summary>
    public (IReadOnlyList<double[]> Scores, IReadOnlyList<double[]> F) Channels(PruningContext context, ChannelGraph channels,
        ChannelMagnitude magnitude, Tensor input, Tensor labels)
    {
        var graph = context.Model.Graph;
        // Each group is read where its first conv or linear consumer takes it in.
        var readAt = channels.Groups.Select(g => graph.Node(g.Readers.First(r => graph.Node(r).Layer is not BatchNorm2dSpec)).Inputs[0]).ToArray();
        var reducers = new Dictionary<int, Func<Tensor, Tensor>?>();
        var columns = new Dictionary<(int Node, int Group), int>();
        foreach (int node in readAt.Distinct())
        {
            var elements = channels.Elements(node);
            var groupsHere = readAt.Select((n, g) => (n, g)).Where(x => x.n == node).Select(x => x.g).ToList();
            int offset = 0;
            foreach (int g in groupsHere)
            {
                columns[(node, g)] = offset;
                offset += channels.Groups[g].Channels;
            }
            reducers[node] = GroupChannels(elements, groupsHere, columns, node, offset);
        }
        var f = UnitScreen.F(context.Model, reducers, input, labels, context.Classes);
        var groupF = channels.Groups.Select(g => f[readAt[g.Id]].Skip(columns[(readAt[g.Id], g.Id)]).Take(g.Channels).ToArray()).ToList();
        var magnitudes = magnitude switch
        {
            ChannelMagnitude.None => null,
            ChannelMagnitude.L1 => FilterNormImportance.Norms(context.Model, channels, FilterNorm.L1),
            ChannelMagnitude.Gamma => Gammas(context, channels),
            _ => throw new ArgumentOutOfRangeException(nameof(magnitude)),
        };
        var scores = channels.Groups.Select(g =>
        {
            double[] normalised = UnitScreen.Normalise(groupF[g.Id], NormaliseByMean);
            if (magnitudes is null)
            {
                return normalised;
            }
            double[] m = magnitudes[g.Id];
            double top = m.Max();
            return Combine == ScreeningCombine.Product
                ? [.. normalised.Zip(m, (a, b) => a * b)]
                : normalised.Zip(m, (a, b) => (Alpha * a) + ((1 - Alpha) * (top > 0 ? b / top : 0))).ToArray();
        }).ToList();
        return (scores, groupF);
    }

    // Averages the elements of each screened group's channels (a flattened channel's H·W features) into one column
    // per channel, groups laid side by side.
    private static Func<Tensor, Tensor> GroupChannels(IReadOnlyList<(int Group, int Channel)> elements, List<int> groups,
        Dictionary<(int Node, int Group), int> columns, int node, int width)
    {
        var picked = elements.Select((e, k) => (e, k)).Where(x => groups.Contains(x.e.Group)).ToList();
        long[] source = [.. picked.Select(x => (long)x.k)];
        long[] target = [.. picked.Select(x => (long)(columns[(node, x.e.Group)] + x.e.Channel))];
        double[] perColumn = new double[width];
        foreach (long t in target)
        {
            perColumn[t]++;
        }
        for (int c = 0; c < width; c++)
        {
            perColumn[c] = Math.Max(1, perColumn[c]);
        }
        return values =>
        {
            var sourceIndex = tensor(source, device: values.device);
            var targetIndex = tensor(target, device: values.device);
            var sums = zeros(values.shape[0], width, dtype: values.dtype, device: values.device)
                .index_add_(1, targetIndex, values.index_select(1, sourceIndex), 1);
            return sums / tensor(perColumn, dtype: values.dtype, device: values.device);
        };
    }

    private static IReadOnlyList<double[]> Gammas(PruningContext context, ChannelGraph channels)
    {
        var norms = context.Model.Graph.Nodes.Where(n => n.Layer is BatchNorm2dSpec).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var withoutNorm = channels.Groups.FirstOrDefault(g => !g.Readers.Any(norms.Contains));
        return withoutNorm is null ? BatchNormScaleImportance.Sums(context.Model, channels)
            : throw new ArgumentException($"--screening-magnitude gamma: channel group of {string.Join(", ", withoutNorm.Producers)} has no BN layer");
    }
}
