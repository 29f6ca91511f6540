using Shear.Training;
using static TorchSharp.torch;

namespace Shear.Masks;

/// <summary>
/// Enforces a <see cref="MaskSet"/> on a model during training: weights are multiplied by the mask before the
/// forward pass, gradients after backward, and weights again after the optimizer step, so that neither momentum
/// nor weight decay can revive a pruned weight. This is the one place masks touch weights.
/// </summary>
/// <remarks>Holds float copies of the masks (one multiply per tensor, no casts in the loop). Does not own the
/// parameters; owns its float masks (dispose it).</remarks>
public sealed class MaskApplier : ITrainingHook, IDisposable
{
    private readonly (Tensor Weight, Tensor Mask)[] _pairs;

    /// <summary>Binds <paramref name="masks"/> to the matching <paramref name="parameters"/>.</summary>
    public MaskApplier(IReadOnlyList<PrunableParameter> parameters, MaskSet masks)
    {
        _pairs = [.. masks.Names.Select(name =>
        {
            var parameter = parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new ArgumentException($"mask for '{name}' has no matching prunable parameter");
            if (!parameter.Weight.shape.SequenceEqual(masks[name].shape))
            {
                throw new ArgumentException($"mask for '{name}' is [{string.Join(", ", masks[name].shape)}], the weight is [{string.Join(", ", parameter.Weight.shape)}]");
            }
            return (parameter.Weight, masks[name].to(parameter.Weight.dtype).to(parameter.Weight.device).DetachFromDisposeScope());
        })];
    }

    /// <summary>Zeroes the pruned weights now.</summary>
    public void ApplyToWeights()
    {
        using var noGrad = no_grad();
        foreach (var (weight, mask) in _pairs)
        {
            weight.mul_(mask);
        }
    }

    /// <inheritdoc/>
    public void BeforeForward(TrainingContext context) => ApplyToWeights();

    /// <inheritdoc/>
    public void AfterBackward(TrainingContext context, Tensor loss)
    {
        using var noGrad = no_grad();
        foreach (var (weight, mask) in _pairs)
        {
            weight.grad?.mul_(mask);
        }
    }

    /// <inheritdoc/>
    public void AfterOptimizerStep(TrainingContext context) => ApplyToWeights();

    /// <summary>Frees the float masks.</summary>
    public void Dispose()
    {
        foreach (var (_, mask) in _pairs)
        {
            mask.Dispose();
        }
    }
}
