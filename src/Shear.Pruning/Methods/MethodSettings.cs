using System.Globalization;

namespace Shear.Pruning.Methods;

/// <summary>
/// One method-specific setting, declared once for every surface that reads or writes it: the CLI flag
/// <c>--Key</c>, the config key <c>Key:</c> and the resolved config that <c>shear config show</c> prints.
/// </summary>
/// <param name="Key">Flag and config key, kebab-case, prefixed by the method it belongs to.</param>
/// <param name="Methods">The methods that read it; giving it to another method is an error.</param>
/// <param name="Description">One line for help texts.</param>
/// <param name="IsFlag">A boolean switch (on the CLI it takes no value).</param>
/// <param name="Show">The value in <paramref name="Key"/>'s text form (<c>null</c> for an absent optional).</param>
/// <param name="Parse">Sets the value from text; throws <see cref="FormatException"/> naming what it expected.</param>
public sealed record MethodSetting(string Key, IReadOnlyList<string> Methods, string Description, bool IsFlag,
    Func<MethodOptions, string> Show, Func<MethodOptions, string, MethodOptions> Parse);

/// <summary>The registry of method-specific settings (every <see cref="MethodOptions"/> property but none other).</summary>
public static class MethodSettings
{
    /// <summary>Every setting, grouped by method.</summary>
    public static IReadOnlyList<MethodSetting> All { get; } =
    [
        Double("lth-rate", "lth", "fraction of the remaining weights pruned per round", o => o.LthRate, (o, v) => o with { LthRate = v }),
        OptionalInt("lth-rounds", "lth", "rounds (default: the fewest rounds of --lth-rate that reach --sparsity)", o => o.LthRounds, (o, v) => o with { LthRounds = v }),
        Long("rewind-step", "lth", "rewind survivors to their weights after this optimizer step (0 = initial)", o => o.RewindStep, (o, v) => o with { RewindStep = v }),
        Int("snip-batch", "snip", "samples in the scoring batch", o => o.SnipBatch, (o, v) => o with { SnipBatch = v }),
        Int("grasp-samples-per-class", "grasp", "samples per class in the scoring batch", o => o.GraspSamplesPerClass, (o, v) => o with { GraspSamplesPerClass = v }),
        Double("grasp-temperature", "grasp", "logit temperature", o => o.GraspTemperature, (o, v) => o with { GraspTemperature = v }),
        Int("synflow-iterations", "synflow", "scoring iterations", o => o.SynFlowIterations, (o, v) => o with { SynFlowIterations = v }),
        Int("gmp-frequency", "gmp", "optimizer steps between pruning events", o => o.GmpFrequency, (o, v) => o with { GmpFrequency = v }),
        Double("pmp-initial-sparsity", "pmp", "s0, the sparsity the linear ramp starts from", o => o.PmpInitialSparsity, (o, v) => o with { PmpInitialSparsity = v }),
        Int("pmp-start-epoch", "pmp", "0-based epoch of the first mask update (dense before it)", o => o.PmpStartEpoch, (o, v) => o with { PmpStartEpoch = v }),
        OptionalInt("pmp-horizon", "pmp", "epoch by which the final sparsity is reached, then held (default: the last epoch)", o => o.PmpHorizon, (o, v) => o with { PmpHorizon = v }),
        OptionalInt("pmp-frequency", "pmp", "optimizer steps between mask updates (default: once per epoch, at its start)", o => o.PmpFrequency, (o, v) => o with { PmpFrequency = v }),
        Enum<Schedules.RampShape>("pmp-ramp", "pmp", "linear | cubic ramp (cubic is gmp's schedule)", o => o.PmpRamp, (o, v) => o with { PmpRamp = v }),
        Enum<ExtremeValue.RetentionModelKind>("dpp-model", "dpp", "max-of-m | block-gumbel | block-gev retention model", o => o.DppModel, (o, v) => o with { DppModel = v }),
        Enum<ExtremeValue.MagnitudeLawKind>("dpp-law", "dpp", "half-normal | half-laplace | empirical magnitude law of max-of-m", o => o.DppLaw, (o, v) => o with { DppLaw = v }),
        Double("dpp-m", "dpp", "m of max-of-m: p = F(|w|)^m (larger prunes more)", o => o.DppM, (o, v) => o with { DppM = v }),
        Int("dpp-block", "dpp", "weights per block of the block-maxima models", o => o.DppBlock, (o, v) => o with { DppBlock = v }),
        Enum<RetentionDecision>("dpp-decision", "dpp", "hybrid | deterministic | stochastic decisions", o => o.DppDecision, (o, v) => o with { DppDecision = v }),
        Double("dpp-keep", "dpp", "tau_keep: keep for sure when p >= it", o => o.DppKeep, (o, v) => o with { DppKeep = v }),
        Double("dpp-prune", "dpp", "tau_prune: prune for sure when p <= it (hybrid)", o => o.DppPrune, (o, v) => o with { DppPrune = v }),
        Int("dpp-rounds", "dpp", "rounds of fit, decide and fine-tune", o => o.DppRounds, (o, v) => o with { DppRounds = v }),
        Text("l1-layer-ratios", "l1-filter", "per-layer ratios, e.g. conv1=0.3,layer1.0.conv1=0.5 (others: --sparsity)", o => o.L1LayerRatios, (o, v) => o with { L1LayerRatios = v }),
        Flag("l1-skip-residual", "l1-filter", "leave channel groups tied by residual adds whole (Li et al. on ResNets)", o => o.L1SkipResidual, (o, v) => o with { L1SkipResidual = v }),
        Double("slimming-lambda", "slimming", "L1 penalty on BN scales during training", o => o.SlimmingLambda, (o, v) => o with { SlimmingLambda = v }),
        new("channel-floor", ["l1-filter", "random-channel", "slimming", "screening", "cdp-dtc"], "fewest channels a channel group keeps", false, o => o.ChannelFloor.ToString(CultureInfo.InvariantCulture),
            (o, s) => o with { ChannelFloor = ParseInt(s) }),
        Enum<ScreeningStructure>("structure", "screening", "unstructured (connections) | channel (whole channels, compacted)", o => o.Structure, (o, v) => o with { Structure = v }),
        Int("screening-samples", "screening", "class-balanced training samples the F statistic is computed on", o => o.ScreeningSamples, (o, v) => o with { ScreeningSamples = v }),
        Enum<Screening.ScreeningCombine>("screening-combine", "screening", "product (magnitude x F) | blend (alpha F + (1 - alpha) magnitude)", o => o.ScreeningCombine, (o, v) => o with { ScreeningCombine = v }),
        Enum<Screening.ConnectionUnit>("screening-unit", "screening", "source | target | both: whose F a connection takes", o => o.ScreeningUnit, (o, v) => o with { ScreeningUnit = v }),
        Double("screening-alpha", "screening", "weight of F in the blend", o => o.ScreeningAlpha, (o, v) => o with { ScreeningAlpha = v }),
        Enum<Screening.ScreeningNormalise>("screening-normalise", "screening", "max | mean: how F is normalised within a layer", o => o.ScreeningNormalise, (o, v) => o with { ScreeningNormalise = v }),
        Enum<Screening.ChannelMagnitude>("screening-magnitude", "screening", "l1 | gamma | none: the magnitude term of a channel's score", o => o.ScreeningMagnitude, (o, v) => o with { ScreeningMagnitude = v }),
        Int("screening-steps", "screening", "pruning steps T (1 = one-shot)", o => o.ScreeningSteps, (o, v) => o with { ScreeningSteps = v }),
        Int("screening-step-epochs", "screening", "fine-tune epochs after each step but the last", o => o.ScreeningStepEpochs, (o, v) => o with { ScreeningStepEpochs = v }),
        Enum<Schedules.StepScheduleKind>("screening-schedule", "screening", "anneal | linear schedule of the steps' sparsity", o => o.ScreeningSchedule, (o, v) => o with { ScreeningSchedule = v }),
        Double("screening-mu", "screening", "mu of the annealing schedule", o => o.ScreeningMu, (o, v) => o with { ScreeningMu = v }),
        Enum<Stripes.CdpForm>("cdp-form", "cdp-dtc", "intended (group/element ratios tracked between steps) | coded (2 prop |FS|_1, as the public code computes)", o => o.CdpForm, (o, v) => o with { CdpForm = v }),
        Double("cdp-prop", "cdp-dtc", "prop: strength of the group/element term (0: no penalty)", o => o.CdpProp, (o, v) => o with { CdpProp = v }),
        Double("cdp-var", "cdp-dtc", "var: weight texture similarity term", o => o.CdpVar, (o, v) => o with { CdpVar = v }),
        Double("cdp-var2", "cdp-dtc", "var2: skeleton texture similarity term", o => o.CdpVar2, (o, v) => o with { CdpVar2 = v }),
        Double("cdp-l1", "cdp-dtc", "l1 on the skeletons (intended form only)", o => o.CdpL1, (o, v) => o with { CdpL1 = v }),
        Double("cdp-l2", "cdp-dtc", "l2: Frobenius norm of the skeletons", o => o.CdpL2, (o, v) => o with { CdpL2 = v }),
        Double("cdp-group", "cdp-dtc", "gl_a: L2 over filters of within-filter L1 norms", o => o.CdpGroup, (o, v) => o with { CdpGroup = v }),
        Double("dtc-threshold", "cdp-dtc", "t: per-filter thresholds t mean(r)/r_o while training, fixed t at the end", o => o.DtcThreshold, (o, v) => o with { DtcThreshold = v }),
        Flag("pmp-regrowth", "pmp", "let pruned weights come back (masks only zero weights before forward)", o => o.PmpRegrowth, (o, v) => o with { PmpRegrowth = v }),
    ];

