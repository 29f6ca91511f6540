using Shear.Masks;
using Shear.Pruning.ExtremeValue;
using static TorchSharp.torch;

namespace Shear.Pruning.Methods;

/// <summary>How dpp turns retention probabilities into a mask (METHODS.md §1.3 (B)).</summary>
public enum RetentionDecision
{
    /// <summary>Keep when p ≥ τ_keep, prune when p ≤ τ_prune, and draw Bernoulli(p) (seeded) in between.</summary>
    Hybrid,

    /// <summary>Keep exactly when p ≥ τ_keep; no randomness.</summary>
    Deterministic,

    /// <summary>Keep with probability p for every weight (seeded).</summary>
    Stochastic,
}

/// <summary>
/// Deterministic–probabilistic pruning (Banerjee &amp; Paik, IEEE TAI 2025), as reconstructed in METHODS.md §1.3
/// [RECON]: the paper's text is not available. Each layer gets an extreme-value model of its weight magnitudes
/// (<see cref="RetentionModel"/>); a weight's retention probability decides, deterministically at the extremes and
/// by a seeded draw in between, whether it stays. The user gives no sparsity: each layer's follows from its fit.
/// Starts from a trained model, then fine-tunes F epochs with the mask fixed; optional further rounds refit on the
/// survivors (each round fine-tunes F epochs). Budget E + R·F.
/// </summary>
public sealed class DeterministicProbabilistic(PruningRequest request) : IPruningMethod
{
    /// <inheritdoc/>
    public PruningOutcome Run(IPruningRunner runner)
    {
        var context = runner.Context;
        var options = request.Method;
        runner.TrainDense();
        var masks = MaskSet.Full(context.Parameters);
        var rounds = new List<RoundRecord>();
        var fits = new List<DppRound>();
        for (int round = 1; round <= options.DppRounds; round++)
        {
            var current = masks;
            DppRound? fitted = null;
            masks = runner.Prune($"round-{round}", () =>
            {
                var (next, record) = Decide(context, current, round);
                fitted = record;
                return next;
            });
            current.Dispose();
            fits.Add(fitted ?? new DppRound(round, masks.Sparsity, [], Resumed: true));
            string phase = options.DppRounds == 1 ? "finetune" : $"finetune-{round}";
            var trained = runner.Train(phase, request.FinetuneEpochs, masks, fineTune: true);
            rounds.Add(new RoundRecord(round, masks.Sparsity, trained.FinalTop1));
        }
        return new PruningOutcome(masks, options.DppRounds > 1 ? rounds : []) { Details = new DppDetails(Settings(options), options.DppDecision, options.DppKeep, options.DppPrune, fits) };
    }

    /// <summary>The retention settings of <paramref name="options"/>.</summary>
    public static RetentionSettings Settings(MethodOptions options) => new(options.DppModel, options.DppLaw, options.DppM, options.DppBlock);

    /// <summary>One round: a model per layer fitted on its active weights, and the decisions. Pure apart from the
    /// seeded draws; the new mask is a subset of <paramref name="current"/>.</summary>
    public (MaskSet Masks, DppRound Record) Decide(PruningContext context, MaskSet current, int round)
    {
        var layers = new List<DppLayer>();
        var masks = new List<KeyValuePair<string, Tensor>>();
        using var noGrad = no_grad();
        for (int index = 0; index < context.Parameters.Count; index++)
        {
            var parameter = context.Parameters[index];
            double[] magnitudes = parameter.Weight.detach().abs().to(float64).cpu().flatten().data<double>().ToArray();
            bool[] active = current[parameter.Name].cpu().flatten().data<bool>().ToArray();
            var random = context.Random.Random("dpp", (round * 100_003L) + index);
            var (keep, layer) = DecideLayer(parameter.Layer.Name, magnitudes, active, random);
            layers.Add(layer);
            masks.Add(KeyValuePair.Create(parameter.Name, tensor(keep).view(parameter.Weight.shape).to(current[parameter.Name].device)));
        }
        var next = new MaskSet(masks);
        return (next, new DppRound(round, next.Sparsity, layers, Resumed: false));
    }

