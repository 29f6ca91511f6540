using System.ComponentModel;
using System.Diagnostics;

namespace Shear.Experiments.Benchmarks;

/// <summary>Runs a PyTorch peer script (<c>peers/*.py</c>) with the Python the user named.</summary>
internal static class PeerProcess
{
    /// <summary>Runs <c>python script arguments…</c> to its end. Null when it exited with 0 and wrote
    /// <paramref name="output"/>; otherwise why not (the script missing, Python not starting, or its exit code and
    /// standard error).</summary>
    public static string? Run(string python, string script, IEnumerable<string> arguments, string output)
    {
        if (!File.Exists(script))
        {
            return $"{script} not found (run from the repository root)";
        }
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            // Both streams drain at once, so a chatty script cannot block on a full pipe.
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode != 0 || !File.Exists(output)
                ? $"{python} {script} exited with {process.ExitCode}: {errors.Result.Trim()}"
                : null;
        }
        catch (Win32Exception e)
        {
            return $"cannot start {python}: {e.Message}";
        }
    }
}
