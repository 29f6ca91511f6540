using Shear.Pruning.Importance;

namespace Shear.Pruning.Methods;

/// <summary>Every pruning method by key. Keys are frozen (tests/fixtures/golden/method-keys.txt).</summary>
public static class PruningMethods
{
    /// <summary>The registry, in the order help and reports list it.</summary>
    public static IReadOnlyList<PruningMethodInfo> All { get; } =
    [
        new("random", "random scores, one-shot after training, then fine-tune", "E + F",
            r => new OneShotAfterTraining(new RandomImportance(), r), PrunesTrainedModel: true),
        new("magnitude", "|w|, one-shot after training (global or per layer), then fine-tune", "E + F",
            r => new OneShotAfterTraining(new MagnitudeImportance(), r), PrunesTrainedModel: true),
        new("gmp", "gradual magnitude pruning during training, cubic schedule (Zhu & Gupta 2017)", "E + F",
            r => new GradualMagnitude(r)),
        new("pmp", "progressive magnitude pruning: one run, linear sparsity ramp, mask recomputed each epoch from active weights (Qureshi et al. 2026)", "E",
            r => new ProgressiveMagnitude(r)),
        new("dpp", "deterministic-probabilistic pruning: per-layer extreme-value models choose each layer's sparsity (Banerjee & Paik 2025, reconstructed)", "E + F x rounds",
            r => new DeterministicProbabilistic(r), PrunesTrainedModel: true, ChoosesSparsity: true),
        new("l1-filter", "L1-norm filter pruning: drop each channel group's smallest-L1 filters, compact, fine-tune (Li et al. 2017)", "E + F",
            r => new FilterPruning(r), PrunesTrainedModel: true),
        new("slimming", "network slimming: L1 penalty on BN scales while training, global |gamma| threshold, compact, fine-tune (Liu et al. 2017)", "E + F",
            r => new NetworkSlimming(r)),
        new("screening", "screening: one-way ANOVA F of each unit across classes, weighted with magnitude; connections or channels, one-shot or annealed steps (Wang et al. 2025, reconstructed)", "E + (T - 1) x k + F",
            r => new ScreeningPruning(r), PrunesTrainedModel: true),
        new("cdp-dtc", "CDP + DTC: filter skeletons trained with a texture-aware penalty and per-filter dynamic thresholds; stripes and empty filters removed, compacted, fine-tuned (Li et al. 2023)", "E + F",
            r => new CdpDtc(r), ChoosesSparsity: true),
        new("lth", "Lottery Ticket: iterative magnitude pruning with rewinding (Frankle & Carbin 2019)", "E x (rounds + 1)",
            r => new LotteryTicket(r)),
        new("snip", "SNIP: |w * dL/dw| on one batch at initialisation (Lee et al. 2019), then train", "E + F",
            r => new AtInitialisation("snip", new SnipImportance(r.Method.SnipBatch), 1, r)),
        new("grasp", "GraSP: Hessian-gradient product at initialisation (Wang et al. 2020), then train", "E + F",
            r => new AtInitialisation("grasp", new GraspImportance(r.Method.GraspSamplesPerClass, r.Method.GraspTemperature), 1, r)),
        new("synflow", "SynFlow: data-free iterative synaptic flow at initialisation (Tanaka et al. 2020), then train", "E + F",
            r => new AtInitialisation("synflow", new SynFlowImportance(), r.Method.SynFlowIterations, r)),
    ];

    /// <summary>The method registered as <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">Unknown key; the message lists the known ones.</exception>
    public static PruningMethodInfo Get(string key) => All.FirstOrDefault(m => m.Key == key)
        ?? throw new ArgumentException($"--method: unknown method '{key}' (known: {string.Join(", ", All.Select(m => m.Key))})");
}
