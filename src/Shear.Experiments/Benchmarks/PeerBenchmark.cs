using System.Globalization;
using System.Text.Json;

namespace Shear.Experiments.Benchmarks;

/// <summary>Runs <c>peers/bench_train.py</c> (PyTorch) with the same settings, in the same session, and reads its JSON.</summary>
public static class PeerBenchmark
{
    /// <summary>The peer's per-block images/s, peak memory and torch version, or null blocks with a reason when it
    /// could not run. <paramref name="sparsity"/> above 0 prunes with <c>torch.nn.utils.prune</c> (global L1) before
    /// timing.</summary>
    public static (IReadOnlyList<double>? Blocks, double PeakRssMib, string? TorchVersion, string? Problem) Run(
        string python, string script, TrainingBenchmarkOptions options, int threads, double sparsity)
    {
        string output = Path.Combine(Path.GetTempPath(), $"shear-peer-{Guid.NewGuid():N}.json");
        try
        {
            string? problem = PeerProcess.Run(python, script,
            [
                "--model", options.Model, "--batch", Text(options.Batch), "--threads", Text(threads),
                "--warmup-steps", Text(options.WarmupSteps), "--steps", Text(options.Steps), "--repeats", Text(options.Repeats),
                "--image-size", Text(options.Input.Height), "--channels", Text(options.Input.Channels), "--classes", Text(options.Classes),
                "--sparsity", sparsity.ToString("R", CultureInfo.InvariantCulture), "--json", output,
            ], output);
            if (problem is not null)
            {
                return (null, double.NaN, null, problem);
            }
            using var document = JsonDocument.Parse(File.ReadAllText(output));
            var root = document.RootElement;
            var blocks = root.GetProperty("images_per_second").GetProperty("blocks").EnumerateArray().Select(b => b.GetDouble()).ToList();
            return (blocks, root.GetProperty("peak_rss_mib").GetDouble(), root.GetProperty("torch_version").GetString(), null);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
