using Shear.Masks;

namespace Shear.Pruning.Selection;

/// <summary>Which weights to drop under a budget. A pure function: the new mask is a subset of
/// <c>current</c>, and weights already pruned are never chosen again.</summary>
public interface IMaskSelector
{
    /// <summary>Keeps the best-scored weights of <paramref name="current"/> so that <paramref name="sparsity"/> of
    /// all counted weights are pruned (or keeps <paramref name="current"/> when it is already sparser). The caller
    /// owns the result.</summary>
    public MaskSet Select(ScoreSet scores, MaskSet current, double sparsity);
}

/// <summary>Global or layer-wise ranking.</summary>
public enum SelectionKind
{
    /// <summary>One ranking over every counted weight.</summary>
    Global,

    /// <summary>Each layer pruned to the same sparsity.</summary>
    Layerwise,
}

/// <summary>The selector for a <see cref="SelectionKind"/>.</summary>
public static class MaskSelectors
{
    /// <summary>Creates the selector.</summary>
    public static IMaskSelector For(SelectionKind kind) => kind switch
    {
        SelectionKind.Global => new GlobalSelector(),
        SelectionKind.Layerwise => new LayerwiseSelector(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