    private (bool[] Keep, DppLayer Layer) DecideLayer(string name, double[] magnitudes, bool[] active, Random random)
    {
        var o = request.Method;
        double[] alive = [.. magnitudes.Where((_, i) => active[i])];
        var keep = new bool[magnitudes.Length];
        if (alive.Length == 0)
        {
            return (keep, new DppLayer(name, 0, 0, 0, 0, 0, 1, new Dictionary<string, double>(), "no active weights"));
        }
        var model = RetentionModel.Fit(Settings(o), alive);
        long certainKeep = 0, certainPrune = 0, drawn = 0, drawnKept = 0;
        double probabilitySum = 0;
        for (int i = 0; i < magnitudes.Length; i++)
        {
            if (!active[i])
            {
                continue;
            }
            double p = model.Probability(magnitudes[i]);
            probabilitySum += p;
            bool sure = o.DppDecision == RetentionDecision.Deterministic || (o.DppDecision == RetentionDecision.Hybrid && (p >= o.DppKeep || p <= o.DppPrune));
            if (sure)
            {
                keep[i] = p >= o.DppKeep;
                certainKeep += keep[i] ? 1 : 0;
                certainPrune += keep[i] ? 0 : 1;
            }
            else
            {
                keep[i] = random.NextDouble() < p;
                drawn++;
                drawnKept += keep[i] ? 1 : 0;
            }
        }
        long kept = certainKeep + drawnKept;
        return (keep, new DppLayer(name, alive.Length, certainKeep, certainPrune, drawn, drawnKept,
            1.0 - ((double)kept / magnitudes.Length), model.Parameters, model.Note) { MeanRetention = probabilitySum / alive.Length });
    }
}

/// <summary>dpp's record of one layer in one round.</summary>
/// <param name="Layer">Layer name, as result.json's per-layer sparsity names it.</param>
/// <param name="Active">Weights the model was fitted on (the active ones).</param>
/// <param name="KeptSure">Kept deterministically (p ≥ τ_keep).</param>
/// <param name="PrunedSure">Pruned deterministically.</param>
/// <param name="Drawn">Decided by a Bernoulli draw.</param>
/// <param name="DrawnKept">Of those, kept.</param>
/// <param name="Sparsity">The layer's sparsity after the round.</param>
/// <param name="Parameters">The fitted model's parameters.</param>
/// <param name="Note">A fit fallback, or null.</param>
public sealed record DppLayer(string Layer, long Active, long KeptSure, long PrunedSure, long Drawn, long DrawnKept, double Sparsity,
    IReadOnlyDictionary<string, double> Parameters, string? Note)
{
    /// <summary>Mean retention probability over the active weights.</summary>
    public double MeanRetention { get; init; }
}

/// <summary>dpp's record of one round.</summary>
/// <param name="Round">1-based round.</param>
/// <param name="Sparsity">Counted sparsity after it.</param>
/// <param name="Layers">Per layer (empty when the round's mask was loaded on resume).</param>
/// <param name="Resumed">Whether the mask was loaded from a killed run rather than fitted now.</param>
public sealed record DppRound(int Round, double Sparsity, IReadOnlyList<DppLayer> Layers, bool Resumed);

/// <summary>What dpp adds to its result (plot-ready: per round, per layer, the fit and the decisions).</summary>
/// <param name="Model">The retention model settings.</param>
/// <param name="Decision">Hybrid, deterministic or stochastic.</param>
/// <param name="KeepThreshold">τ_keep.</param>
/// <param name="PruneThreshold">τ_prune.</param>
/// <param name="Rounds">The rounds.</param>
public sealed record DppDetails(RetentionSettings Model, RetentionDecision Decision, double KeepThreshold, double PruneThreshold,
    IReadOnlyList<DppRound> Rounds);
