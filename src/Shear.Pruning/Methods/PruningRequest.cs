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

    /// <summary>The method of the run whose realised sparsity <see cref="Sparsity"/> was copied from
    /// (<c>--sparsity-of</c>), e.g. <c>dpp</c>; null when the sparsity was given.</summary>
    public string? SparsityMatchedTo { get; init; }

    /// <summary>Problems, each naming its flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(Training.Validate());
        if (!(Sparsity >= 0 && Sparsity < 1))
        {
            problems.Add($"--sparsity must be in [0, 1), got {Sparsity}");
        }
        problems.AddRange(RequestSettings.All.Select(s => (s.Key, Problem: s.Check(this))).Where(p => p.Problem is not null).Select(p => $"--{p.Key} {p.Problem}"));
        problems.AddRange(Method.Validate());
        return problems;
    }
}
