using System.CommandLine;
using Shear.Training;

namespace Shear.Cli.Commands;

/// <summary>The training-recipe flags: <c>--recipe</c> and one flag per <see cref="TrainingSettings"/> entry.</summary>
internal sealed class RecipeOptions
{
    private static readonly TrainingOptions _defaults = new();

    public Option<string> Recipe { get; } = new("--recipe") { Description = "Named recipe that the other flags override: " + string.Join(" | ", TrainingRecipes.All.Keys), DefaultValueFactory = _ => "default" };
    private readonly SettingOptions<TrainingOptions> _settings = new(TrainingSettings.All, _defaults);

    public void AddTo(Command command)
    {
        foreach (var option in _settings.All.Prepend(Recipe))
        {
            command.Add(option);
        }
    }

    /// <summary>Whether <c>--epochs</c> was given.</summary>
    public bool EpochsGiven(ParseResult result) => _settings.Given(result, "epochs");

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
        var options = _settings.Apply(result, preset) with { Seed = seed };
        var problems = options.Validate();
        return problems.Count == 0 ? options : throw new UsageException(string.Join("; ", problems));
    }
}
