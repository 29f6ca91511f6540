using Shear.Pruning.Importance;

namespace Shear.Pruning.Methods;

/// <summary>Every pruning method by key. Keys are frozen (tests/fixtures/golden/method-keys.txt).</summary>
public static class PruningMethods
{
    private const string AtInit = "prunes at initialisation";

    /// <summary>The registry, in the order help and reports list it.</summary>
    public static IReadOnlyList<PruningMethodInfo> All { get; } =
    [
        new("random", "random scores, one-shot after training, then fine-tune", "E + F",
            ModelStart.Trained, r => new OneShotAfterTraining(new RandomImportance(), r)),
        new("magnitude", "|w|, one-shot after training (global or per layer), then fine-tune", "E + F",
            ModelStart.Trained, r => new OneShotAfterTraining(new MagnitudeImportance(), r)),
        new("gmp", "gradual magnitude pruning during training, cubic schedule (Zhu & Gupta 2017)", "E + F",
            ModelStart.ScratchOrTrained, r => new GradualMagnitude(r)) { Settings = GradualMagnitudeSettings.All },
        new("pmp", "progressive magnitude pruning: one run, linear sparsity ramp, mask recomputed each epoch from active weights (Qureshi et al. 2026)", "E",
            ModelStart.ScratchOrTrained, r => new ProgressiveMagnitude(r)) { Settings = ProgressiveMagnitudeSettings.All, Check = ProgressiveMagnitudeSettings.Check },
        new("dpp", "deterministic-probabilistic pruning: per-layer extreme-value models choose each layer's sparsity (Banerjee & Paik 2025, reconstructed)", "E + F x rounds",
            ModelStart.Trained, r => new DeterministicProbabilistic(r), ChoosesSparsity: true) { Settings = DeterministicProbabilisticSettings.All },
        new("l1-filter", "L1-norm filter pruning: drop each channel group's smallest-L1 filters, compact, fine-tune (Li et al. 2017)", "E + F",
            ModelStart.Trained, r => new FilterPruning(new FilterNormImportance(FilterNorm.L1), r)) { Settings = [.. FilterPruningSettings.All, ChannelSettings.Floor, ChannelSettings.Multiple, ChannelSettings.Recalibration, ChannelSettings.TargetLatencyRatio, ChannelSettings.LatencyBatch] },
        new("random-channel", "random channel scores: each channel group's fraction removed at random, compact, fine-tune (the structured control)", "E + F",
            ModelStart.Trained, r => new FilterPruning(new RandomChannelImportance(), r)) { Settings = [ChannelSettings.Floor, ChannelSettings.Multiple, ChannelSettings.Recalibration, ChannelSettings.TargetLatencyRatio, ChannelSettings.LatencyBatch] },
        new("slimming", "network slimming: L1 penalty on BN scales while training, global |gamma| threshold, compact, fine-tune (Liu et al. 2017)", "E + F",
            ModelStart.Scratch, r => new NetworkSlimming(r)) { ScratchReason = "trains the dense model itself, with its sparsity penalty on BN scales," , Settings = [.. NetworkSlimmingSettings.All, ChannelSettings.Floor, ChannelSettings.Multiple, ChannelSettings.Recalibration, ChannelSettings.TargetLatencyRatio, ChannelSettings.LatencyBatch] },
        new("screening", "screening: one-way ANOVA F of each unit across classes, weighted with magnitude; connections or channels, one-shot or annealed steps (Wang et al. 2025, reconstructed)", "E + (T - 1) x k + F",
            ModelStart.Trained, r => new ScreeningPruning(r))
        {
            Settings = [ChannelSettings.Floor, ChannelSettings.Multiple, ChannelSettings.Recalibration, .. ScreeningSettings.All],
            Unread = o => o.Structure == ScreeningStructure.Unstructured ? [ChannelSettings.Floor, ChannelSettings.Multiple, ChannelSettings.Recalibration] : [],
        },
        new("cdp-dtc", "CDP + DTC: filter skeletons trained with a texture-aware penalty and per-filter dynamic thresholds; stripes and empty filters removed, compacted, fine-tuned (Li et al. 2023)", "E + F",
            ModelStart.Scratch, r => new CdpDtc(r), ChoosesSparsity: true) { ScratchReason = "trains the model itself, with its filter skeletons and penalty from the start," , Settings = [ChannelSettings.Floor, ChannelSettings.Multiple, ChannelSettings.Recalibration, .. CdpDtcSettings.All] },
        new("lth", "Lottery Ticket: iterative magnitude pruning with rewinding (Frankle & Carbin 2019)", "E x (rounds + 1)",
            ModelStart.Scratch, r => new LotteryTicket(r)) { ScratchReason = "rewinds to early weights and must train the dense model itself," , Settings = LotteryTicketSettings.All, Check = LotteryTicketSettings.Check },
        new("snip", "SNIP: |w * dL/dw| on one batch at initialisation (Lee et al. 2019), then train", "E + F",
            ModelStart.Scratch, r => new AtInitialisation(new SnipImportance(r.Method.SnipBatch), 1, r)) { ScratchReason = AtInit , Settings = AtInitialisationSettings.Snip },
        new("grasp", "GraSP: Hessian-gradient product at initialisation (Wang et al. 2020), then train", "E + F",
            ModelStart.Scratch, r => new AtInitialisation(new GraspImportance(r.Method.GraspSamplesPerClass, r.Method.GraspTemperature), 1, r)) { ScratchReason = AtInit , Settings = AtInitialisationSettings.Grasp },
        new("synflow", "SynFlow: data-free iterative synaptic flow at initialisation (Tanaka et al. 2020), then train", "E + F",
            ModelStart.Scratch, r => new AtInitialisation(new SynFlowImportance(), r.Method.SynFlowIterations, r)) { ScratchReason = AtInit , Settings = AtInitialisationSettings.SynFlow },
    ];

    /// <summary>The method registered as <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">Unknown key; the message lists the known ones.</exception>
    public static PruningMethodInfo Get(string key) => All.FirstOrDefault(m => m.Key == key)
        ?? throw new ArgumentException($"--method: unknown method '{key}' (known: {string.Join(", ", All.Select(m => m.Key))})");
}
