using Shear.Masks;
using static TorchSharp.torch;

namespace Shear.Pruning.Selection;

/// <summary>One global ranking: keeps round((1 − s) · total) weights over all counted tensors together.</summary>
public sealed class GlobalSelector : IMaskSelector
{
    /// <inheritdoc/>
    public MaskSet Select(ScoreSet scores, MaskSet current, double sparsity)
    {
        SparsityGuard.Check(sparsity);
        using var scope = NewDisposeScope();
        var names = current.Names;
        var flatScores = cat(names.Select(n => scores[n].detach().flatten().to(float64)).ToList());
        var flatCurrent = cat(names.Select(n => current[n].flatten()).ToList());
        long keep = (long)Math.Round((1 - sparsity) * current.Total);
        var kept = TopK.Keep(flatScores, flatCurrent, keep);
        var masks = new List<KeyValuePair<string, Tensor>>();
        long offset = 0;
        foreach (string name in names)
        {
            long size = current[name].numel();
            masks.Add(KeyValuePair.Create(name, kept.narrow(0, offset, size).view(current[name].shape).clone().MoveToOuterDisposeScope()));
            offset += size;
        }
        return new MaskSet(masks);
    }
}

/// <summary>Validates a target sparsity.</summary>
internal static class SparsityGuard
{
    public static void Check(double sparsity)
    {
        if (!(sparsity >= 0 && sparsity < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "--sparsity must be in [0, 1)");
        }
    }
}
