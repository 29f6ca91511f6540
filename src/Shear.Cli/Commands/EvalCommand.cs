using System.CommandLine;
using System.Text.Json;
using Shear.Cli.Console;
using Shear.Data;
using Shear.IO;
using Shear.Models;
using Shear.Training;
using Spectre.Console;

namespace Shear.Cli.Commands;

/// <summary><c>shear eval</c>: evaluates a saved model on a data set's test split.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var run = new Argument<string>("run") { Description = "Run folder holding model.json and model.bin" };
        var json = new Option<string?>("--json") { Description = "Also write the evaluation as JSON to this file" };
        var command = new Command("eval", "Evaluate a saved model on the test split.") { run, json };
        common.AddTo(command, includeModel: false);
        CommandAction.Set(command, result =>
        {
            var device = common.Apply(result);
            using var data = common.LoadData(result);
            var (card, model) = ModelCard.Load(result.GetValue(run)!, device);
            using (model)
            {
                CommonOptions.EnsureCompatible(card, data);
                using var test = new BatchSource(data.Test, Normalization.Of(data.Train), device);
                var evaluation = Evaluator.Evaluate(model, test, data.Test.ClassCount);
                AnsiConsole.MarkupLineInterpolated($"{card.Key} on {data.Name} test ({evaluation.Count} images): top-1 [green]{ResultTables.Percent(evaluation.Top1)}[/], loss {evaluation.Loss:F4}");
                if (result.GetValue(json) is string path)
                {
                    AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { model = card, data = data.Name, evaluation }, MetricsJson.Options));
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
