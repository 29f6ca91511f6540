using Shear.Pruning.Screening;
using Shear.Pruning.Structure;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>Screening's channel score (METHODS.md §3.2): the one-way ANOVA F of each channel across classes on a
/// seeded class-balanced sample of about <paramref name="samples"/> training images, combined by
/// <paramref name="scores"/> with the <paramref name="magnitude"/> term.</summary>
public sealed class ScreeningChannelImportance(ScreeningScores scores, ChannelMagnitude magnitude, int samples) : IChannelImportance
{
    /// <inheritdoc/>
    public IReadOnlyList<double[]> Score(PruningContext context, ChannelGraph channels)
    {
        using var scope = NewDisposeScope();
        var (input, labels) = context.ClassBalancedBatch(Math.Max(1, samples / context.Classes), "screening");
        return scores.Channels(context, channels, magnitude, input, labels).Scores;
    }
}
