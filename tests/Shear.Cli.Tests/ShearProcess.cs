using System.Diagnostics;

namespace Shear.Cli;

/// <summary>The outcome of one <c>shear</c> process.</summary>
public sealed record ShearOutcome(int ExitCode, string Output, string Errors);

/// <summary>Runs the built <c>shear</c> as a separate process, as a user would, so exit codes and streams are real.</summary>
public static class ShearProcess
{
    public static ShearOutcome Run(string workingDirectory, params string[] arguments) => RunWith(null, workingDirectory, arguments);

    /// <summary>A model from elsewhere through Shear: <c>import</c> SOURCE into <c>imported</c>, <c>prune --from
    /// imported</c> with <paramref name="pruneArguments"/> into <c>pruned</c>, <c>export</c> it as <c>pruned.onnx</c>;
    /// asserts that each step exits 0 and returns the prune step's outcome.</summary>
    public static ShearOutcome ImportPruneExport(string workingDirectory, string source, params string[] pruneArguments)
    {
        var import = Run(workingDirectory, "import", source, "--out", "imported");
        var prune = Run(workingDirectory, ["prune", "--from", "imported", .. pruneArguments, "--threads", "1", "--out", "pruned"]);
        var export = Run(workingDirectory, "export", "pruned", "--format", "onnx", "--out", "pruned.onnx");

        Xunit.Assert.True(import.ExitCode == ExitCodes.Ok, import.Errors);
        Xunit.Assert.True(prune.ExitCode == ExitCodes.Ok, prune.Errors);
        Xunit.Assert.True(export.ExitCode == ExitCodes.Ok, export.Errors);
        return prune;
    }

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
