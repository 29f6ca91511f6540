using System.CommandLine;
using Shear.Data;
using Shear.Experiments.Config;
using Shear.Training;

namespace Shear.Cli.Commands;

/// <summary>Runs a verb's body and turns the errors users can cause into one red line and an exit code.</summary>
internal static class CommandAction
{
    /// <summary>Wraps <paramref name="body"/> as <paramref name="command"/>'s action.</summary>
    public static void Set(Command command, Func<ParseResult, int> body) => command.SetAction(result =>
    {
        try
        {
            return body(result);
        }
        catch (Exception e) when (ExitCodeFor(e) is int code)
        {
            global::System.Console.Error.WriteLine($"shear {FullName(command)}: {e.Message}");
            return code;
        }
    });

    // "results list" rather than "list", so the message says which verb failed.
    private static string FullName(Command command) =>
        command.Parents.OfType<Command>().FirstOrDefault(p => p is not RootCommand) is { } parent ? $"{FullName(parent)} {command.Name}" : command.Name;

    private static int? ExitCodeFor(Exception e) => e switch
    {
        TrainingDivergedException => ExitCodes.Diverged,
        Runtime.LibTorch.LibTorchNotFoundException or Runtime.TorchRuntimeException => ExitCodes.Environment,
        UsageException or ConfigException or DataFormatException or FileNotFoundException or DirectoryNotFoundException
            or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException => ExitCodes.BadInput,
        _ => null,
    };
}
