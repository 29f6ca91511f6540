using Shear.Graphs;
using Shear.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shear.Pruning.Stripes;

/// <summary>One skeleton-carrying convolution and the BN layers whose scale and shift follow its filters' fate.</summary>
/// <param name="Conv">Conv node name.</param>
/// <param name="Norms">BN nodes masked with its alive filters (the BN right after it, unless its channels are
/// tied to other producers by a residual add: METHODS.md §4.3 masks only a ResNet block's bn1).</param>
public sealed record SkeletonLayer(string Conv, IReadOnlyList<string> Norms);

/// <summary>
/// CDP + DTC during training: after backward, CDP's penalty is differentiated into the gradients of the weights and
/// skeletons (the same as adding it to the loss), then the dynamic threshold container zeroes each skeleton's weak
/// stripes and their gradients and the scale and shift (and gradients) of the BN channels of dead filters, before
/// the optimizer steps.
/// </summary>
public sealed class StripeTraining : ITrainingHook, IDisposable
{
    private readonly GraphModule _model;
    private readonly IReadOnlyList<SkeletonLayer> _layers;
    private readonly CdpCoefficients _coefficients;
    private readonly Scalar _threshold;
    private readonly Dictionary<string, TexturePenalty> _penalties;

    /// <summary>Acts on <paramref name="layers"/> of <paramref name="model"/> (skeletons already attached); dispose it
    /// after training.</summary>
    public StripeTraining(GraphModule model, IReadOnlyList<SkeletonLayer> layers, CdpCoefficients coefficients, double threshold)
    {
        (_model, _layers, _coefficients, _threshold) = (model, layers, coefficients, threshold.ToScalar());
        _penalties = layers.ToDictionary(l => l.Conv, _ => new TexturePenalty(coefficients), StringComparer.Ordinal);
    }

    /// <summary>The penalty's value at the last step (0 when no term is active).</summary>
    public double LastPenalty { get; private set; }

    /// <inheritdoc/>
    public void AfterBackward(TrainingContext context, Tensor loss)
    {
        using var scope = NewDisposeScope();
        if (_coefficients.Any)
        {
            var penalty = _layers.Select(l => _penalties[l.Conv].Compute(_model.Layer(l.Conv).get_parameter("weight")!, FilterSkeletons.Of(_model, l.Conv)!))
                .Aggregate((a, b) => a + b);
            penalty.backward();
            LastPenalty = penalty.to(ScalarType.Float64).item<double>();
        }
        foreach (var layer in _layers)
        {
            var alive = DynamicThreshold.Apply(FilterSkeletons.Of(_model, layer.Conv)!, _threshold);
            MaskNorms(layer, alive);
        }
    }

    private void MaskNorms(SkeletonLayer layer, Tensor alive)
    {
        using var noGrad = no_grad();
        foreach (string norm in layer.Norms)
        {
            foreach (string name in (string[])["weight", "bias"])
            {
                var parameter = _model.Layer(norm).get_parameter(name)!;
                var factor = alive.to(parameter.dtype);
                parameter.mul_(factor);
                parameter.grad?.mul_(factor);
            }
        }
    }

    /// <summary>Frees the penalties' and the threshold's scalars.</summary>
    public void Dispose()
    {
        foreach (var penalty in _penalties.Values)
        {
            penalty.Dispose();
        }
        _threshold.Dispose();
    }
}
