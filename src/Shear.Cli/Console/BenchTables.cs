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
            string versusDense = f.Runner == "shear masked" ? Cell(f.ImagesPerSecond.Median / byName["shear dense"].ImagesPerSecond.Median, "F3") : "";
            table.AddRow(f.Runner, Cell(f.ImagesPerSecond.Median, "F0"), Cell(f.ImagesPerSecond.Min, "F0"), Cell(f.ImagesPerSecond.Max, "F0"),
                Cell(f.PeakRssMib, "F0"), versusPeer, versusDense);
        }
        AnsiConsole.Write(table);
    }
}
