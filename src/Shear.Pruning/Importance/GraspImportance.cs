using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>
/// GraSP (Wang, Zhang &amp; Grosse, ICLR 2020): S = −w ⊙ (H g), with g = ∂L/∂w and the Hessian-gradient product
/// from a double backward, logits divided by a temperature, on a class-balanced batch. GraSP removes the weights
/// with the largest S, so the score returned is −S = w ⊙ Hg (higher = keep).
/// </summary>
/// <param name="samplesPerClass">Samples of each class in the batch (default 10).</param>
/// <param name="temperature">Logit temperature T (default 200).</param>
public sealed class GraspImportance(int samplesPerClass = 10, double temperature = 200) : IWeightImportance
{
    /// <inheritdoc/>
    public ScoreSet Score(PruningContext context, MaskSet current)
    {
        using var scope = NewDisposeScope();
        var (input, labels) = context.ClassBalancedBatch(samplesPerClass, "grasp-batch");
        var weights = context.Parameters.Select(p => p.Weight).ToList();
        context.Model.train();
        var g = autograd.grad([Loss(context, input, labels)], weights).Select(t => t.detach()).ToList();
        var gradients = autograd.grad([Loss(context, input, labels)], weights, retain_graph: true, create_graph: true);
        var z = gradients.Select((gr, i) => (gr * g[i]).sum()).Aggregate((a, b) => a + b);
        var hg = autograd.grad([z], weights);
        var scores = context.Parameters.Select((p, i) => KeyValuePair.Create(p.Name, (p.Weight.detach() * hg[i]).MoveToOuterDisposeScope()));
        return new ScoreSet([.. scores]);
    }

    private Tensor Loss(PruningContext context, Tensor input, Tensor labels) =>
        nn.functional.cross_entropy(context.Model.call(input) / temperature, labels);
}
