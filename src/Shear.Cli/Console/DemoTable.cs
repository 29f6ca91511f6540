using Shear.Experiments.Demo;
using Spectre.Console;
using static Shear.Cli.Console.ResultTables;

namespace Shear.Cli.Console;

/// <summary>The demo's comparison table.</summary>
internal static class DemoTable
{
    public static void Print(IReadOnlyList<DemoRow> rows, string folder, TimeSpan elapsed)
    {
        var table = new Table().Title("LeNet-5, embedded Fashion-MNIST subset, 90 % sparsity")
            .AddColumns("run", "sparsity", "top-1", "top-5", "MACs/image", "size", "epochs");
        foreach (var r in rows)
        {
            table.AddRow(Markup.Escape(r.Run), Percent(r.Sparsity), Percent(r.Top1), r.Top5 is double t5 ? Percent(t5) : "-",
                Cell(r.MacsEffective, "N0"), r.CompressedBytes == 0 ? "dense" : Cell(r.CompressedBytes / 1024.0, "F1") + " KiB", Cell(r.Epochs));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{elapsed.TotalSeconds:F0} s; report [blue]{Path.Combine(folder, "summary.md")}[/], figures [blue]{Path.Combine(folder, "summary.json")}[/]");
    }
}
