using System.Text.Json.Serialization;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of L1-norm filter pruning and its random control (<see cref="FilterPruning"/>).</summary>
public sealed partial record MethodOptions
{
    private LayerRatios? _l1Ratios;

    /// <summary>L1-filter: per-layer ratios <c>conv1=0.3,layer1.0.conv1=0.5</c> (a group takes the first of its
    /// producers listed); unlisted groups use <c>--sparsity</c>. Parsed once, by the setting that reads them.</summary>
    [JsonIgnore]
    public LayerRatios? L1Ratios { get => _l1Ratios; init => _l1Ratios = value; }

    /// <summary>The text form of <see cref="L1Ratios"/>, as written: result.json and run ids keep it. Setting it
    /// parses it (a <see cref="FormatException"/> for a malformed list).</summary>
    [JsonPropertyOrder(23)]
    public string? L1LayerRatios { get => _l1Ratios?.Text; init => _l1Ratios = value is null ? null : LayerRatios.Parse(value); }

    /// <summary>L1-filter: leave groups tied by residual adds whole (Li et al.'s ResNet setting).</summary>
    [JsonPropertyOrder(24)]
    public bool L1SkipResidual { get; init; }
}

/// <summary>The settings of L1-norm filter pruning and its random control (<see cref="FilterPruning"/>), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class FilterPruningSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>L1-norm filter pruning and its random control (<see cref="FilterPruning"/>): every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } =
    [
        // Parsed when read, so a malformed list is an error at its flag or key, not in the middle of a run.
        new Setting<MethodOptions, LayerRatios?>("l1-layer-ratios", "per-layer ratios, e.g. conv1=0.3,layer1.0.conv1=0.5 (others: --sparsity)",
            s => SettingText.IsNull(s) ? null : LayerRatios.Parse(s), v => v?.Text ?? "null", o => o.L1Ratios, (o, v) => o with { L1Ratios = v }, null),
        _s.Flag("l1-skip-residual", "leave channel groups tied by residual adds whole (Li et al. on ResNets)", o => o.L1SkipResidual, (o, v) => o with { L1SkipResidual = v }),
    ];
}
