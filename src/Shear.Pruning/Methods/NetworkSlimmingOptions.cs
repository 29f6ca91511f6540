using System.Text.Json.Serialization;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of network slimming (<see cref="NetworkSlimming"/>).</summary>
public sealed partial record MethodOptions
{
    /// <summary>Network slimming: λ of the L1 penalty on BN scales (Liu et al.: 1e-4 for VGG, 1e-5 for ResNets).</summary>
    [JsonPropertyOrder(25)]
    public double SlimmingLambda { get; init; } = 1e-4;
}

/// <summary>The settings of network slimming (<see cref="NetworkSlimming"/>), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class NetworkSlimmingSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>network slimming (<see cref="NetworkSlimming"/>): every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } =
    [
        _s.Number("slimming-lambda", "L1 penalty on BN scales during training", o => o.SlimmingLambda, (o, v) => o with { SlimmingLambda = v }, SettingRange.NonNegative<MethodOptions>()),
    ];
}
