namespace Shear.Training;

/// <summary>Named training recipes (<c>--recipe NAME</c>, <c>training.recipe: NAME</c>): a starting point that
/// explicit flags or keys then override.</summary>
public static class TrainingRecipes
{
    /// <summary>Every recipe by name.</summary>
    public static IReadOnlyDictionary<string, TrainingOptions> All { get; } = new Dictionary<string, TrainingOptions>(StringComparer.Ordinal)
    {
        // Shear's plain SGD recipe: trains the small zoo models well on Fashion-MNIST.
        ["default"] = new TrainingOptions(),

        // Progressive magnitude pruning's recipe (METHODS.md §2.3): SGD lr 0.1, momentum 0.9, weight decay 5e-4,
        // cosine annealing over the run, label smoothing 0.1, batch 128. Its CIFAR augmentation is not included:
        // pass --crop-padding/--flip where the data calls for it.
        ["pmp"] = new TrainingOptions
        {
            LearningRate = 0.1, Momentum = 0.9, WeightDecay = 5e-4, Schedule = LearningRateScheduleKind.Cosine,
            LabelSmoothing = 0.1, BatchSize = 128,
        },
    };

    /// <summary>The recipe called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static TrainingOptions Get(string name) => All.TryGetValue(name, out var recipe) ? recipe
        : throw new ArgumentException($"unknown recipe '{name}' (known: {string.Join(", ", All.Keys)})");
}
