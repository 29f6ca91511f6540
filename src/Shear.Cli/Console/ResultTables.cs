using System.Globalization;
using Shear.Experiments.Runs;
using Shear.Metrics;
using Spectre.Console;

namespace Shear.Cli.Console;

/// <summary>Human-readable tables for what the verbs produce (the JSON files hold the same numbers).</summary>
internal static class ResultTables
{
    public static void PrintTraining(RunResult result, string folder)
    {
        var table = new Table().Title($"{result.Model.Key} on {result.Data.Name}").AddColumns("epoch", "train loss",
            "train acc", "test acc", "lr", "img/s", "s");
        foreach (var r in result.History)
        {
            table.AddRow(Cell(r.Epoch), Cell(r.TrainLoss, "F4"), Percent(r.TrainAccuracy), Percent(r.TestAccuracy),
                Cell(r.LearningRate, r.LearningRate is > 0 and < 1e-3 ? "0.0e+0" : "0.####"), Cell(r.ImagesPerSecond, "F0"), Cell(r.Seconds, "F1"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(
            $"test accuracy [green]{Percent(result.Final.TestAccuracy)}[/], {result.Parameters:N0} parameters, {result.Macs:N0} MACs, {result.Seconds:F0} s; run folder [blue]{folder}[/]");
    }

    public static void PrintLayers(IReadOnlyList<LayerStatistics> layers, string title)
    {
        var table = new Table().Title(title).AddColumns("layer", "kind", "output", "parameters", "MACs");
        foreach (var l in layers)
        {
            table.AddRow(l.Name, l.Kind, string.Join("x", l.OutputShape), Cell(l.Parameters, "N0"), Cell(l.Macs, "N0"));
        }
        table.AddRow("[bold]total[/]", "", "", Cell(layers.Sum(l => l.Parameters), "N0"), Cell(layers.Sum(l => l.Macs), "N0"));
        AnsiConsole.Write(table);
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";

    public static string Cell(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Cell(long value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Cell(int value) => value.ToString(CultureInfo.InvariantCulture);
}
