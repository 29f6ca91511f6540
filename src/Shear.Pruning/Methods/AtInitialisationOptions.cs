using System.Text.Json.Serialization;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of the methods that prune at initialisation (<see cref="AtInitialisation"/>: SNIP, GraSP, SynFlow).</summary>
public sealed partial record MethodOptions
{
    /// <summary>SNIP: batch size of the one scoring batch.</summary>
    [JsonPropertyOrder(4)]
    public int SnipBatch { get; init; } = 128;

    /// <summary>GraSP: samples per class in the scoring batch.</summary>
    [JsonPropertyOrder(5)]
    public int GraspSamplesPerClass { get; init; } = 10;

    /// <summary>GraSP: logit temperature.</summary>
    [JsonPropertyOrder(6)]
    public double GraspTemperature { get; init; } = 200;

    /// <summary>SynFlow: scoring iterations.</summary>
    [JsonPropertyOrder(7)]
    public int SynFlowIterations { get; init; } = 100;
}

/// <summary>The settings of the methods that prune at initialisation (<see cref="AtInitialisation"/>: SNIP, GraSP, SynFlow), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class AtInitialisationSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>Snip's settings.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> Snip { get; } =
    [
        _s.WholeNumber("snip-batch", "samples in the scoring batch", o => o.SnipBatch, (o, v) => o with { SnipBatch = v }, SettingRange.AtLeast<MethodOptions, int>(1)),
    ];

    /// <summary>Grasp's settings.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> Grasp { get; } =
    [
        _s.WholeNumber("grasp-samples-per-class", "samples per class in the scoring batch", o => o.GraspSamplesPerClass, (o, v) => o with { GraspSamplesPerClass = v },
            SettingRange.AtLeast<MethodOptions, int>(1)),
        _s.Number("grasp-temperature", "logit temperature", o => o.GraspTemperature, (o, v) => o with { GraspTemperature = v }, SettingRange.Positive<MethodOptions>()),
    ];

    /// <summary>SynFlow's settings.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> SynFlow { get; } =
    [
        _s.WholeNumber("synflow-iterations", "scoring iterations", o => o.SynFlowIterations, (o, v) => o with { SynFlowIterations = v }, SettingRange.AtLeast<MethodOptions, int>(1)),
    ];
}
