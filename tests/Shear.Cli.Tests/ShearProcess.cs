using System.Diagnostics;

namespace Shear.Cli;

/// <summary>The outcome of one <c>shear</c> process.</summary>
public sealed record ShearOutcome(int ExitCode, string Output, string Errors);

/// <summary>Runs the built <c>shear</c> as a separate process, as a user would, so exit codes and streams are real.</summary>
public static class ShearProcess
{
    public static ShearOutcome Run(string workingDirectory, params string[] arguments) => RunWith(null, workingDirectory, arguments);

    /// <summary>Runs with extra environment variables (SHEAR_LIBTORCH, SHEAR_HOME, NUGET_PACKAGES).</summary>
    public static ShearOutcome RunWith(IReadOnlyDictionary<string, string>? environment, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "shear.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new ShearOutcome(process.ExitCode, output, errors.Result);
    }
}