    /// <summary>The settings <paramref name="method"/> reads, in registry order.</summary>
    public static IEnumerable<MethodSetting> For(string method) => All.Where(s => s.Methods.Contains(method));

    /// <summary>kebab-case of a PascalCase name (<c>HalfNormal</c> → <c>half-normal</c>).</summary>
    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static MethodSetting Double(string key, string method, string text, Func<MethodOptions, double> get, Func<MethodOptions, double, MethodOptions> set) =>
        new(key, [method], text, false, o => get(o).ToString("R", CultureInfo.InvariantCulture), (o, s) => set(o,
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new FormatException($"expected a number, got '{s}'")));

    private static MethodSetting Int(string key, string method, string text, Func<MethodOptions, int> get, Func<MethodOptions, int, MethodOptions> set) =>
        new(key, [method], text, false, o => get(o).ToString(CultureInfo.InvariantCulture), (o, s) => set(o, ParseInt(s)));

    private static MethodSetting Long(string key, string method, string text, Func<MethodOptions, long> get, Func<MethodOptions, long, MethodOptions> set) =>
        new(key, [method], text, false, o => get(o).ToString(CultureInfo.InvariantCulture), (o, s) => set(o,
            long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : throw new FormatException($"expected an integer, got '{s}'")));

    private static MethodSetting OptionalInt(string key, string method, string text, Func<MethodOptions, int?> get, Func<MethodOptions, int?, MethodOptions> set) =>
        new(key, [method], text, false, o => get(o) is int v ? v.ToString(CultureInfo.InvariantCulture) : "null",
            (o, s) => set(o, s is "null" or "~" or "" ? null : ParseInt(s)));

