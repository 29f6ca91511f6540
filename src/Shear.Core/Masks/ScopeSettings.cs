using Shear.Settings;

namespace Shear.Masks;

/// <summary>The settings of <see cref="PrunableScope"/>, declared once for the flags of <c>prune</c>, the
/// <c>scope:</c> section of configs, <c>config show</c> and validation.</summary>
public static class ScopeSettings
{
    private static readonly SettingKinds<PrunableScope> _s = new();

    /// <summary>Which layer kinds count: <c>scope.kinds</c> in a config, <c>--scope</c> on the CLI (the flag came
    /// first and stays).</summary>
    public static ISetting<PrunableScope> Kinds { get; } = _s.Choice<PrunableKinds>("kinds",
        "conv-and-linear | conv | linear: which weights are pruned and counted", o => o.Kinds, (o, v) => o with { Kinds = v }) with { Flag = "scope" };

    /// <summary>Layers left dense and out of the count.</summary>
    public static ISetting<PrunableScope> ExcludedLayers { get; } = _s.TextList("exclude-layers", "layers left dense and uncounted, e.g. conv1,fc3",
        o => o.ExcludedLayers, (o, v) => o with { ExcludedLayers = v });

    /// <summary>Every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<PrunableScope>> All { get; } = [Kinds, ExcludedLayers];
}
