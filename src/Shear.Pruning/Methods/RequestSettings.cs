using Shear.Pruning.Selection;
using Shear.Settings;

namespace Shear.Pruning.Methods;

/// <summary>The settings of a <see cref="PruningRequest"/> that every method reads, declared once for the CLI flags
/// of <c>prune</c>, the keys of a config's method entries (<c>selection</c>, <c>finetune-epochs</c>,
/// <c>finetune-lr</c>), its top level (<c>on-collapse</c>) and the items of its <c>sparsities</c> lists, and
/// validation.</summary>
public static class RequestSettings
{
    private static readonly SettingKinds<PruningRequest> _s = new();

    /// <summary>The fraction to remove (a given target; <c>--sparsity-of</c> and automatic targets are set by
    /// the CLI from elsewhere).</summary>
    public static ISetting<PruningRequest> Sparsity { get; } = _s.Number("sparsity", "fraction of the counted weights to remove, in [0, 1)",
        r => r.Sparsity, (r, v) => r with { Sparsity = v }, SettingRange.Within<PruningRequest>("[0, 1)", v => v is >= 0 and < 1));

    /// <summary>Fine-tune epochs F.</summary>
    public static ISetting<PruningRequest> FinetuneEpochs { get; } = _s.WholeNumber("finetune-epochs", "fine-tune epochs F after one-shot pruning (at-init methods train E + F)",
        r => r.FinetuneEpochs, (r, v) => r with { FinetuneEpochs = v }, SettingRange.AtLeast<PruningRequest, int>(0));

    /// <summary>Fine-tune learning rate (null: the training one).</summary>
    public static ISetting<PruningRequest> FinetuneLearningRate { get; } = _s.OptionalNumber("finetune-lr", "base learning rate of fine-tuning (default: the training lr)",
        r => r.FinetuneLearningRate, (r, v) => r with { FinetuneLearningRate = v },
        (_, v) => v is null || (v > 0 && double.IsFinite(v.Value)) ? null : SettingRange.Problem("must be positive", v));

    /// <summary>Global or layer-wise ranking.</summary>
    public static ISetting<PruningRequest> Selection { get; } = _s.Choice<SelectionKind>("selection", "global | layerwise ranking", r => r.Selection, (r, v) => r with { Selection = v });

    /// <summary>What a collapsed layer does.</summary>
    public static ISetting<PruningRequest> OnCollapse { get; } = _s.Choice<CollapsePolicy>("on-collapse", "warn | fail when a layer loses every weight", r => r.OnCollapse, (r, v) => r with { OnCollapse = v });

    /// <summary>Every request setting, in help order.</summary>
    public static IReadOnlyList<ISetting<PruningRequest>> All { get; } = [Sparsity, FinetuneEpochs, FinetuneLearningRate, Selection, OnCollapse];
}