    private static MethodSetting Text(string key, string method, string text, Func<MethodOptions, string?> get, Func<MethodOptions, string?, MethodOptions> set) =>
        new(key, [method], text, false, o => get(o) ?? "null", (o, s) => set(o, s is "null" or "~" or "" ? null : s));

    private static MethodSetting Flag(string key, string method, string text, Func<MethodOptions, bool> get, Func<MethodOptions, bool, MethodOptions> set) =>
        new(key, [method], text, true, o => get(o) ? "true" : "false",
            (o, s) => set(o, bool.TryParse(s, out bool v) ? v : throw new FormatException($"expected true or false, got '{s}'")));

    private static MethodSetting Enum<T>(string key, string method, string text, Func<MethodOptions, T> get, Func<MethodOptions, T, MethodOptions> set)
        where T : struct, System.Enum =>
        new(key, [method], text, false, o => Kebab(get(o).ToString()), (o, s) => set(o,
            System.Enum.GetValues<T>().Where(v => Kebab(v.ToString()) == s || v.ToString().Equals(s, StringComparison.OrdinalIgnoreCase)).Select(v => (T?)v).FirstOrDefault()
            ?? throw new FormatException($"expected one of {string.Join(", ", System.Enum.GetValues<T>().Select(v => Kebab(v.ToString())))}, got '{s}'")));

    private static int ParseInt(string s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new FormatException($"expected an integer, got '{s}'");
}
