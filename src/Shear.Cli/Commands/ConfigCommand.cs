using System.CommandLine;
using Shear.Experiments.Config;

namespace Shear.Cli.Commands;

/// <summary><c>shear config show FILE</c>: the resolved config with every default explicit.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("config") { Description = "Experiment YAML" };
        var show = new Command("show", "Print the resolved config (every default explicit) after validating it.") { file };
        CommandAction.Set(show, result =>
        {
            global::System.Console.Write(ConfigWriter.Write(ConfigLoader.Load(result.GetValue(file)!)));
            return ExitCodes.Ok;
        });
        return new Command("config", "Inspect experiment configs.") { show };
    }
}
