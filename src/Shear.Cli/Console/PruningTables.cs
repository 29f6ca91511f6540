using Shear.Experiments.Runs;
using Shear.Metrics;
using Shear.Pruning.Methods;
using Shear.Training;
using Spectre.Console;
using static Shear.Cli.Console.ResultTables;

namespace Shear.Cli.Console;

/// <summary>Tables for pruning results and model analyses.</summary>
internal static class PruningTables
{
    public static void Print(PruningResult result, string folder)
    {
        PrintReport(result.Sparsity, $"{result.Model.Key} pruned by {result.Method} on {result.Data.Name}");
        if (result.Rounds.Count > 0)
        {
            var rounds = new Table().Title("rounds").AddColumns("round", "sparsity", "test acc");
            foreach (var r in result.Rounds)
            {
                rounds.AddRow(Cell(r.Round), Percent(r.Sparsity), Percent(r.TestAccuracy));
            }
            AnsiConsole.Write(rounds);
        }
        if (result.Details is DppDetails dpp)
        {
            PrintDpp(dpp);
        }
        foreach (string warning in result.Warnings)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]warning: {warning}[/]");
        }
        if (result.Compaction is { } c)
        {
            AnsiConsole.MarkupLineInterpolated($"compacted: parameters {c.ParametersBefore:N0} -> {c.ParametersAfter:N0}, MACs {c.MacsBefore:N0} -> {c.MacsAfter:N0} ({(double)c.MacsBefore / c.MacsAfter:F2}x fewer); the saved model is the smaller one");
        }
        string dense = (result.DenseTest is { } d ? $"dense {Percent(d.Top1)}, " : "")
            + (result.PrunedTest is { } p ? $"pruned before fine-tune {Percent(p.Top1)}, " : "");
        // A compacted model has no zeros left: its weight sparsity (0 %) would hide that whole channels went.
        string pruned = result.Compaction is { } removed
            ? $"{Percent(1 - ((double)removed.Groups.Sum(g => g.Kept) / removed.Groups.Sum(g => g.Channels)))} of the channels removed"
            : $"sparsity {Percent(result.Sparsity.Sparsity)} ({result.Sparsity.Convention})";
        AnsiConsole.MarkupLineInterpolated(
            $"{dense}pruned top-1 [green]{Percent(result.Test.Top1)}[/]{Top5(result.Test)} at {pruned}; {result.TotalEpochs} epochs ({result.Budget}), {result.Seconds:F0} s; run folder [blue]{folder}[/]");
    }

    /// <summary>dpp's fitted model and decisions per layer and round (also in details.json).</summary>
    private static void PrintDpp(DppDetails dpp)
    {
        var table = new Table().Title($"dpp: {dpp.Model.Kind} fits, {dpp.Decision} decisions (tau_keep {dpp.KeepThreshold}, tau_prune {dpp.PruneThreshold})")
            .AddColumns("round", "layer", "fitted", "kept (sure)", "pruned (sure)", "drawn (kept)", "sparsity");
        foreach (var round in dpp.Rounds)
        {
            foreach (var l in round.Layers)
            {
                string fitted = string.Join(", ", l.Parameters.Select(p => $"{p.Key} {p.Value:G4}")) + (l.Note is null ? "" : " (" + l.Note + ")");
                table.AddRow(Cell(round.Round), Markup.Escape(l.Layer), Markup.Escape(fitted), Cell(l.KeptSure, "N0"), Cell(l.PrunedSure, "N0"),
                    $"{l.Drawn:N0} ({l.DrawnKept:N0})", Percent(l.Sparsity));
            }
        }
        AnsiConsole.Write(table);
    }

    public static void PrintReport(SparsityReport report, string title)
    {
        var table = new Table().Title(title).AddColumns("layer", "shape", "weights", "non-zero", "sparsity", "MACs executed", "MACs effective");
        foreach (var l in report.Layers)
        {
            string name = l.Counted ? l.Name : l.Name + " (not counted)";
            table.AddRow(Markup.Escape(name), string.Join("x", l.Shape), Cell(l.Weights, "N0"), Cell(l.NonZeros, "N0"), Percent(l.Sparsity),
                Cell(l.MacsExecuted, "N0"), Cell(l.MacsEffective, "N0"));
        }
        table.AddRow("[bold]total[/]", "", Cell(report.CountedWeights, "N0"), Cell(report.CountedNonZeros, "N0"), Percent(report.Sparsity),
            Cell(report.MacsExecuted, "N0"), Cell(report.MacsEffective, "N0"));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(
            $"parameters {report.Parameters:N0} ({report.NonZeroParameters:N0} non-zero); MACs reduced {report.MacReduction:F2}x; size {report.DenseBytes / 1024.0:N0} KiB dense, {report.CompressedBytes / 1024.0:N0} KiB sparse+deflate");
    }

    public static void PrintAccuracy(Evaluation evaluation, string data) =>
        AnsiConsole.MarkupLineInterpolated($"{data} test ({evaluation.Count} images): top-1 [green]{Percent(evaluation.Top1)}[/]{Top5(evaluation)}, loss {evaluation.Loss:F4}");

    private static string Top5(Evaluation evaluation) => evaluation.Top5 is double top5 ? $", top-5 {Percent(top5)}" : "";
}
