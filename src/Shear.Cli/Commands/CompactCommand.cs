using System.CommandLine;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.IO;
using Shear.Metrics;
using Shear.Models;
using Shear.Pruning.Structure;
using Spectre.Console;
using static TorchSharp.torch;

namespace Shear.Cli.Commands;

/// <summary><c>shear compact</c>: rebuilds a model whose channels were pruned as a smaller dense model.</summary>
internal static class CompactCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder holding model.json and model.bin (e.g. a pruned model)" };
        var output = new Option<string>("--out", "-o") { Description = "Run folder for the compacted model (model.json with its description, model.bin, compact.json)", Required = true };
        var command = new Command("compact", "Remove every channel whose filters, biases and BN scale and shift are all zero (the outputs stay the same) "
            + "and save the smaller dense model; residual connections are kept consistent by the channel dependency graph.") { run, output };
        CommandAction.Set(command, result =>
        {
            string folder = result.GetValue(output)!;
            var (card, model) = ModelCard.Load(result.GetValue(run)!, CPU);
            using (model)
            {
                var channels = ChannelGraph.Build(model.Graph);
                var keep = ChannelSurgery.Occupied(model, channels);
                using var compact = ChannelSurgery.Compact(model, channels, keep);
                (card with { Description = compact.Graph.Describe() }).Save(folder, compact);
                var summary = new
                {
                    before = new { parameters = ModelStatistics.Parameters(model.Graph), macs = ModelStatistics.Macs(model.Graph) },
                    after = new { parameters = ModelStatistics.Parameters(compact.Graph), macs = ModelStatistics.Macs(compact.Graph) },
                    groups = channels.Groups.Select(g => new { producers = g.Producers, channels = g.Channels, kept = keep[g.Id].Count(k => k) }),
                };
                AtomicFile.WriteAllText(Path.Combine(folder, "compact.json"), JsonSerializer.Serialize(summary, Experiments.Runs.RunResult.JsonOptions));
                var table = new Table().Title($"{card.Key} compacted").AddColumns("channel group (producers)", "channels", "kept");
                foreach (var g in channels.Groups)
                {
                    table.AddRow(Markup.Escape(string.Join(", ", g.Producers)), ResultTables.Cell(g.Channels), ResultTables.Cell(keep[g.Id].Count(k => k)));
                }
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLineInterpolated($"parameters {summary.before.parameters:N0} -> {summary.after.parameters:N0}, MACs {summary.before.macs:N0} -> {summary.after.macs:N0}; run folder [blue]{folder}[/]");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
