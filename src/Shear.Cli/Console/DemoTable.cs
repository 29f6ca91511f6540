using Shear.Experiments.Results;
using Spectre.Console;
using static Shear.Cli.Console.ResultTables;

namespace Shear.Cli.Console;

/// <summary>The demo's comparison table: one row per run, dense first.</summary>
internal static class DemoTable
{
    public static void Print(IReadOnlyList<ResultRecord> records, TimeSpan elapsed, string report)
    {
        var table = new Table().Title("Shear demo").AddColumns("method", "sparsity", "top-1", "top-5", "MACs/image", "size", "epochs");
        foreach (var r in records.OrderBy(r => !r.IsDense).ThenBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.TargetSparsity))
        {
            table.AddRow(r.Method, Percent(r.Sparsity), Percent(r.Top1), r.Top5 is double t5 ? Percent(t5) : "-",
                Cell(r.MacsEffective, "N0"), Cell(r.Bytes / 1024.0, "F1") + " KiB", Cell(r.Epochs));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{elapsed.TotalSeconds:F0} s; report: [blue]{report}[/]");
    }
}
