using Shear.Pruning.ExtremeValue;
using Shear.Pruning.Schedules;
using Shear.Pruning.Screening;
using Shear.Pruning.Stripes;

namespace Shear.Pruning.Methods;

/// <summary>Settings that only some methods read; defaults follow the original papers (METHODS.md §2, §5). Each
/// is declared once, with its flag and config key, in <see cref="MethodSettings"/>.</summary>
public sealed record MethodOptions
{
    /// <summary>LTH: fraction of the remaining weights pruned per round (p).</summary>
    public double LthRate { get; init; } = 0.2;

    /// <summary>LTH: rounds; null derives the fewest rounds of <see cref="LthRate"/> that reach the sparsity.</summary>
    public int? LthRounds { get; init; }

    /// <summary>LTH: optimizer step whose weights survivors are rewound to (0 = the initial weights).</summary>
    public long RewindStep { get; init; }

    /// <summary>SNIP: batch size of the one scoring batch.</summary>
    public int SnipBatch { get; init; } = 128;

    /// <summary>GraSP: samples per class in the scoring batch.</summary>
    public int GraspSamplesPerClass { get; init; } = 10;

    /// <summary>GraSP: logit temperature.</summary>
    public double GraspTemperature { get; init; } = 200;

    /// <summary>SynFlow: scoring iterations.</summary>
    public int SynFlowIterations { get; init; } = 100;

    /// <summary>Gradual magnitude pruning: steps between pruning events.</summary>
    public int GmpFrequency { get; init; } = 100;

    /// <summary>PMP: s0, the sparsity the ramp starts from (the authors' VGG-19 run jumps to 0.5).</summary>
    public double PmpInitialSparsity { get; init; }

    /// <summary>PMP: 0-based epoch of the first mask update; the model trains dense before it.</summary>
    public int PmpStartEpoch { get; init; }

    /// <summary>PMP: epochs by which the final sparsity is reached (the pruning horizon P); null = the last epoch, as
    /// in the authors' ResNet-18 runs. The mask is held from then on.</summary>
    public int? PmpHorizon { get; init; }

    /// <summary>PMP: optimizer steps between mask updates; null = once per epoch, at its start (the authors' code).</summary>
    public int? PmpFrequency { get; init; }

    /// <summary>PMP: shape of the ramp; cubic is gradual magnitude pruning's.</summary>
    public RampShape PmpRamp { get; init; } = RampShape.Linear;

    /// <summary>PMP: whether pruned weights may come back (masks then only zero the weights before forward, as in
    /// the authors' VGG-19 notebook); off by default: masks are monotone.</summary>
    public bool PmpRegrowth { get; init; }

    /// <summary>DPP: the extreme-value model of each layer (METHODS.md §1.3 (A)).</summary>
    public RetentionModelKind DppModel { get; init; } = RetentionModelKind.MaxOfM;

    /// <summary>DPP, max-of-m: the layer's magnitude law.</summary>
    public MagnitudeLawKind DppLaw { get; init; } = MagnitudeLawKind.HalfNormal;

    /// <summary>DPP, max-of-m: m (p = F(|w|)^m). Larger m prunes more.</summary>
    public double DppM { get; init; } = 4;

    /// <summary>DPP, block models: weights per block (small blocks, METHODS.md §1.3: per-filter blocks prune wide
    /// layers almost entirely).</summary>
    public int DppBlock { get; init; } = 16;

    /// <summary>DPP: how probabilities become decisions.</summary>
    public RetentionDecision DppDecision { get; init; } = RetentionDecision.Hybrid;

    /// <summary>DPP: τ_keep, keep for sure at or above it (the deterministic rule's threshold).</summary>
    public double DppKeep { get; init; } = 0.5;

    /// <summary>DPP: τ_prune, prune for sure at or below it (hybrid decisions).</summary>
    public double DppPrune { get; init; } = 0.05;

    /// <summary>DPP: rounds of fit, decide and fine-tune (each refits on the survivors).</summary>
    public int DppRounds { get; init; } = 1;

    /// <summary>L1-filter: per-layer ratios <c>conv1=0.3,layer1.0.conv1=0.5</c> (a group takes the first of its
    /// producers listed); unlisted groups use <c>--sparsity</c>.</summary>
    public string? L1LayerRatios { get; init; }

    /// <summary>L1-filter: leave groups tied by residual adds whole (Li et al.'s ResNet setting).</summary>
    public bool L1SkipResidual { get; init; }

    /// <summary>Network slimming: λ of the L1 penalty on BN scales (Liu et al.: 1e-4 for VGG, 1e-5 for ResNets).</summary>
    public double SlimmingLambda { get; init; } = 1e-4;

    /// <summary>Structured methods: the fewest channels a group keeps.</summary>
    public int ChannelFloor { get; init; } = 1;

    /// <summary>CDP: intended or coded form of the prop term (METHODS.md §4.2).</summary>
    public CdpForm CdpForm { get; init; } = CdpForm.Intended;

    /// <summary>CDP: prop, the group/element term's strength.</summary>
    public double CdpProp { get; init; } = 1e-3;

    /// <summary>CDP: var, weight texture similarity.</summary>
    public double CdpVar { get; init; }

    /// <summary>CDP: var2, skeleton texture similarity.</summary>
    public double CdpVar2 { get; init; }

    /// <summary>CDP: l1 on the skeletons (intended form only).</summary>
    public double CdpL1 { get; init; }

    /// <summary>CDP: l2, the skeletons' Frobenius norm.</summary>
    public double CdpL2 { get; init; }

    /// <summary>CDP: gl_a, the layer's L2 over filters of within-filter L1 norms.</summary>
    public double CdpGroup { get; init; }

