using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Shear.Experiments.Benchmarks;

/// <summary>Runs <c>peers/bench_train.py</c> (PyTorch) with the same settings, in the same session, and reads its JSON.</summary>
public static class PeerBenchmark
{
    /// <summary>The peer's per-block images/s and peak memory, or null with a reason when it could not run.
    /// <paramref name="sparsity"/> above 0 prunes with <c>torch.nn.utils.prune</c> (global L1) before timing.</summary>
    public static (IReadOnlyList<double>? Blocks, double PeakRssMib, string? Problem) Run(
        string python, string script, TrainingBenchmarkOptions options, int threads, double sparsity)
    {
        if (!File.Exists(script))
        {
            return (null, double.NaN, $"{script} not found (run from the repository root)");
        }
        string output = Path.Combine(Path.GetTempPath(), $"shear-peer-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
        {
            script, "--model", options.Model, "--batch", Text(options.Batch), "--threads", Text(threads),
            "--warmup-steps", Text(options.WarmupSteps), "--steps", Text(options.Steps), "--repeats", Text(options.Repeats),
            "--image-size", Text(options.Input.Height), "--channels", Text(options.Input.Channels), "--classes", Text(options.Classes),
            "--sparsity", sparsity.ToString("R", CultureInfo.InvariantCulture), "--json", output,
        })
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            string errors = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                return (null, double.NaN, $"{python} {script} exited with {process.ExitCode}: {errors.Trim()}");
            }
            using var document = JsonDocument.Parse(File.ReadAllText(output));
            var blocks = document.RootElement.GetProperty("images_per_second").GetProperty("blocks").EnumerateArray().Select(b => b.GetDouble()).ToList();
            return (blocks, document.RootElement.GetProperty("peak_rss_mib").GetDouble(), null);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, double.NaN, $"cannot start {python}: {e.Message}");
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The peer's <c>torch.__version__</c>, or null when it cannot be read.</summary>
    public static string? TorchVersion(string python)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import torch; print(torch.__version__)");
        try
        {
            using var process = Process.Start(start)!;
            string version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? version : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
