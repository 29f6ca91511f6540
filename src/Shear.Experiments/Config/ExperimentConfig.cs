using Shear.Data;
using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Pruning.Selection;
using Shear.Training;

namespace Shear.Experiments.Config;

/// <summary>One method of an experiment's matrix with its own options.</summary>
/// <param name="Key">Registry key.</param>
/// <param name="Options">Method-specific settings (defaults where the file is silent).</param>
/// <param name="Selection">Global or layer-wise ranking.</param>
public sealed record MethodEntry(string Key, MethodOptions Options, SelectionKind Selection)
{
    /// <summary>This method's dense training epochs E (null: the experiment's); a method that prunes a trained model
    /// then starts from a dense run of its own length.</summary>
    public int? Epochs { get; init; }

    /// <summary>This method's fine-tune epochs F (null: the experiment's).</summary>
    public int? FinetuneEpochs { get; init; }

    /// <summary>This method's fine-tune learning rate (null: the experiment's).</summary>
    public double? FinetuneLearningRate { get; init; }

    /// <summary>This method's sparsities (null: the experiment's).</summary>
    public IReadOnlyList<double>? Sparsities { get; init; }

    /// <summary>The key of the experiment's automatic method (e.g. <c>dpp</c>) whose realised sparsity this method
    /// prunes to, seed by seed (null: the sparsities above). Excludes <see cref="Sparsities"/>.</summary>
    public string? SparsityOf { get; init; }

    /// <summary>The targets of this method's rows: automatic, pending on another run, or each fraction.</summary>
    public IReadOnlyList<SparsityTarget> Targets(PruningMethodInfo info, IReadOnlyList<double> sparsities) =>
        info.ChoosesSparsity ? [SparsityTarget.Automatic]
        : SparsityOf is string source ? [SparsityTarget.Pending(source)]
        : [.. (Sparsities ?? sparsities).Select(SparsityTarget.Fraction)];
}

/// <summary>
/// An experiment: data, model, training and fine-tune recipes, and a matrix of methods × sparsities × seeds. Read
/// from YAML by <see cref="ConfigLoader"/>; every default is explicit in the resolved form
/// (<see cref="ConfigWriter"/>).
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>Experiment name; also the results sub-folder.</summary>
    public required string Name { get; init; }

    /// <summary>Data spec (see <c>DatasetCatalog</c>).</summary>
    public string Data { get; init; } = "fashion-mnist";

    /// <summary>Fraction of the training set held out as the evaluation set instead of the test set, for tuning
    /// (0: evaluate on the test set). The same fixed split as <c>--holdout</c>; its data name is
    /// <c>NAME-holdoutF</c>, so its runs never mix with test-set runs.</summary>
    public double Holdout { get; init; }

    /// <summary>Zoo key.</summary>
    public required string Model { get; init; }

    /// <summary>Architecture options.</summary>
    public ModelOptions ModelOptions { get; init; } = new();

    /// <summary>Dense training recipe (E epochs); its seed is replaced by each seed of the matrix.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Fine-tuning epochs F.</summary>
    public int FinetuneEpochs { get; init; } = 5;

    /// <summary>Fine-tuning learning rate (null: the training one).</summary>
    public double? FinetuneLearningRate { get; init; }

    /// <summary>Which weights are pruned and counted.</summary>
    public PrunableScope Scope { get; init; } = PrunableScope.Default;

    /// <summary>Layer collapse handling.</summary>
    public CollapsePolicy OnCollapse { get; init; } = CollapsePolicy.Warn;

    /// <summary>The methods of the matrix.</summary>
    public IReadOnlyList<MethodEntry> Methods { get; init; } = [];

    /// <summary>The sparsities of the matrix.</summary>
    public IReadOnlyList<double> Sparsities { get; init; } = [];

    /// <summary>The seeds of the matrix.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [1];

    /// <summary>The one entry whose runs <paramref name="method"/>'s <c>sparsity-of</c> copies from.</summary>
    public MethodEntry SourceOf(MethodEntry method) =>
        Methods.Single(m => m.Key == method.SparsityOf && PruningMethods.Get(m.Key).ChoosesSparsity);

    /// <summary>Loads <see cref="Data"/>, holding out <see cref="Holdout"/> of its training set when set. The caller
    /// owns the split.</summary>
    public DataSplit LoadData()
    {
        var data = DatasetCatalog.Load(Data);
        if (Holdout == 0)
        {
            return data;
        }
        using (data)
        {
            return data.HoldOut(Holdout);
        }
    }

    /// <summary>The pruning request for one cell of the matrix.</summary>
    public PruningRequest Request(MethodEntry method, SparsityTarget target, long seed) => new()
    {
        Target = target,
        Selection = method.Selection,
        Scope = Scope,
        Training = Training with { Seed = seed, Epochs = method.Epochs ?? Training.Epochs },
        FinetuneEpochs = method.FinetuneEpochs ?? FinetuneEpochs,
        FinetuneLearningRate = method.FinetuneLearningRate ?? FinetuneLearningRate,
        Method = method.Options,
        OnCollapse = OnCollapse,
    };
}
