using Shear.Masks;
using Shear.Training;

namespace Shear.Pruning.Methods;

/// <summary>One training phase of a pruning run, as recorded in its result.</summary>
/// <param name="Name">Phase name, e.g. <c>dense</c>, <c>finetune</c>, <c>round-3</c>.</param>
/// <param name="Epochs">Epochs trained in it.</param>
/// <param name="Sparsity">Counted sparsity during the phase (at its end).</param>
/// <param name="History">Per-epoch metrics.</param>
public sealed record PhaseRecord(string Name, int Epochs, double Sparsity, IReadOnlyList<EpochRecord> History)
{
    /// <summary>Final test top-1, or NaN for a phase of 0 epochs.</summary>
    public double FinalTop1 => History.Count > 0 ? History[^1].TestAccuracy : double.NaN;
}

/// <summary>One Lottery Ticket round: sparsity after pruning and accuracy after retraining.</summary>
/// <param name="Round">1-based round.</param>
/// <param name="Sparsity">Counted sparsity of the round's mask.</param>
/// <param name="TestAccuracy">Test top-1 after the round's training.</param>
public sealed record RoundRecord(int Round, double Sparsity, double TestAccuracy);

/// <summary>
/// What a method may ask of the run that hosts it. The host keeps every step resumable: a finished phase or mask is
/// loaded instead of recomputed, a killed phase continues from its checkpoint.
/// </summary>
public interface IPruningRunner
{
    /// <summary>The model, its prunable weights, data and seeds.</summary>
    public PruningContext Context { get; }

    /// <summary>The request being run.</summary>
    public PruningRequest Request { get; }

    /// <summary>Whether the dense model came from <c>--from</c> (a trained model) rather than this run; only a
    /// method whose registry entry allows it (<see cref="ModelStart"/>) is ever started so.</summary>
    public bool StartsFromTrained { get; }

    /// <summary>The latency model a structured method searches against when the request sets a latency target
    /// (<c>--target-latency-ratio</c>); null where the host has none.</summary>
    public Latency.ILatencyModel? Latency => null;

    /// <summary>Records a warning in the run's result (e.g. a budget that alignment could not meet).</summary>
    public void Warn(string message)
    {
    }

    /// <summary>Optimizer steps in one training epoch (batches of the training set at the recipe's batch size).</summary>
    public long StepsPerEpoch => Context.Training.BatchCount(Request.Training.BatchSize);

    /// <summary>Trains the dense model for the request's epochs, or loads it when it came from <c>--from</c>.</summary>
    public PhaseRecord TrainDense(IReadOnlyList<ITrainingHook>? hooks = null);

    /// <summary>Trains <paramref name="epochs"/> epochs with <paramref name="masks"/> enforced (none when null) and
    /// the recipe's schedule restarted; a <paramref name="fineTune"/> phase uses the fine-tuning learning rate.</summary>
    public PhaseRecord Train(string phase, int epochs, MaskSet? masks, IReadOnlyList<ITrainingHook>? hooks = null, bool fineTune = false);

    /// <summary>Computes a mask once and saves it under <paramref name="step"/>; on resume the saved mask is
    /// returned. Checks for collapsed layers. The caller owns the result.</summary>
    public MaskSet Prune(string step, Func<MaskSet> compute);

    /// <summary>Computes a channel plan over <paramref name="channels"/> (the groups of the current model) once and
    /// saves it under <paramref name="step"/>; on resume the saved plan is returned.</summary>
    public Structure.ChannelPlan Plan(string step, Structure.ChannelGraph channels, Func<Structure.ChannelPlan> compute);

    /// <summary>Replaces the model by its compacted form (only the channels <paramref name="plan"/> keeps, see
    /// <see cref="Structure.ChannelSurgery.Compact(Graphs.GraphModule, Structure.ChannelPlan)"/>) and returns the new
    /// context, which holds the smaller model and its prunable weights (<see cref="Context"/> returns it from now on);
    /// the run saves that model with its description.</summary>
    public PruningContext Compact(Structure.ChannelPlan plan);

    /// <summary>Saves the model's current weights under <paramref name="name"/> (e.g. a rewind point).</summary>
    public void SaveWeights(string name);

    /// <summary>Whether weights were saved under <paramref name="name"/>.</summary>
    public bool HasWeights(string name);

    /// <summary>Loads weights saved under <paramref name="name"/> into the model.</summary>
    public void LoadWeights(string name);
}

/// <summary>What a method hands back: the final masks and, for round-based methods, the curve over rounds.</summary>
/// <param name="Masks">Final masks (owned by the caller); null when the method leaves every remaining weight in
/// place (a compacted model, fine-tuned dense).</param>
/// <param name="Rounds">Per-round records; empty for one-shot methods.</param>
public sealed record PruningOutcome(MaskSet? Masks, IReadOnlyList<RoundRecord> Rounds)
{
    /// <summary>Method-specific figures for the result's <c>details</c> (e.g. pmp's updates, dpp's fitted models); a
    /// record that serialises to JSON, or null.</summary>
    public object? Details { get; init; }
}
