using System.CommandLine;
using Shear.Cli.Commands;

namespace Shear.Cli;

/// <summary>The root <c>shear</c> command and its verbs.</summary>
public static class ShearCommand
{
    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("Shear: train, prune, measure and export image classifiers.")
        {
            DemoCommand.Create(),
            TrainCommand.Create(),
            PruneCommand.Create(),
            RunCommand.Create(),
            ConfigCommand.Create(),
            AnalyzeCommand.Create(),
            EvalCommand.Create(),
            InferCommand.Create(),
            CompactCommand.Create(),
            InterchangeCommands.Export(),
            InterchangeCommands.Import(),
            InfoCommand.Create(),
            DoctorCommand.Create(),
            SetupCommand.Create(),
            BenchCommand.Create(),
            ResultsCommand.Create(),
            ReportCommand.Create(),
        };
        return root;
    }
}
