using Shear.Settings;

namespace Shear.Training;

/// <summary>Every setting of <see cref="TrainingOptions"/> but the seed (which the run owns), declared once for the
/// CLI flags of <c>train</c>/<c>prune</c>, the <c>training:</c> section of configs, <c>config show</c> and
/// validation. The order is the order of help texts and resolved configs.</summary>
public static class TrainingSettings
{
    private static readonly SettingKinds<TrainingOptions> _s = new();

    /// <summary>The settings.</summary>
    public static IReadOnlyList<ISetting<TrainingOptions>> All { get; } =
    [
        _s.WholeNumber("epochs", "passes over the training set", o => o.Epochs, (o, v) => o with { Epochs = v }, SettingRange.AtLeast<TrainingOptions, int>(1)),
        _s.WholeNumber("batch", "samples per optimizer step", o => o.BatchSize, (o, v) => o with { BatchSize = v }, SettingRange.AtLeast<TrainingOptions, int>(1)),
        _s.WholeNumber("eval-batch", "samples per evaluation batch", o => o.EvaluationBatchSize, (o, v) => o with { EvaluationBatchSize = v },
            SettingRange.AtLeast<TrainingOptions, int>(1)),
        _s.Choice<OptimizerKind>("optimizer", "sgd | adam | adam-w", o => o.Optimizer, (o, v) => o with { Optimizer = v }),
        _s.Number("lr", "base learning rate", o => o.LearningRate, (o, v) => o with { LearningRate = v }, SettingRange.Positive<TrainingOptions>()),
        _s.Number("momentum", "SGD momentum (0 = off)", o => o.Momentum, (o, v) => o with { Momentum = v }, SettingRange.Within<TrainingOptions>("[0, 1)", v => v is >= 0 and < 1)),
        _s.Flag("nesterov", "Nesterov momentum (SGD with momentum > 0)", o => o.Nesterov, (o, v) => o with { Nesterov = v },
            (o, v) => !v || (o.Optimizer == OptimizerKind.Sgd && o.Momentum > 0) ? null : "needs SGD with momentum > 0"),
        _s.Number("weight-decay", "L2 penalty (decoupled for adam-w)", o => o.WeightDecay, (o, v) => o with { WeightDecay = v }, SettingRange.NonNegative<TrainingOptions>()),
        _s.Choice<LearningRateScheduleKind>("schedule", "constant | multi-step | cosine", o => o.Schedule, (o, v) => o with { Schedule = v }),
        _s.WholeNumberList("milestones", "epochs where multi-step multiplies the rate by gamma, e.g. 30,60", o => o.Milestones, (o, v) => o with { Milestones = v },
            (o, v) => v.All(m => m > 0 && m <= o.Epochs) ? null : SettingRange.Problem($"must lie in (0, epochs] = (0, {o.Epochs}]", SettingText.List(v.Select(m => SettingText.Show(m))))),
        _s.Number("gamma", "multi-step factor", o => o.Gamma, (o, v) => o with { Gamma = v }),
        _s.Number("warmup", "epochs of linear learning-rate warm-up", o => o.WarmupEpochs, (o, v) => o with { WarmupEpochs = v },
            (o, v) => v >= 0 && v <= o.Epochs ? null : SettingRange.Problem($"must be in [0, epochs] = [0, {o.Epochs}]", v)),
        _s.Number("label-smoothing", "label smoothing of the loss", o => o.LabelSmoothing, (o, v) => o with { LabelSmoothing = v },
            SettingRange.Within<TrainingOptions>("[0, 1)", v => v is >= 0 and < 1)),
        _s.WholeNumber("crop-padding", "random crop after zero padding by N pixels (0 = off)", o => o.Augmentation.CropPadding,
            (o, v) => o with { Augmentation = o.Augmentation with { CropPadding = v } }, SettingRange.AtLeast<TrainingOptions, int>(0)),
        _s.Flag("flip", "random horizontal flips", o => o.Augmentation.HorizontalFlip, (o, v) => o with { Augmentation = o.Augmentation with { HorizontalFlip = v } }),
    ];

}
