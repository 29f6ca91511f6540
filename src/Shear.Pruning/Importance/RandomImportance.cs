using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>Uniform random scores from the run's seed: the control every criterion must beat.</summary>
public sealed class RandomImportance : IWeightImportance
{
    /// <inheritdoc/>
    public ScoreSet Score(PruningContext context, MaskSet current)
    {
        using var generator = context.Random.Generator("random-importance", 0);
        // Drawn on the CPU, layer by layer in mask order, so the scores do not depend on the device.
        return new ScoreSet(context.Parameters.Select(p =>
            KeyValuePair.Create(p.Name, rand(p.Weight.shape, generator: generator).to(p.Weight.device))));
    }
}
