using Shear.Masks;
using Shear.Pruning.Selection;
using Shear.Training;

namespace Shear.Pruning.Methods;

/// <summary>What to do when a layer loses every weight.</summary>
public enum CollapsePolicy
{
    /// <summary>Record a warning in the result and go on.</summary>
    Warn,

    /// <summary>Stop with an error naming the layers.</summary>
    Fail,
}

/// <summary>Everything a pruning run needs besides the model and data. Immutable; validated by
/// <see cref="Validate"/>.</summary>
public sealed record PruningRequest
{
    /// <summary>Fraction of the counted weights to remove, in [0, 1).</summary>
    public double Sparsity { get; init; } = 0.9;

    /// <summary>Global or layer-wise ranking.</summary>
    public SelectionKind Selection { get; init; } = SelectionKind.Global;

    /// <summary>Which weights are pruned and counted.</summary>
    public PrunableScope Scope { get; init; } = PrunableScope.Default;

    /// <summary>Dense training recipe (its epoch count is E; also each Lottery Ticket round's length).</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Fine-tuning epochs F after one-shot pruning (methods that prune at initialisation train E + F).</summary>
    public int FinetuneEpochs { get; init; } = 5;

    /// <summary>Base learning rate of fine-tuning phases; null uses the training recipe's.</summary>
    public double? FinetuneLearningRate { get; init; }

    /// <summary>Method-specific settings.</summary>
    public MethodOptions Method { get; init; } = new();

    /// <summary>Layer collapse handling.</summary>
    public CollapsePolicy OnCollapse { get; init; } = CollapsePolicy.Warn;

    /// <summary>Problems, each naming its flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(Training.Validate());
        if (!(Sparsity >= 0 && Sparsity < 1))
        {
            problems.Add($"--sparsity must be in [0, 1), got {Sparsity}");
        }
        if (FinetuneEpochs < 0)
        {
            problems.Add($"--finetune-epochs must be at least 0, got {FinetuneEpochs}");
        }
        if (FinetuneLearningRate is <= 0)
        {
            problems.Add($"--finetune-lr must be positive, got {FinetuneLearningRate}");
        }
        problems.AddRange(Method.Validate());
        return problems;
    }
}

/// <summary>Settings that only some methods read; defaults follow the original papers (METHODS.md §5).</summary>
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

    /// <summary>Problems, each naming its flag.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(LthRate > 0 && LthRate < 1))
        {
            problems.Add($"--lth-rate must be in (0, 1), got {LthRate}");
        }
        if (LthRounds is < 1)
        {
            problems.Add($"--lth-rounds must be at least 1, got {LthRounds}");
        }
        if (RewindStep < 0)
        {
            problems.Add($"--rewind-step must be at least 0, got {RewindStep}");
        }
        if (SnipBatch < 1 || GraspSamplesPerClass < 1 || SynFlowIterations < 1 || GmpFrequency < 1)
        {
            problems.Add("--snip-batch, --grasp-samples-per-class, --synflow-iterations and --gmp-frequency must be at least 1");
        }
        if (!(GraspTemperature > 0))
        {
            problems.Add($"--grasp-temperature must be positive, got {GraspTemperature}");
        }
        return problems;
    }
}
