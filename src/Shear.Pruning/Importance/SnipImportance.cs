using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>
/// SNIP (Lee et al., ICLR 2019): connection sensitivity |w ⊙ ∂L/∂w| on one training batch, which equals
/// |∂L/∂c| for a multiplicative mask c at c = 1. The paper's normalisation by the sum does not change the ranking
/// and is left out.
/// </summary>
/// <param name="batchSize">Samples in the one batch (default 128).</param>
public sealed class SnipImportance(int batchSize = 128) : IWeightImportance
{
    /// <inheritdoc/>
    public ScoreSet Score(PruningContext context, MaskSet current)
    {
        using var scope = NewDisposeScope();
        var (input, labels) = context.RandomBatch(batchSize, "snip-batch");
        var weights = context.Parameters.Select(p => p.Weight).ToList();
        context.Model.train();
        var loss = nn.functional.cross_entropy(context.Model.call(input), labels);
        var gradients = autograd.grad([loss], weights);
        var scores = context.Parameters.Select((p, i) => KeyValuePair.Create(p.Name, (p.Weight.detach() * gradients[i]).abs().MoveToOuterDisposeScope()));
        return new ScoreSet([.. scores]);
    }
}
