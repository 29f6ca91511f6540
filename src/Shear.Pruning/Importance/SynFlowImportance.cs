using Shear.Graphs;
using Shear.Masks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shear.Pruning.Importance;

/// <summary>
/// SynFlow (Tanaka et al., NeurIPS 2020), data-free: on a float64 copy of the model with every parameter replaced
/// by its absolute value, masked, BN in eval mode, the sum R of the outputs for an all-ones input; the score is
/// |w ⊙ ∂R/∂w|. The model itself is not touched. A pruning event of many iterations makes the copy once.
/// </summary>
public sealed class SynFlowImportance : IWeightImportance
{
    /// <inheritdoc/>
    public ScoreSet Score(PruningContext context, MaskSet current)
    {
        using var scoring = Begin(context);
        return scoring.Score(current);
    }

    /// <inheritdoc/>
    public IScoringEvent Begin(PruningContext context) => new Event(context);

    /// <summary>The float64 |θ| copy of one event; only the masked weights are rewritten per scoring.</summary>
    private sealed class Event : IScoringEvent
    {
        private readonly PruningContext _context;
        private readonly GraphModule _copy;
        private readonly Dictionary<string, Parameter> _named;

        // |w| of every prunable weight before masking, so that each scoring masks the unpruned magnitudes.
        private readonly Dictionary<string, Tensor> _magnitudes;
        private readonly Tensor _input;

        public Event(PruningContext context)
        {
            _context = context;
            _copy = new GraphModule(context.Model.Graph);
            _copy.load_state_dict(context.Model.state_dict());
            _copy.to(float64).to(context.Model.parameters().First().device).eval();
            _named = _copy.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
            using (no_grad())
            {
                foreach (var parameter in _named.Values)
                {
                    parameter.abs_();
                }
                _magnitudes = context.Parameters.ToDictionary(p => p.Name, p => _named[p.Name].clone(), StringComparer.Ordinal);
            }
            var shape = context.Model.Graph.Input;
            _input = ones([1, shape.Channels, shape.Height, shape.Width], float64, device: _named.Values.First().device);
        }

        public ScoreSet Score(MaskSet current)
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                foreach (var p in _context.Parameters)
                {
                    _named[p.Name].copy_(_magnitudes[p.Name] * current[p.Name]);
                }
            }
            var r = _copy.call(_input).sum();
            var weights = _context.Parameters.Select(p => (Tensor)_named[p.Name]).ToList();
            var gradients = autograd.grad([r], weights);
            var scores = _context.Parameters.Select((p, i) => KeyValuePair.Create(p.Name, (weights[i].detach() * gradients[i]).abs().MoveToOuterDisposeScope()));
            return new ScoreSet([.. scores]);
        }

        public void Dispose()
        {
            foreach (var magnitude in _magnitudes.Values)
            {
                magnitude.Dispose();
            }
            _input.Dispose();
            _copy.Dispose();
        }
    }
}
