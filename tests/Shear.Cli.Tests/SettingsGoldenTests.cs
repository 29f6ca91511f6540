using Shear.Masks;
using Shear.Models;
using Shear.Pruning.Methods;
using Shear.Training;
using Xunit;

namespace Shear.Cli;

/// <summary>
/// Every config key and CLI flag that reads a setting, pinned: configs and scripts name them, so a rename breaks
/// them. Adding a setting appends its line here; removing or renaming one must keep the old spelling working.
/// </summary>
public class SettingsGoldenTests
{
    private static IEnumerable<string> Current()
    {
        foreach (var s in TrainingSettings.All)
        {
            yield return $"config training: {s.Key}";
        }
        foreach (var s in ModelSettings.All)
        {
            yield return $"config model: {s.Key}";
        }
        foreach (var s in ScopeSettings.All)
        {
            yield return $"config scope: {s.Key}";
        }
        foreach (var method in PruningMethods.All)
        {
            foreach (var s in MethodSettings.For(method.Key))
            {
                yield return $"config method {method.Key}: {s.Key}";
            }
        }
        foreach (var command in ShearCommand.Create().Subcommands.Where(c => c.Name is "train" or "prune"))
        {
            foreach (var option in command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name != "--help"))
            {
                yield return $"flag {command.Name}: {option.Name}";
            }
        }
    }

    [Fact]
    public void SettingKeysAndFlags_EqualTheGoldenFile()
    {
        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "golden", "settings.txt")).Where(l => l.Length > 0).ToList();
        var current = Current().ToList();

        Assert.True(golden.SequenceEqual(current), "settings.txt differs; current list:\n" + string.Join("\n", current));
    }

    [Fact]
    public void EverySetting_IsAFlagOfItsVerb()
    {
        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "golden", "settings.txt"));

        Assert.All(MethodSettings.All, s => Assert.Contains($"flag prune: --{s.Flag}", golden));
        Assert.All(TrainingSettings.All, s => Assert.Contains($"flag train: --{s.Flag}", golden));
        Assert.All(ModelSettings.All, s => Assert.Contains($"flag train: --{s.Flag}", golden));
        Assert.All(RequestSettings.All, s => Assert.Contains($"flag prune: --{s.Flag}", golden));
        Assert.All(ScopeSettings.All, s => Assert.Contains($"flag prune: --{s.Flag}", golden));
    }
}
