using System.Globalization;
using System.Text;
using Shear.Runtime;

namespace Shear.Experiments.Benchmarks;

/// <summary>One model's figures in <see cref="TrainingTable"/>: its benchmark run with the peer, and optionally a
/// second run against the hand-written twin (separate processes, so each peak RSS is that run's alone).</summary>
/// <param name="Options">What was measured.</param>
/// <param name="Figures">Shear dense and the PyTorch peer.</param>
/// <param name="HandWritten">Shear dense and the hand-written twin, timed interleaved; null when not measured.</param>
public sealed record TrainingTableRow(TrainingBenchmarkOptions Options, IReadOnlyList<RunnerFigures> Figures, IReadOnlyList<RunnerFigures>? HandWritten);

/// <summary>The Markdown page <c>shear bench train --models ... --markdown FILE</c> writes
/// (<c>docs/results/performance/training.md</c>): one row per model with medians, spread, peak RSS and the ratios
/// against PyTorch and against the hand-written TorchSharp twin, under the machine and settings that produced them.</summary>
public static class TrainingTable
{
    /// <summary>Renders the page.</summary>
    public static string Markdown(IReadOnlyList<TrainingTableRow> rows, RunEnvironment environment, string command)
    {
        string? peerVersion = rows.SelectMany(r => r.Figures).FirstOrDefault(f => f.Runner == TrainingComparison.PeerDense)?.Version;
        var first = rows[0].Options;
        var text = new StringBuilder();
        text.AppendLine("# Training throughput: Shear against PyTorch")
            .AppendLine()
            .AppendLine(Header(first, command))
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- CPU: {CpuModel()}, {environment.Cpu}; {environment.Threads} libtorch threads")
            .AppendLine(CultureInfo.InvariantCulture, $"- CPU flags (vector): {string.Join(' ', CpuFlags())}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Shear {environment.ShearVersion}, TorchSharp {environment.TorchSharpVersion}, libtorch {environment.LibTorchVersion}, {environment.Os}")
            .AppendLine(CultureInfo.InvariantCulture, $"- CPU zero fill: {environment.CpuZeroFill}")
            .AppendLine(CultureInfo.InvariantCulture, $"- native heap: {environment.NativeHeap}")
            .AppendLine(CultureInfo.InvariantCulture, $"- CPU allocator: {environment.CpuAllocator}")
            .AppendLine(CultureInfo.InvariantCulture, $"- peer: PyTorch {peerVersion ?? "?"} (`peers/bench_train.py`)")
            .AppendLine()
            .AppendLine("| model | Shear img/s | PyTorch img/s | Shear / PyTorch | Shear peak RSS MiB | PyTorch peak RSS MiB | RSS ratio | hand-written TorchSharp img/s | Shear / hand-written |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var shear = row.Figures.Single(f => f.Runner == TrainingComparison.ShearDense);
            var peer = row.Figures.SingleOrDefault(f => f.Runner == TrainingComparison.PeerDense);
            var graph = row.HandWritten?.Single(f => f.Runner == TrainingComparison.ShearDense);
            var byHand = row.HandWritten?.Single(f => f.Runner == TrainingComparison.HandWrittenRunner);
            string speedVersusPeer = peer is null ? "- | -" : $"{Spread(peer)} | {Ratio(shear.ImagesPerSecond.Median, peer.ImagesPerSecond.Median)}";
            string memoryVersusPeer = peer is null ? "- | -" : $"{Number(peer.PeakRssMib)} | {Ratio(shear.PeakRssMib, peer.PeakRssMib)}";
            string versusHand = byHand is null ? "- | -" : $"{Spread(byHand)} | {Ratio(graph!.ImagesPerSecond.Median, byHand.ImagesPerSecond.Median)}";
            text.AppendLine($"| {Name(row.Options)} | {Spread(shear)} | {speedVersusPeer} | {Number(shear.PeakRssMib)} | {memoryVersusPeer} | {versusHand} |");
        }
        text.AppendLine()
            .AppendLine("The hand-written column comes from a second process per model that times the zoo's graph module and the same "
                + "network written as a plain TorchSharp module (`HandWrittenModels`, same weights) in interleaved blocks; its ratio "
                + "compares those two, measured together.");
        return text.ToString();
    }

    private static string Header(TrainingBenchmarkOptions o, string command) =>
        string.Create(CultureInfo.InvariantCulture, $"Written by `{command}` on {DateTime.UtcNow:yyyy-MM-dd}. ")
        + string.Create(CultureInfo.InvariantCulture, $"Synthetic in-memory data ({o.Input.Channels}x{o.Input.Height}x{o.Input.Width}, {o.Classes} classes), ")
        + string.Create(CultureInfo.InvariantCulture, $"batch {o.Batch}, SGD with momentum and weight decay; {o.Rounds} rounds x {o.Repeats} blocks x {o.Steps} steps ")
        + string.Create(CultureInfo.InvariantCulture, $"after {o.WarmupSteps} warm-up steps, Shear and the peer alternating round by round. ")
        + "Images/s are medians over blocks (min-max); peak RSS is each process's VmHWM.";

    private static string Number(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    private static string Name(TrainingBenchmarkOptions options) =>
        options.ModelOptions.Width == 1 ? options.Model : string.Create(CultureInfo.InvariantCulture, $"{options.Model} (width {options.ModelOptions.Width})");

    private static string Spread(RunnerFigures f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f.ImagesPerSecond.Median:F0} ({f.ImagesPerSecond.Min:F0}-{f.ImagesPerSecond.Max:F0})");

    private static string Ratio(double a, double b) => (a / b).ToString("F2", CultureInfo.InvariantCulture);

    private static IEnumerable<string> CpuInfo(string key) => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").Where(l => l.StartsWith(key, StringComparison.Ordinal)).Take(1).Select(l => l[(l.IndexOf(':') + 1)..].Trim())
        : [];

    private static string CpuModel() => CpuInfo("model name").FirstOrDefault() ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();

    // Only the vector and matrix extensions: the ones that decide which kernels oneDNN and MKL pick.
    private static IEnumerable<string> CpuFlags() => (CpuInfo("flags").FirstOrDefault() ?? "").Split(' ')
        .Where(f => f.StartsWith("avx", StringComparison.Ordinal) || f.StartsWith("amx", StringComparison.Ordinal)
            || f is "fma" or "f16c" or "sse4_2" or "vnni");
}
