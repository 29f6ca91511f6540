using System.Text.Json.Serialization;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of gradual magnitude pruning (<see cref="GradualMagnitude"/>).</summary>
public sealed partial record MethodOptions
{
    /// <summary>Gradual magnitude pruning: steps between pruning events.</summary>
    [JsonPropertyOrder(8)]
    public int GmpFrequency { get; init; } = 100;
}

/// <summary>The settings of gradual magnitude pruning (<see cref="GradualMagnitude"/>), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class GradualMagnitudeSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>gradual magnitude pruning (<see cref="GradualMagnitude"/>): every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } =
    [
        _s.WholeNumber("gmp-frequency", "optimizer steps between pruning events", o => o.GmpFrequency, (o, v) => o with { GmpFrequency = v }, SettingRange.AtLeast<MethodOptions, int>(1)),
    ];
}
