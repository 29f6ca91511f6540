using Shear.Experiments.Benchmarks;
using Spectre.Console;
using static Shear.Cli.Console.ResultTables;

namespace Shear.Cli.Console;

/// <summary>The benchmark table: medians, spread, memory, and ratios against the dense runs.</summary>
internal static class BenchTables
{
    public static void Print(TrainingBenchmarkOptions options, IReadOnlyList<RunnerFigures> figures)
    {
        var table = new Table().Title($"train {options.Model}, batch {options.Batch}, {TorchSharp.torch.get_num_threads()} threads, {options.Rounds} rounds x {options.Repeats} blocks x {options.Steps} steps")
            .AddColumns("runner", "median img/s", "min", "max", "peak RSS MiB", "vs pytorch (same kind)", "vs shear dense");
        var byName = figures.ToDictionary(f => f.Runner, StringComparer.Ordinal);
        foreach (var f in figures)
        {
            string kind = f.Runner.EndsWith("masked", StringComparison.Ordinal) ? "masked" : "dense";
            string versusPeer = f.Runner.StartsWith("shear", StringComparison.Ordinal) && byName.TryGetValue($"pytorch {kind}", out var peer)
                ? Cell(f.ImagesPerSecond.Median / peer.ImagesPerSecond.Median, "F2") : "";
            string versusDense = f.Runner is TrainingComparison.ShearMasked or TrainingComparison.HandWrittenRunner
                ? Cell(f.ImagesPerSecond.Median / byName[TrainingComparison.ShearDense].ImagesPerSecond.Median, "F3") : "";
            table.AddRow(f.Runner, Cell(f.ImagesPerSecond.Median, "F0"), Cell(f.ImagesPerSecond.Min, "F0"), Cell(f.ImagesPerSecond.Max, "F0"),
                Cell(f.PeakRssMib, "F0"), versusPeer, versusDense);
        }
        AnsiConsole.Write(table);
    }

    /// <summary>Latency per runtime and batch size, the speed-up of the model over the baseline, and the speed-up as
    /// a fraction of the MAC ratio (1 = the model is as much faster as it is smaller).</summary>
    public static void PrintInference(InferenceBenchmarkResult result, string headline)
    {
        var (models, figures, peer) = result;
        var baseline = models[0];
        var model = models[1];
        double macRatio = (double)baseline.Macs / model.Macs;
        var table = new Table().Title(Markup.Escape($"forward latency: {model.Folder} against {baseline.Folder}"))
            .AddColumns("runtime", "threads", "batch", "baseline ms", "model ms", "speed-up", "MAC ratio", "speed-up / MAC ratio", "model vs ORT baseline");
        foreach (var group in figures.GroupBy(f => (f.Runtime, f.Threads, f.Batch)).OrderBy(g => g.Key.Runtime != headline).ThenBy(g => g.Key.Runtime).ThenBy(g => g.Key.Threads).ThenBy(g => g.Key.Batch))
        {
            var before = group.Single(f => f.Model == baseline.Label);
            var after = group.Single(f => f.Model == model.Label);
            double speedUp = before.MedianMs / after.MedianMs;
            string runtime = group.Key.Runtime == headline ? $"[bold]{group.Key.Runtime}[/]" : group.Key.Runtime;
            // The bar a deployed model sets: the baseline in ONNX Runtime at the same threads and batch.
            var onnxBaseline = figures.FirstOrDefault(f => f is { Runtime: "onnxruntime" } && f.Model == baseline.Label && f.Threads == group.Key.Threads && f.Batch == group.Key.Batch);
            table.AddRow(runtime, Cell(group.Key.Threads, "F0"), Cell(group.Key.Batch, "F0"), Cell(before.MedianMs, "F3"), Cell(after.MedianMs, "F3"),
                Cell(speedUp, "F2"), Cell(macRatio, "F2"), Cell(speedUp / macRatio, "F2"), onnxBaseline is null ? "" : Cell(onnxBaseline.MedianMs / after.MedianMs, "F2"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"headline runtime: [bold]{headline}[/] (what a deployed model runs on); medians of alternating blocks");
        AnsiConsole.MarkupLine($"baseline: {baseline.Parameters:N0} parameters, {baseline.Macs:N0} MACs; model: {model.Parameters:N0} parameters, {model.Macs:N0} MACs");
        if (peer is not null)
        {
            AnsiConsole.MarkupLine(Markup.Escape(PeerLine(peer)));
        }
    }

    public static void PrintKernels(IReadOnlyList<KernelFigure> figures, IReadOnlyList<(string Layer, int Batch, double? BreakEven)> breakEvens)
    {
        var table = new Table().Title("Shear engine: dense against sparse (CSR or block) kernel, one thread")
            .AddColumns("layer", "batch", "sparsity", "dense ms", "sparse ms", "sparse speed-up");
        foreach (var f in figures.OrderBy(f => f.Layer, StringComparer.Ordinal).ThenBy(f => f.Batch).ThenBy(f => f.Sparsity))
        {
            table.AddRow(Markup.Escape(f.Layer), Cell(f.Batch, "F0"), Cell(f.Sparsity, "P0"), Cell(f.DenseMs, "F4"), Cell(f.SparseMs, "F4"), Cell(f.SpeedUp, "F2"));
        }
        AnsiConsole.Write(table);
        foreach (var (layer, batch, breakEven) in breakEvens)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"{layer}, batch {batch}: sparse kernel faster from {(breakEven is double b ? b.ToString("P0", System.Globalization.CultureInfo.InvariantCulture) : "no measured sparsity")}"));
        }
    }

    private static string PeerLine(InferencePeerReport peer)
    {
        if (peer.Problem is not null)
        {
            return $"pytorch peer: no figures: {peer.Problem}";
        }
        var worst = peer.Checks.MaxBy(c => c.MaxAbsDifference);
        string check = worst is null ? "" : $"; its logits match Shear's within {worst.MaxAbsDifference:G2} (max |logit| {worst.MaxAbsLogit:G3})";
        return $"pytorch peer: PyTorch {peer.TorchVersion} eager, {peer.Python} peers/bench_infer.py, timed after the other runtimes{check}";
    }
}
