using System.Text.Json.Serialization;
using Shear.Pruning.ExtremeValue;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of deterministic-probabilistic pruning (<see cref="DeterministicProbabilistic"/>).</summary>
public sealed partial record MethodOptions
{
    /// <summary>DPP: the extreme-value model of each layer (METHODS.md §1.3 (A)).</summary>
    [JsonPropertyOrder(15)]
    public RetentionModelKind DppModel { get; init; } = RetentionModelKind.MaxOfM;

    /// <summary>DPP, max-of-m: the layer's magnitude law.</summary>
    [JsonPropertyOrder(16)]
    public MagnitudeLawKind DppLaw { get; init; } = MagnitudeLawKind.HalfNormal;

    /// <summary>DPP, max-of-m: m (p = F(|w|)^m). Larger m prunes more.</summary>
    [JsonPropertyOrder(17)]
    public double DppM { get; init; } = 4;

    /// <summary>DPP, block models: weights per block (small blocks, METHODS.md §1.3: per-filter blocks prune wide
    /// layers almost entirely).</summary>
    [JsonPropertyOrder(18)]
    public int DppBlock { get; init; } = 16;

    /// <summary>DPP: how probabilities become decisions.</summary>
    [JsonPropertyOrder(19)]
    public RetentionDecision DppDecision { get; init; } = RetentionDecision.Hybrid;

    /// <summary>DPP: τ_keep, keep for sure at or above it (the deterministic rule's threshold).</summary>
    [JsonPropertyOrder(20)]
    public double DppKeep { get; init; } = 0.5;

    /// <summary>DPP: τ_prune, prune for sure at or below it (hybrid decisions).</summary>
    [JsonPropertyOrder(21)]
    public double DppPrune { get; init; } = 0.05;

    /// <summary>DPP: rounds of fit, decide and fine-tune (each refits on the survivors).</summary>
    [JsonPropertyOrder(22)]
    public int DppRounds { get; init; } = 1;
}

/// <summary>The settings of deterministic-probabilistic pruning (<see cref="DeterministicProbabilistic"/>), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class DeterministicProbabilisticSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>deterministic-probabilistic pruning (<see cref="DeterministicProbabilistic"/>): every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } =
    [
        _s.Choice<RetentionModelKind>("dpp-model", "max-of-m | block-gumbel | block-gev retention model", o => o.DppModel, (o, v) => o with { DppModel = v }),
        _s.Choice<MagnitudeLawKind>("dpp-law", "half-normal | half-laplace | empirical magnitude law of max-of-m", o => o.DppLaw, (o, v) => o with { DppLaw = v }),
        _s.Number("dpp-m", "m of max-of-m: p = F(|w|)^m (larger prunes more)", o => o.DppM, (o, v) => o with { DppM = v }, SettingRange.Positive<MethodOptions>()),
        _s.WholeNumber("dpp-block", "weights per block of the block-maxima models", o => o.DppBlock, (o, v) => o with { DppBlock = v }, SettingRange.AtLeast<MethodOptions, int>(1)),
        _s.Choice<RetentionDecision>("dpp-decision", "hybrid | deterministic | stochastic decisions", o => o.DppDecision, (o, v) => o with { DppDecision = v }),
        _s.Number("dpp-keep", "tau_keep: keep for sure when p >= it", o => o.DppKeep, (o, v) => o with { DppKeep = v }, SettingRange.Within<MethodOptions>("(0, 1]", v => v is > 0 and <= 1)),
        _s.Number("dpp-prune", "tau_prune: prune for sure when p <= it (hybrid)", o => o.DppPrune, (o, v) => o with { DppPrune = v },
            (o, v) => v >= 0 && v < o.DppKeep ? null : SettingRange.Problem("must be in [0, --dpp-keep)", v)),
        _s.WholeNumber("dpp-rounds", "rounds of fit, decide and fine-tune", o => o.DppRounds, (o, v) => o with { DppRounds = v }, SettingRange.AtLeast<MethodOptions, int>(1)),
    ];
}
