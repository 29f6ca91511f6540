using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>|w|: the classic magnitude criterion (Han et al. 2015; LTH; gradual magnitude pruning).</summary>
public sealed class MagnitudeImportance : IWeightImportance
{
    /// <inheritdoc/>
    public ScoreSet Score(PruningContext context, MaskSet current)
    {
        using var noGrad = no_grad();
        return new ScoreSet(context.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Weight.detach().abs())));
    }
}
