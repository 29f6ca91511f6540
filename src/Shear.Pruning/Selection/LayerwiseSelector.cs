using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Pruning.Selection;

/// <summary>Each counted tensor keeps round((1 − s) · its size) weights, ranked within the tensor.</summary>
public sealed class LayerwiseSelector : IMaskSelector
{
    /// <inheritdoc/>
    public MaskSet Select(ScoreSet scores, MaskSet current, double sparsity)
    {
        SparsityGuard.Check(sparsity);
        using var scope = NewDisposeScope();
        var masks = current.Names.Select(name =>
        {
            var mask = current[name];
            long keep = (long)Math.Round((1 - sparsity) * mask.numel());
            return KeyValuePair.Create(name, TopK.Keep(scores[name], mask, keep).view(mask.shape).MoveToOuterDisposeScope());
        }).ToList();
        return new MaskSet(masks);
    }
}
