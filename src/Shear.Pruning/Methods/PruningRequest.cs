using System.Text.Json.Serialization;
using Shear.Masks;
using Shear.Pruning.Selection;
using Shear.Settings;
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
    private SparsityTarget _target = SparsityTarget.Fraction(0.9);

    /// <summary>The sparsity to reach. Not stored as such: result.json and run ids keep the form they always had,
    /// <see cref="Sparsity"/> and <see cref="SparsityMatchedTo"/>, in which an automatic target reads back as 0
    /// (the method's registry entry tells them apart).</summary>
    [JsonIgnore]
    public SparsityTarget Target { get => _target; init => _target = value; }

    /// <summary>Fraction of the counted weights to remove, in [0, 1): the target's value, 0 when automatic (a
    /// method that chooses its sparsity never reads it). Setting it sets a given fraction.</summary>
    public double Sparsity { get => _target.Value ?? 0; init => _target = SparsityTarget.Fraction(value); }

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
    /// (<c>--sparsity-of</c>), e.g. <c>dpp</c>; null when the sparsity was given. Set through
    /// <see cref="Target"/>; the setter only reads result.json, where it follows <c>sparsity</c>.</summary>
    [JsonInclude]
    public string? SparsityMatchedTo
    {
        get => _target.Source;
        private init => _target = value is null ? _target : SparsityTarget.MatchedTo(value, Sparsity);
    }

    /// <summary>Problems, each naming its flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate() =>
        [.. Training.Validate(), .. RequestSettings.All.Problems(this), .. ScopeSettings.All.Problems(Scope), .. Method.Validate()];
}
