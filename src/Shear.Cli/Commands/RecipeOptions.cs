using System.CommandLine;
using Shear.Data;
using Shear.Training;

namespace Shear.Cli.Commands;

/// <summary>The training-recipe flags, mapped one to one onto <see cref="TrainingOptions"/>.</summary>
internal sealed class RecipeOptions
{
    private static readonly TrainingOptions _defaults = new();

    public Option<string> Recipe { get; } = new("--recipe") { Description = "Named recipe that the other flags override: " + string.Join(" | ", TrainingRecipes.All.Keys), DefaultValueFactory = _ => "default" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => _defaults.Epochs };
    public Option<int> Batch { get; } = new("--batch") { Description = "Batch size", DefaultValueFactory = _ => _defaults.BatchSize };
    public Option<OptimizerKind> Optimizer { get; } = new("--optimizer") { Description = "sgd | adam | adamw", DefaultValueFactory = _ => _defaults.Optimizer };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Base learning rate", DefaultValueFactory = _ => _defaults.LearningRate };
    public Option<double> Momentum { get; } = new("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => _defaults.Momentum };
    public Option<bool> Nesterov { get; } = new("--nesterov") { Description = "Nesterov momentum (SGD)" };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "L2 penalty (decoupled for adamw)", DefaultValueFactory = _ => _defaults.WeightDecay };
    public Option<LearningRateScheduleKind> Schedule { get; } = new("--schedule") { Description = "constant | multistep | cosine", DefaultValueFactory = _ => _defaults.Schedule };
    public Option<string?> Milestones { get; } = new("--milestones") { Description = "Epochs where multistep multiplies the rate by --gamma, e.g. 30,60" };
    public Option<double> Gamma { get; } = new("--gamma") { Description = "Multistep factor", DefaultValueFactory = _ => _defaults.Gamma };
    public Option<double> Warmup { get; } = new("--warmup") { Description = "Epochs of linear learning-rate warm-up" };
    public Option<double> LabelSmoothing { get; } = new("--label-smoothing") { Description = "Label smoothing in [0, 1)" };
    public Option<int> CropPadding { get; } = new("--crop-padding") { Description = "Random crop after zero padding by N pixels (0 = off)" };
    public Option<bool> Flip { get; } = new("--flip") { Description = "Random horizontal flips" };

    public void AddTo(Command command)
    {
        Option[] all = [Recipe, Epochs, Batch, Optimizer, LearningRate, Momentum, Nesterov, WeightDecay, Schedule, Milestones, Gamma,
            Warmup, LabelSmoothing, CropPadding, Flip];
        foreach (var option in all)
        {
            command.Add(option);
        }
    }

    /// <summary>The recipe; range errors name the flag.</summary>
    public TrainingOptions Read(ParseResult result, long seed)
    {
        TrainingOptions preset;
        try
        {
            preset = TrainingRecipes.Get(result.GetValue(Recipe)!);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--recipe: " + e.Message);
        }
        T Pick<T>(Option<T> option, T fallback) => result.GetResult(option) is { Implicit: false } ? result.GetValue(option)! : fallback;
        var options = preset with
        {
            Epochs = Pick(Epochs, preset.Epochs),
            BatchSize = Pick(Batch, preset.BatchSize),
            Optimizer = Pick(Optimizer, preset.Optimizer),
            LearningRate = Pick(LearningRate, preset.LearningRate),
            Momentum = Pick(Momentum, preset.Momentum),
            Nesterov = Pick(Nesterov, preset.Nesterov),
            WeightDecay = Pick(WeightDecay, preset.WeightDecay),
            Schedule = Pick(Schedule, preset.Schedule),
            Milestones = result.GetResult(Milestones) is { Implicit: false } ? ParseMilestones(result.GetValue(Milestones)) : preset.Milestones,
            Gamma = Pick(Gamma, preset.Gamma),
            WarmupEpochs = Pick(Warmup, preset.WarmupEpochs),
            LabelSmoothing = Pick(LabelSmoothing, preset.LabelSmoothing),
            Augmentation = new AugmentationOptions
            {
                CropPadding = Pick(CropPadding, preset.Augmentation.CropPadding),
                HorizontalFlip = Pick(Flip, preset.Augmentation.HorizontalFlip),
            },
            Seed = seed,
        };
        var problems = options.Validate();
        return problems.Count == 0 ? options : throw new UsageException(string.Join("; ", problems));
    }

    private static int[] ParseMilestones(string? text) => string.IsNullOrWhiteSpace(text)
        ? []
        : text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out int m)
                ? m
                : throw new UsageException($"--milestones: '{part}' is not an integer epoch")).ToArray();
}
