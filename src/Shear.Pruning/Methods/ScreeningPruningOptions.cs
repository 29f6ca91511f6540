using System.Text.Json.Serialization;
using Shear.Pruning.Schedules;
using Shear.Pruning.Screening;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of screening (<see cref="ScreeningPruning"/>).</summary>
public sealed partial record MethodOptions
{
    /// <summary>Screening: connections or channels.</summary>
    [JsonPropertyOrder(35)]
    public ScreeningStructure Structure { get; init; } = ScreeningStructure.Unstructured;

    /// <summary>Screening: size of the class-balanced training sample F is computed on (METHODS.md §3.2: 5–10k).</summary>
    [JsonPropertyOrder(36)]
    public int ScreeningSamples { get; init; } = 10_000;

    /// <summary>Screening: how F and the magnitude term combine.</summary>
    [JsonPropertyOrder(37)]
    public ScreeningCombine ScreeningCombine { get; init; } = ScreeningCombine.Product;

    /// <summary>Screening, connections: whose F a connection takes (its source unit, its target unit or both).</summary>
    [JsonPropertyOrder(38)]
    public ConnectionUnit ScreeningUnit { get; init; } = ConnectionUnit.Source;

    /// <summary>Screening: α of the blend (weight of F).</summary>
    [JsonPropertyOrder(39)]
    public double ScreeningAlpha { get; init; } = 0.5;

    /// <summary>Screening: F is normalised within a layer by its maximum or its mean.</summary>
    [JsonPropertyOrder(40)]
    public ScreeningNormalise ScreeningNormalise { get; init; } = ScreeningNormalise.Max;

    /// <summary>Screening, channels: the magnitude term (filter L1 norm, BN |γ| or none).</summary>
    [JsonPropertyOrder(41)]
    public ChannelMagnitude ScreeningMagnitude { get; init; } = ChannelMagnitude.L1;

    /// <summary>Screening: pruning steps T (1 = one-shot).</summary>
    [JsonPropertyOrder(42)]
    public int ScreeningSteps { get; init; } = 1;

    /// <summary>Screening: fine-tune epochs k after each step but the last (the last gets <c>--finetune-epochs</c>).</summary>
    [JsonPropertyOrder(43)]
    public int ScreeningStepEpochs { get; init; } = 1;

    /// <summary>Screening: the steps' schedule.</summary>
    [JsonPropertyOrder(44)]
    public StepScheduleKind ScreeningSchedule { get; init; } = StepScheduleKind.Anneal;

    /// <summary>Screening: μ of the annealing schedule.</summary>
    [JsonPropertyOrder(45)]
    public double ScreeningMu { get; init; } = 100;
}

/// <summary>The settings of screening (<see cref="ScreeningPruning"/>), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class ScreeningSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>screening (<see cref="ScreeningPruning"/>): every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } =
    [
        _s.Choice<ScreeningStructure>("structure", "unstructured (connections) | channel (whole channels, compacted)", o => o.Structure, (o, v) => o with { Structure = v }),
        _s.WholeNumber("screening-samples", "class-balanced training samples the F statistic is computed on", o => o.ScreeningSamples, (o, v) => o with { ScreeningSamples = v },
            SettingRange.AtLeast<MethodOptions, int>(2)),
        _s.Choice<ScreeningCombine>("screening-combine", "product (magnitude x F) | blend (alpha F + (1 - alpha) magnitude)", o => o.ScreeningCombine, (o, v) => o with { ScreeningCombine = v }),
        _s.Choice<ConnectionUnit>("screening-unit", "source | target | both: whose F a connection takes", o => o.ScreeningUnit, (o, v) => o with { ScreeningUnit = v }),
        _s.Number("screening-alpha", "weight of F in the blend", o => o.ScreeningAlpha, (o, v) => o with { ScreeningAlpha = v }, SettingRange.Within<MethodOptions>("[0, 1]", v => v is >= 0 and <= 1)),
        _s.Choice<ScreeningNormalise>("screening-normalise", "max | mean: how F is normalised within a layer", o => o.ScreeningNormalise, (o, v) => o with { ScreeningNormalise = v }),
        _s.Choice<ChannelMagnitude>("screening-magnitude", "l1 | gamma | none: the magnitude term of a channel's score", o => o.ScreeningMagnitude, (o, v) => o with { ScreeningMagnitude = v }),
        _s.WholeNumber("screening-steps", "pruning steps T (1 = one-shot)", o => o.ScreeningSteps, (o, v) => o with { ScreeningSteps = v }, SettingRange.AtLeast<MethodOptions, int>(1)),
        _s.WholeNumber("screening-step-epochs", "fine-tune epochs after each step but the last", o => o.ScreeningStepEpochs, (o, v) => o with { ScreeningStepEpochs = v },
            SettingRange.AtLeast<MethodOptions, int>(0)),
        _s.Choice<StepScheduleKind>("screening-schedule", "anneal | linear schedule of the steps' sparsity", o => o.ScreeningSchedule, (o, v) => o with { ScreeningSchedule = v }),
        _s.Number("screening-mu", "mu of the annealing schedule", o => o.ScreeningMu, (o, v) => o with { ScreeningMu = v }, SettingRange.Positive<MethodOptions>()),
    ];
}
