namespace Shear.Pruning.Methods;

/// <summary>A pruning method: a small class wiring an importance, a selection and a schedule into the phases of a
/// run. It never writes files or trains by itself; the <see cref="IPruningRunner"/> does.</summary>
public interface IPruningMethod
{
    /// <summary>Runs the method's whole flow.</summary>
    public PruningOutcome Run(IPruningRunner runner);
}

/// <summary>Where a method's model starts; declared once per method in <see cref="PruningMethods.All"/>.</summary>
public enum ModelStart
{
    /// <summary>From a trained dense model: trained by the run for E epochs, or taken from <c>--from</c> (sweeps
    /// share one dense training per seed between such methods).</summary>
    Trained,

    /// <summary>From initialisation, with the method's own machinery in training (penalties, skeletons, rewind
    /// points, pruning at init); <c>--from</c> is refused.</summary>
    Scratch,

    /// <summary>From initialisation, or, with <c>--from</c>, fine-tuning the trained model under the same pruning
    /// (gradual methods).</summary>
    ScratchOrTrained,
}

/// <summary>A registry entry.</summary>
/// <param name="Key">The CLI and config key (frozen).</param>
/// <param name="Summary">One line for help and reports.</param>
/// <param name="Budget">How many epochs it trains, in terms of E (dense epochs) and F (fine-tune epochs).</param>
/// <param name="Start">Whether it starts from a trained model or from scratch.</param>
/// <param name="Create">Builds the method for a request.</param>
/// <param name="ChoosesSparsity">Whether the method finds the sparsity itself: it takes no <c>--sparsity</c>, and
/// sweeps run it once per seed instead of once per sparsity.</param>
public sealed record PruningMethodInfo(string Key, string Summary, string Budget, ModelStart Start, Func<PruningRequest, IPruningMethod> Create,
    bool ChoosesSparsity = false)
{
    /// <summary>For a <see cref="ModelStart.Scratch"/> method, why it must train the model itself (the
    /// <c>--from</c> error says it).</summary>
    public string? ScratchReason { get; init; }

    /// <summary>The method-specific settings it reads, declared beside the method (e.g.
    /// <see cref="LotteryTicketSettings"/>); another method's setting given to it is an error.</summary>
    public IReadOnlyList<Shear.Settings.ISetting<MethodOptions>> Settings { get; init; } = [];

    /// <summary>Of <see cref="Settings"/>, those the method leaves unread under the given options (screening of
    /// connections reads no channel setting); they do not label or identify its runs.</summary>
    public Func<MethodOptions, IEnumerable<Shear.Settings.ISetting<MethodOptions>>> Unread { get; init; } = _ => [];

    /// <summary>Problems of a request that only this method sees (its settings against the request's and the
    /// run's), each naming its flag; checked with the request, not in the middle of a run. A check that needs a fact
    /// of the <see cref="RunShape"/> that is still null skips it: the run checks again when it knows.</summary>
    public Func<PruningRequest, RunShape, IEnumerable<string>>? Check { get; init; }

    /// <summary>The request's problems for this method: <see cref="PruningRequest.Validate"/> and
    /// <see cref="Check"/> against what is known of the run. Every surface calls this: the CLI before the data loads,
    /// the config loader for each cell of the matrix, and <c>PruningRun</c> once the data is there.</summary>
    public IReadOnlyList<string> Validate(PruningRequest request, RunShape? shape = null) =>
        [.. request.Validate(), .. Check?.Invoke(request, shape ?? RunShape.Unknown) ?? []];

    /// <summary>Whether it prunes a trained dense model (so sweeps can share one dense training per seed between
    /// such methods, through <c>--from</c>).</summary>
    public bool PrunesTrainedModel => Start == ModelStart.Trained;

    /// <summary>Checks that the method may start from <paramref name="from"/> (a trained run folder, or null for
    /// none); call it before loading data.</summary>
    /// <exception cref="ArgumentException">A scratch method given <c>--from</c>; the message names the flag and the
    /// method.</exception>
    public void CheckStart(string? from)
    {
        if (from is not null && Start == ModelStart.Scratch)
        {
            throw new ArgumentException($"--from: '{Key}' {ScratchReason ?? "trains the model itself"} and cannot start from a trained model");
        }
    }
}