    /// <summary>DTC: t, the base of every filter's threshold and the final pruning's fixed threshold (SWP: 0.01).</summary>
    public double DtcThreshold { get; init; } = 0.01;

    /// <summary>Screening: connections or channels.</summary>
    public ScreeningStructure Structure { get; init; } = ScreeningStructure.Unstructured;

    /// <summary>Screening: size of the class-balanced training sample F is computed on (METHODS.md §3.2: 5–10k).</summary>
    public int ScreeningSamples { get; init; } = 10_000;

    /// <summary>Screening: how F and the magnitude term combine.</summary>
    public ScreeningCombine ScreeningCombine { get; init; } = ScreeningCombine.Product;

    /// <summary>Screening, connections: whose F a connection takes (its source unit, its target unit or both).</summary>
    public ConnectionUnit ScreeningUnit { get; init; } = ConnectionUnit.Source;

    /// <summary>Screening: α of the blend (weight of F).</summary>
    public double ScreeningAlpha { get; init; } = 0.5;

    /// <summary>Screening: F is normalised within a layer by its maximum or its mean.</summary>
    public ScreeningNormalise ScreeningNormalise { get; init; } = ScreeningNormalise.Max;

    /// <summary>Screening, channels: the magnitude term (filter L1 norm, BN |γ| or none).</summary>
    public ChannelMagnitude ScreeningMagnitude { get; init; } = ChannelMagnitude.L1;

    /// <summary>Screening: pruning steps T (1 = one-shot).</summary>
    public int ScreeningSteps { get; init; } = 1;

    /// <summary>Screening: fine-tune epochs k after each step but the last (the last gets <c>--finetune-epochs</c>).</summary>
    public int ScreeningStepEpochs { get; init; } = 1;

    /// <summary>Screening: the steps' schedule.</summary>
    public StepScheduleKind ScreeningSchedule { get; init; } = StepScheduleKind.Anneal;

    /// <summary>Screening: μ of the annealing schedule.</summary>
    public double ScreeningMu { get; init; } = 100;

    /// <summary>Problems, each naming its flag.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                problems.Add(message);
            }
        }
        Require(LthRate is > 0 and < 1, $"--lth-rate must be in (0, 1), got {LthRate}");
        Require(LthRounds is null or >= 1, $"--lth-rounds must be at least 1, got {LthRounds}");
        Require(RewindStep >= 0, $"--rewind-step must be at least 0, got {RewindStep}");
        Require(SnipBatch >= 1, $"--snip-batch must be at least 1, got {SnipBatch}");
        Require(GraspSamplesPerClass >= 1, $"--grasp-samples-per-class must be at least 1, got {GraspSamplesPerClass}");
        Require(GraspTemperature > 0, $"--grasp-temperature must be positive, got {GraspTemperature}");
        Require(SynFlowIterations >= 1, $"--synflow-iterations must be at least 1, got {SynFlowIterations}");
        Require(GmpFrequency >= 1, $"--gmp-frequency must be at least 1, got {GmpFrequency}");
        Require(PmpInitialSparsity is >= 0 and < 1, $"--pmp-initial-sparsity must be in [0, 1), got {PmpInitialSparsity}");
        Require(PmpStartEpoch >= 0, $"--pmp-start-epoch must be at least 0, got {PmpStartEpoch}");
        Require(PmpHorizon is null || PmpHorizon > PmpStartEpoch, $"--pmp-horizon must be after --pmp-start-epoch ({PmpStartEpoch}), got {PmpHorizon}");
        Require(PmpFrequency is null or >= 1, $"--pmp-frequency must be at least 1, got {PmpFrequency}");
        Require(DppM > 0 && double.IsFinite(DppM), $"--dpp-m must be positive, got {DppM}");
        Require(DppBlock >= 1, $"--dpp-block must be at least 1, got {DppBlock}");
        Require(DppKeep is > 0 and <= 1, $"--dpp-keep must be in (0, 1], got {DppKeep}");
        Require(DppPrune >= 0 && DppPrune < DppKeep, $"--dpp-prune must be in [0, --dpp-keep), got {DppPrune}");
        Require(DppRounds >= 1, $"--dpp-rounds must be at least 1, got {DppRounds}");
        Require(SlimmingLambda >= 0 && double.IsFinite(SlimmingLambda), $"--slimming-lambda must be at least 0, got {SlimmingLambda}");
        Require(ChannelFloor >= 1, $"--channel-floor must be at least 1, got {ChannelFloor}");
        foreach (var (flag, value) in new[] { ("cdp-prop", CdpProp), ("cdp-var", CdpVar), ("cdp-var2", CdpVar2), ("cdp-l1", CdpL1), ("cdp-l2", CdpL2), ("cdp-group", CdpGroup) })
        {
            Require(value >= 0 && double.IsFinite(value), $"--{flag} must be at least 0, got {value}");
        }
        Require(DtcThreshold > 0 && double.IsFinite(DtcThreshold), $"--dtc-threshold must be positive, got {DtcThreshold}");
        Require(ScreeningSamples >= 2, $"--screening-samples must be at least 2, got {ScreeningSamples}");
        Require(ScreeningAlpha is >= 0 and <= 1, $"--screening-alpha must be in [0, 1], got {ScreeningAlpha}");
        Require(ScreeningSteps >= 1, $"--screening-steps must be at least 1, got {ScreeningSteps}");
        Require(ScreeningStepEpochs >= 0, $"--screening-step-epochs must be at least 0, got {ScreeningStepEpochs}");
        Require(ScreeningMu > 0 && double.IsFinite(ScreeningMu), $"--screening-mu must be positive, got {ScreeningMu}");
        try
        {
            FilterPruning.LayerRatios(L1LayerRatios);
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }
        return problems;
    }
}
