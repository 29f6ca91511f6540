using System.Text.Json.Serialization;
using Shear.Pruning.Stripes;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of CDP + DTC (<see cref="CdpDtc"/>).</summary>
public sealed partial record MethodOptions
{
    /// <summary>CDP: intended or coded form of the prop term (METHODS.md §4.2).</summary>
    [JsonPropertyOrder(27)]
    public CdpForm CdpForm { get; init; } = CdpForm.Intended;

    /// <summary>CDP: prop, the group/element term's strength.</summary>
    [JsonPropertyOrder(28)]
    public double CdpProp { get; init; } = 1e-3;

    /// <summary>CDP: var, weight texture similarity.</summary>
    [JsonPropertyOrder(29)]
    public double CdpVar { get; init; }

    /// <summary>CDP: var2, skeleton texture similarity.</summary>
    [JsonPropertyOrder(30)]
    public double CdpVar2 { get; init; }

    /// <summary>CDP: l1 on the skeletons (intended form only).</summary>
    [JsonPropertyOrder(31)]
    public double CdpL1 { get; init; }

    /// <summary>CDP: l2, the skeletons' Frobenius norm.</summary>
    [JsonPropertyOrder(32)]
    public double CdpL2 { get; init; }

    /// <summary>CDP: gl_a, the layer's L2 over filters of within-filter L1 norms.</summary>
    [JsonPropertyOrder(33)]
    public double CdpGroup { get; init; }

    /// <summary>DTC: t, the base of every filter's threshold and the final pruning's fixed threshold (SWP: 0.01).</summary>
    [JsonPropertyOrder(34)]
    public double DtcThreshold { get; init; } = 0.01;

    /// <summary>DTC: the final structural pruning's threshold: the fixed t (the public code) or each filter's T_o,
    /// the thresholds training used.</summary>
    [JsonPropertyOrder(50)]
    public DtcFinal DtcFinal { get; init; } = DtcFinal.Fixed;

    /// <summary>CDP: the zoo's initialisation, or SWP's code's (BN scales 0.5, linear weights N(0, 0.01), biases 0).</summary>
    [JsonPropertyOrder(51)]
    public CdpInit CdpInit { get; init; } = CdpInit.Zoo;
}

/// <summary>How CDP + DTC's model is initialised before training with skeletons.</summary>
public enum CdpInit
{
    /// <summary>The zoo's initialisation, as every other method.</summary>
    Zoo,

    /// <summary>Stripe-wise pruning's code (on which CDP's builds): every BN scale 0.5, linear weights N(0, 0.01), biases 0.</summary>
    Swp,
}

/// <summary>The settings of CDP + DTC (<see cref="CdpDtc"/>), declared once for the CLI, configs, <c>config show</c> and validation; the
/// registry lists them with the method.</summary>
public static class CdpDtcSettings
{
    private static readonly SettingKinds<MethodOptions> _s = new();

    /// <summary>CDP + DTC (<see cref="CdpDtc"/>): every setting, in help and config order.</summary>
    public static IReadOnlyList<ISetting<MethodOptions>> All { get; } =
    [
        _s.Choice<CdpForm>("cdp-form", "intended (group/element ratios tracked between steps) | coded (2 prop |FS|_1, as the public code computes)", o => o.CdpForm, (o, v) => o with { CdpForm = v }),
        _s.Number("cdp-prop", "prop: strength of the group/element term (0: no penalty)", o => o.CdpProp, (o, v) => o with { CdpProp = v }, SettingRange.NonNegative<MethodOptions>()),
        _s.Number("cdp-var", "var: weight texture similarity term", o => o.CdpVar, (o, v) => o with { CdpVar = v }, SettingRange.NonNegative<MethodOptions>()),
        _s.Number("cdp-var2", "var2: skeleton texture similarity term", o => o.CdpVar2, (o, v) => o with { CdpVar2 = v }, SettingRange.NonNegative<MethodOptions>()),
        _s.Number("cdp-l1", "l1 on the skeletons (intended form only)", o => o.CdpL1, (o, v) => o with { CdpL1 = v }, SettingRange.NonNegative<MethodOptions>()),
        _s.Number("cdp-l2", "l2: Frobenius norm of the skeletons", o => o.CdpL2, (o, v) => o with { CdpL2 = v }, SettingRange.NonNegative<MethodOptions>()),
        _s.Number("cdp-group", "gl_a: L2 over filters of within-filter L1 norms", o => o.CdpGroup, (o, v) => o with { CdpGroup = v }, SettingRange.NonNegative<MethodOptions>()),
        _s.Number("dtc-threshold", "t: per-filter thresholds t mean(r)/r_o while training, fixed t at the end", o => o.DtcThreshold, (o, v) => o with { DtcThreshold = v },
            SettingRange.Positive<MethodOptions>()),
        _s.Choice<DtcFinal>("dtc-final", "fixed (stripes with |FS| <= t dropped, as the public code) | per-filter (each filter's T_o, as in training) for the final pruning",
            o => o.DtcFinal, (o, v) => o with { DtcFinal = v }),
        _s.Choice<CdpInit>("cdp-init", "zoo | swp (BN scales 0.5, linear weights N(0, 0.01), as stripe-wise pruning's code)", o => o.CdpInit, (o, v) => o with { CdpInit = v }),
    ];
}
