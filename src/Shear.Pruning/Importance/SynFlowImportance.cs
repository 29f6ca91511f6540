using Shear.Graphs;
using TorchSharp;
using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>
/// SynFlow (Tanaka et al., NeurIPS 2020), data-free: on a float64 copy of the model with every parameter replaced
/// by its absolute value, masked, BN in eval mode, the sum R of the outputs for an all-ones input; the score is
/// |w ⊙ ∂R/∂w|. The model itself is not touched.
/// </summary>
public sealed class SynFlowImportance : IWeightImportance
{
    /// <inheritdoc/>
    public ScoreSet Score(PruningContext context, MaskSet current)
    {
        using var scope = NewDisposeScope();
        using var copy = new GraphModule(context.Model.Graph);
        copy.load_state_dict(context.Model.state_dict());
        copy.to(float64).to(context.Model.parameters().First().device).eval();
        var named = copy.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        using (no_grad())
        {
            foreach (var parameter in named.Values)
            {
                parameter.abs_();
            }
            foreach (var p in context.Parameters)
            {
                named[p.Name].mul_(current[p.Name]);
            }
        }
        var shape = context.Model.Graph.Input;
        var input = ones([1, shape.Channels, shape.Height, shape.Width], float64, device: named.Values.First().device);
        var r = copy.call(input).sum();
        var weights = context.Parameters.Select(p => (Tensor)named[p.Name]).ToList();
        var gradients = autograd.grad([r], weights);
        var scores = context.Parameters.Select((p, i) => KeyValuePair.Create(p.Name, (weights[i].detach() * gradients[i]).abs().MoveToOuterDisposeScope()));
        return new ScoreSet([.. scores]);
    }
}
