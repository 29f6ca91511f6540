using System.CommandLine;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.Data;
using Shear.Experiments.Runs;
using Shear.IO;
using Shear.Masks;
using Shear.Metrics;
using Shear.Models;
using Shear.Training;

namespace Shear.Cli.Commands;

/// <summary><c>shear analyze</c>: sparsity, MACs, size and accuracy of a saved (pruned or dense) model.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var run = new Argument<string>("model") { Description = "Run folder holding model.json and model.bin" };
        var scope = new Option<PrunableKinds>("--scope") { Description = "Which weights the sparsity counts", DefaultValueFactory = _ => PrunableKinds.ConvAndLinear };
        var json = new Option<string?>("--json") { Description = "Also write the analysis as JSON to this file" };
        var command = new Command("analyze", "Per-layer and total sparsity, parameters, MACs (dense and effective), size on disk and accuracy.")
        {
            run, scope, json,
        };
        common.AddTo(command, includeModel: false);
        CommandAction.Set(command, result =>
        {
            var device = common.Apply(result);
            var (card, model) = ModelCard.Load(result.GetValue(run)!, device);
            using (model)
            {
                var report = SparsityReport.Measure(model, new PrunableScope { Kinds = result.GetValue(scope) });
                using var data = common.LoadData(result);
                CommonOptions.EnsureCompatible(card, data);
                using var test = new BatchSource(data.Test, Normalization.Of(data.Train), device);
                var evaluation = Evaluator.Evaluate(model, test, data.Test.ClassCount);
                PruningTables.PrintReport(report, $"{card.Key} ({result.GetValue(run)})");
                PruningTables.PrintAccuracy(evaluation, data.Name);
                if (result.GetValue(json) is string path)
                {
                    AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { model = card, data = data.Name, test = evaluation, sparsity = report }, RunResult.JsonOptions));
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
