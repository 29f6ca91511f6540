using System.Globalization;
using Shear.Experiments.Results;
using Spectre.Console;
using static Shear.Cli.Console.ResultTables;

namespace Shear.Cli.Console;

/// <summary>Tables of <c>shear results</c>. Names read from result files are escaped: they are not markup.</summary>
internal static class ResultsTables
{
    /// <summary>Characters of a run id shown in lists (sweep ids are long hashes).</summary>
    public const int IdWidth = 12;

    public static void PrintRuns(IReadOnlyList<ResultRecord> runs, string root)
    {
        // Percent columns carry the unit in the header so the rows fit an 80-column terminal.
        var table = new Table().AddColumns("id", "model", "method", "target %", "sparsity %", "seed", "top-1 %", "top-5 %", "epochs");
        foreach (var r in runs)
        {
            table.AddRow(Markup.Escape(ShortId(r.Id)), Markup.Escape(r.Model), Markup.Escape(r.Method), r.TargetLabel ?? Target(r.TargetSparsity),
                Cell(r.Sparsity * 100, "F2"), Cell(r.Seed, "D"), Cell(r.Top1 * 100, "F2"), r.Top5 is double top5 ? Cell(top5 * 100, "F2") : "n/a",
                Cell(r.Epochs));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{runs.Count} runs in [blue]{root}[/]");
    }

    public static void PrintRun(ResultRecord run, string root)
    {
        var fields = new Table().Title(Markup.Escape($"{run.Id} ({Path.GetRelativePath(root, run.Path)})")).AddColumns("field", "value");
        (string Name, string Value)[] rows =
        [
            ("id", run.Id), ("path", run.Path), ("experiment", run.Experiment), ("command", run.Command),
            ("model", run.Model), ("data", run.Data), ("method", run.Method), ("target sparsity", run.Target.ToString()),
            ("sparsity", Percent(run.Sparsity)), ("seed", Cell(run.Seed, "D")), ("top-1", Percent(run.Top1)),
            ("top-5", Top5(run.Top5)), ("MACs dense", Cell(run.MacsDense, "N0")), ("MACs executed", Cell(run.MacsExecuted, "N0")),
            ("MACs effective", Cell(run.MacsEffective, "N0")),
            ("parameters", Cell(run.Parameters, "N0")), ("non-zero parameters", Cell(run.NonZeroParameters, "N0")),
            ("bytes", Cell(run.Bytes, "N0")), ("epochs", Cell(run.Epochs)), ("seconds", Cell(run.Seconds, "F1")),
            ("device", run.Environment?.Device ?? ""),
        ];
        foreach (var (name, value) in rows)
        {
            fields.AddRow(name, Markup.Escape(value));
        }
        AnsiConsole.Write(fields);
        if (run.Layers.Count > 0)
        {
            var layers = new Table().Title("per-layer sparsity").AddColumns("layer", "sparsity");
            foreach (var l in run.Layers)
            {
                layers.AddRow(Markup.Escape(l.Layer), Percent(l.Sparsity));
            }
            AnsiConsole.Write(layers);
        }
        PrintFinalPhase(run.Curve);
    }

    public static void PrintSummary(IReadOnlyList<SummaryRow> rows, string root)
    {
        // The experiment column only when a sweep made some of the runs; ad-hoc runs have none.
        bool experiments = rows.Any(r => r.Experiment.Length > 0);
        var table = new Table();
        if (experiments)
        {
            table.AddColumn("experiment");
        }
        table.AddColumns("model", "method", "target %", "top-1 %", "sparsity %", "effective MACs", "executed MACs", "epochs", "seeds");
        foreach (var r in rows)
        {
            string[] cells =
            [
                Markup.Escape(r.Model), Markup.Escape(r.Method), r.TargetLabel ?? Target(r.TargetSparsity), r.Top1.Format(100, "F2"),
                r.Sparsity.Format(100, "F2"), r.MacsEffective.Format(1, "N0"), r.MacsExecuted?.Format(1, "N0") ?? "–", r.Epochs.Format(1, "0.#"),
                string.Join(", ", r.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture))),
            ];
            table.AddRow(experiments ? [Markup.Escape(r.Experiment), .. cells] : cells);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{rows.Count} groups of {rows.Sum(r => r.Top1.N)} runs in [blue]{root}[/]; cells are mean ± sample std (n)");
    }

    /// <summary>The curve of the run's last phase (fine-tuning for most pruning methods, training for dense runs).</summary>
    private static void PrintFinalPhase(IReadOnlyList<CurvePoint> curve)
    {
        if (curve.Count == 0)
        {
            AnsiConsole.WriteLine("final phase: no epochs recorded");
            return;
        }
        string phase = curve[^1].Phase;
        var table = new Table().Title(Markup.Escape($"final phase: {phase}")).AddColumns("epoch", "train loss", "test acc");
        foreach (var p in curve.Where(p => p.Phase == phase))
        {
            table.AddRow(Cell(p.Epoch), Cell(p.TrainLoss, "F4"), Percent(p.TestAccuracy));
        }
        AnsiConsole.Write(table);
    }

    private static string Target(double sparsity) => Cell(sparsity * 100, "0.##");

    private static string ShortId(string id) => id.Length > IdWidth ? id[..IdWidth] : id;

    private static string Top5(double? top5) => top5 is double value ? Percent(value) : "n/a";
}
