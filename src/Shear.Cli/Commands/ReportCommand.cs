using System.CommandLine;
using Shear.Experiments.Reports;
using Shear.Experiments.Results;
using Spectre.Console;

namespace Shear.Cli.Commands;

/// <summary><c>shear report</c>: an HTML page, Markdown tables, JSON and figures from a folder of finished runs.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("results") { Description = "Results folder: every result.json under it is one run" };
        var output = new Option<string>("--out") { Description = "Report folder (created if missing)", Required = true };
        var sparsity = new Option<double?>("--sparsity") { Description = "Target sparsity of the per-layer bars and training curves (default: the highest present)" };
        var title = new Option<string>("--title") { Description = "Report heading", DefaultValueFactory = _ => "Shear results" };
        var command = new Command("report", "Write index.html, results.md, report.json and PNG/SVG figures for the runs in a results folder.")
        {
            results, output, sparsity, title,
        };
        CommandAction.Set(command, result =>
        {
            string folder = result.GetValue(results)!;
            var records = ResultFiles.Scan(folder);
            if (records.Count == 0)
            {
                throw new UsageException($"{folder}: no finished runs (no result.json) in this results folder");
            }
            var options = new ReportOptions { OutputDirectory = result.GetValue(output)!, Title = result.GetValue(title)!, Sparsity = result.GetValue(sparsity) };
            var report = ReportWriter.Write(records, options);
            foreach (string warning in report.Warnings)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
            }
            AnsiConsole.MarkupLineInterpolated($"{records.Count} runs, {report.Figures.Count / 2} figures; report [blue]{report.Index}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
