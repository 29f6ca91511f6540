namespace Shear.Pruning.Methods;

/// <summary>A pruning method: a small class wiring an importance, a selection and a schedule into the phases of a
/// run. It never writes files or trains by itself; the <see cref="IPruningRunner"/> does.</summary>
public interface IPruningMethod
{
    /// <summary>Runs the method's whole flow.</summary>
    public PruningOutcome Run(IPruningRunner runner);
}

/// <summary>A registry entry.</summary>
/// <param name="Key">The CLI and config key (frozen).</param>
/// <param name="Summary">One line for help and reports.</param>
/// <param name="Budget">How many epochs it trains, in terms of E (dense epochs) and F (fine-tune epochs).</param>
/// <param name="Create">Builds the method for a request.</param>
/// <param name="PrunesTrainedModel">Whether it starts from a trained dense model (so sweeps can share one dense
/// training per seed between such methods, through <c>--from</c>).</param>
/// <param name="ChoosesSparsity">Whether the method finds the sparsity itself: it takes no <c>--sparsity</c>, and
/// sweeps run it once per seed instead of once per sparsity.</param>
public sealed record PruningMethodInfo(string Key, string Summary, string Budget, Func<PruningRequest, IPruningMethod> Create,
    bool PrunesTrainedModel = false, bool ChoosesSparsity = false);
